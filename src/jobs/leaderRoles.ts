import { CHANGES_KEPT_MS, type ChangeLog } from '../domain/changes/changeLog.js';
import type { Roles } from '../domain/leadership.js';
import type { RosterChange } from '../domain/roster/rosterService.js';
import type { DeliveryWorker } from '../delivery/worker.js';
import type { Log } from '../log.js';
import type { BackgroundJobs } from './backgroundJobs.js';
import { CHECKPOINT_INTERVAL_MS } from './figuresCheckpoint.js';
import type { LeaderQueue } from './leaderQueue.js';

const MINUTE_MS = 60_000;
const ROSTER_SYNC_INTERVAL_MS = 24 * 60 * 60_000;
const CHANGES_PRUNE_INTERVAL_MS = 60 * 60_000;
/** How often the leader looks for deliveries other instances added, on a shared store. */
const SHARED_DELIVERY_POLL_MS = 2_000;

export interface LeaderRolesDeps {
  readonly queue: LeaderQueue;
  /** A delivery worker for a leader generation, started when this instance leads and stopped when it follows. */
  readonly newWorker: (generation: number) => DeliveryWorker;
  readonly jobs: BackgroundJobs;
  /** Pulls the roster from Microsoft Graph; undefined when the roster comes from CSV files. */
  readonly syncRoster: (() => Promise<RosterChange>) | undefined;
  /** The change log when several instances share the store: deliveries they add are looked for, old changes pruned. */
  readonly changes: ChangeLog | undefined;
  /** Saves HR's figures for instances that start (every 10 minutes), when instances share the store. */
  readonly checkpoint?: ((generation: number) => Promise<void>) | undefined;
  /** Sends learning records to the learning record store; undefined when xAPI is off. */
  readonly xapi?: { start(): void; stop(): Promise<void> } | undefined;
  /** Sends course activities to Viva Learning; undefined when it is off. */
  readonly viva?: { start(): void; stop(): Promise<void> } | undefined;
  readonly log: Log;
}

/**
 * What only the leader does: send deliveries and learning records, run the minute timers, sync the roster,
 * prune old changes, save HR's figures.
 */
export class LeaderRoles implements Roles {
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: LeaderRolesDeps) {}

  async lead(generation: number): Promise<void> {
    const { queue, jobs, syncRoster, log } = this.deps;
    const worker = this.deps.newWorker(generation);
    await worker.start();
    queue.worker = worker;
    jobs.enrolRefreshers();
    this.deps.xapi?.start();
    this.deps.viva?.start();
    this.timers = [setInterval(() => jobs.everyMinute(), MINUTE_MS)];
    const { changes } = this.deps;
    if (changes) {
      // idle() wakes the worker: it looks for deliveries added by other instances.
      let polling: Promise<void> | undefined;
      const poll = () => void (polling ??= worker.idle().finally(() => (polling = undefined)));
      this.timers.push(setInterval(poll, SHARED_DELIVERY_POLL_MS));
      const prune = () =>
        void changes
          .prune(changes.now() - CHANGES_KEPT_MS)
          .catch((error: unknown) => log.error('changes.prune-failed', error));
      this.timers.push(setInterval(prune, CHANGES_PRUNE_INTERVAL_MS));
    }
    const { checkpoint } = this.deps;
    if (checkpoint) this.timers.push(setInterval(() => void checkpoint(generation), CHECKPOINT_INTERVAL_MS));
    if (syncRoster) {
      const sync = () => void syncRoster().catch((error: unknown) => log.error('roster.sync-failed', error));
      sync();
      this.timers.push(setInterval(sync, ROSTER_SYNC_INTERVAL_MS));
    }
    for (const timer of this.timers) timer.unref();
  }

  async follow(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.deps.xapi?.stop();
    await this.deps.viva?.stop();
    const stopping = this.deps.queue.worker;
    this.deps.queue.worker = undefined;
    await stopping?.stop();
  }
}
