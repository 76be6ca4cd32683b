import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { TableClient } from '@azure/data-tables';
import type { Leadership, Roles } from '../../domain/leadership.js';
import { LeaseTerms } from '../../domain/leaseTerms.js';
import type { Log } from '../../domain/log.js';
import { statusOf } from './azureTable.js';

const PARTITION = 'leader';

interface LeaseRow {
  readonly holder: string;
  /** Grows by one with each new leader: the work a leader starts carries it (fencing). */
  readonly generation: number;
  /** Set by a holder that stopped: the next instance takes over at once. */
  readonly released?: boolean;
}

/**
 * Leadership as a lease row whose every renewal changes its ETag. No wall clock is compared:
 * a follower takes over once it has seen the same ETag for a whole lease on its own monotonic
 * clock; the leader renews every sixth of the lease, each renewal with its own deadline, and
 * stops leading at two thirds of the lease after its last successful renewal, even while one hangs.
 */
export class TableLease implements Leadership {
  readonly holder = randomUUID();
  private readonly terms: LeaseTerms;
  private readonly stepMs: number;
  private readonly renewalMs: number;
  private roles: Roles | undefined;
  private leading: { generation: number; etag: string } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private ticking: Promise<void> | undefined;
  private switching: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: TableClient,
    leaseMs: number,
    private readonly log: Log,
    private readonly monotonic: () => number = () => performance.now(),
  ) {
    this.terms = new LeaseTerms(leaseMs);
    this.stepMs = Math.max(100, Math.floor(leaseMs / 6));
    this.renewalMs = Math.floor(leaseMs / 3);
  }

  async start(roles: Roles): Promise<void> {
    this.roles = roles;
    await this.tick();
    await this.switching;
    // The watchdog runs apart from the renewals, so a renewal that hangs cannot keep this instance leading.
    this.timers = [setInterval(() => void this.tick(), this.stepMs), setInterval(() => this.watch(), this.stepMs / 2)];
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.ticking;
    const held = this.leading;
    this.setLeading(undefined);
    await this.switching;
    if (held) await this.release(held.etag).catch((error: unknown) => this.log.error('lease.release-failed', error));
    this.roles = undefined;
  }

  private watch(): void {
    if (this.leading && !this.terms.leads(this.monotonic())) {
      this.log.info('lease.renewal-overdue');
      this.setLeading(undefined);
    }
  }

  /** One renewal at a time, none queued behind a slow one; each may take a third of the lease. */
  private tick(): Promise<void> {
    this.ticking ??= (async () => {
      if (!this.roles) return;
      try {
        this.setLeading(await this.hold(AbortSignal.timeout(this.renewalMs)));
      } catch (error) {
        this.log.error('lease.renew-failed', error);
        this.watch();
      }
    })().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Calls lead or follow in order, apart from the renewals: a follow that waits on the store holds no renewal. */
  private setLeading(next: { generation: number; etag: string } | undefined): void {
    const was = this.leading;
    this.leading = next;
    if (!was === !next || !this.roles) return;
    if (!next) this.terms.stepDown();
    const roles = this.roles;
    this.log.info(next ? 'lease.leading' : 'lease.following', next ? { generation: next.generation } : {});
    this.switching = this.switching.then(async () => {
      try {
        await (next ? roles.lead(next.generation) : roles.follow());
      } catch (error) {
        this.log.error(next ? 'lease.lead-failed' : 'lease.follow-failed', error);
      }
    });
  }

  /** Renews or takes the lease; what this instance holds, or undefined when another instance does. */
  private async hold(abortSignal: AbortSignal): Promise<{ generation: number; etag: string } | undefined> {
    const startedAt = this.monotonic();
    if (this.leading) {
      const { generation, etag } = this.leading;
      const renewed = await this.write({ generation }, etag, abortSignal);
      if (renewed) this.terms.renewed(startedAt);
      return renewed && this.terms.leads(this.monotonic()) ? { generation, etag: renewed } : undefined;
    }
    let row: (LeaseRow & { etag: string }) | undefined;
    try {
      row = await this.client.getEntity<LeaseRow>(PARTITION, '', { abortSignal });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    if (row) {
      // Counted from when the answer came: the renewal that wrote this ETag started before then.
      const seenAt = this.monotonic();
      this.terms.observe(row.etag, seenAt);
      if (!row.released && row.holder !== this.holder && !this.terms.mayTake(seenAt)) return undefined;
    }
    const generation = (row?.generation ?? 0) + 1;
    const taken = await this.write({ generation }, row?.etag, abortSignal);
    if (!taken) return undefined;
    this.terms.renewed(startedAt);
    return { generation, etag: taken };
  }

  /** Writes the row as this holder's, on `etag` (created when there is none); its new ETag, or undefined if refused. */
  private async write(
    fields: { generation: number; released?: boolean },
    etag: string | undefined,
    abortSignal?: AbortSignal,
  ): Promise<string | undefined> {
    const entity = { partitionKey: PARTITION, rowKey: '', holder: this.holder, ...fields };
    try {
      const answer = etag
        ? await this.client.updateEntity(entity, 'Replace', { etag, abortSignal })
        : await this.client.createEntity(entity, { abortSignal });
      return answer.etag;
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) return undefined;
      throw error;
    }
  }

  /** Marks the lease released, unless another instance holds it already: the next instance takes over at once. */
  private async release(etag: string): Promise<void> {
    const row = await this.client.getEntity<LeaseRow>(PARTITION, '');
    if (row.holder !== this.holder || row.etag !== etag) return;
    await this.write({ generation: row.generation, released: true }, etag, AbortSignal.timeout(this.stepMs * 2));
  }
}
