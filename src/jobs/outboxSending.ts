import type { SendResult } from '../domain/outbox/pauses.js';
import { outsideTurn } from '../domain/time/turnDeadline.js';
import type { Log } from '../log.js';

/** People whose outbox is sent at the same time. */
const PARALLEL = 4;
/** How often the outbox is read for people with work waiting (added by other instances, or left by a stop). */
const POLL_MS = 15_000;

export interface OutboxSendingDeps {
  /** What the log events start with: `xapi`, `viva`. */
  readonly name: string;
  readonly sendFor: (userId: string) => Promise<SendResult>;
  readonly outbox: { waiting(): Promise<string[]> };
  readonly log: Log;
  readonly pollMs?: number;
}

/**
 * The leader's sending of a per-person outbox (xAPI statements, Viva Learning activities): everyone the
 * outbox holds work for at the start and at each poll, and everyone this instance adds work for
 * meanwhile. A pause the sender asks for (a busy or refusing receiver) holds every person back.
 */
export class OutboxSending {
  private readonly due = new Set<string>();
  private readonly busy = new Set<string>();
  private workers = 0;
  private pausedUntil = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly sleepers = new Set<() => void>();
  private readonly running = new Set<Promise<void>>();
  private idlers: (() => void)[] = [];

  constructor(private readonly deps: OutboxSendingDeps) {}

  start(): void {
    this.stopped = false;
    this.poll();
    this.timer = setInterval(() => this.poll(), this.deps.pollMs ?? POLL_MS);
    this.timer.unref();
  }

  /** Work was added for the person: send it soon. */
  notify(userId: string): void {
    if (this.stopped) return;
    this.due.add(userId);
    this.spawn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const wake of this.sleepers) wake();
    await Promise.all(this.running);
  }

  /** Resolves once nobody known is due and nothing is on its way. */
  idle(): Promise<void> {
    if (this.workers === 0 && this.due.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  private poll(): void {
    this.deps.outbox.waiting().then(
      (ids) => ids.forEach((id) => this.notify(id)),
      (error: unknown) => this.deps.log.error(`${this.deps.name}.outbox-read-failed`, error),
    );
  }

  private spawn(): void {
    while (this.workers < PARALLEL && this.workers < this.due.size) {
      this.workers += 1;
      // A person's turn may add the work; its sending lives on after the turn and its deadline.
      const work = outsideTurn(() => this.work()).finally(() => {
        this.running.delete(work);
        this.workers -= 1;
        if (this.workers === 0 && this.due.size === 0) for (const idle of this.idlers.splice(0)) idle();
      });
      this.running.add(work);
    }
  }

  private async work(): Promise<void> {
    for (;;) {
      await this.waitForPause();
      const userId = this.next();
      if (userId === undefined || this.stopped) return;
      this.due.delete(userId);
      this.busy.add(userId);
      try {
        const result = await this.deps.sendFor(userId);
        if (result.kind === 'pause') {
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + result.ms);
          this.due.add(userId);
        }
      } catch (error) {
        this.deps.log.error(`${this.deps.name}.send-failed`, error);
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + POLL_MS);
        this.due.add(userId);
      } finally {
        this.busy.delete(userId);
      }
    }
  }

  /** The first due person no worker is sending for. */
  private next(): string | undefined {
    for (const userId of this.due) if (!this.busy.has(userId)) return userId;
    return undefined;
  }

  private async waitForPause(): Promise<void> {
    while (!this.stopped && Date.now() < this.pausedUntil) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, this.pausedUntil - Date.now());
        this.sleepers.add(wake);
      });
    }
  }
}
