import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { Leadership, Roles } from '../../domain/leadership.js';
import type { Log } from '../../domain/log.js';
import { statusOf } from './azureTable.js';

const PARTITION = 'leader';

interface LeaseRow {
  readonly holder: string;
  /** Milliseconds since 1970 at which the lease lapses unless renewed. */
  readonly expiresAt: number;
}

/**
 * Leadership as a lease row with an expiry: the holder renews it every third of the lease;
 * any instance takes it once it has lapsed (a conditional write, so only one does). A holder
 * that cannot renew before its lease lapses stops leading.
 */
export class TableLease implements Leadership {
  readonly holder = randomUUID();
  private roles: Roles | undefined;
  private leading = false;
  /** Until when this instance's lease holds, as last written. */
  private heldUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: TableClient,
    private readonly leaseMs: number,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  async start(roles: Roles): Promise<void> {
    this.roles = roles;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(200, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    if (this.leading) {
      await this.setLeading(false);
      await this.release().catch((error: unknown) => this.log.error('lease.release-failed', error));
    }
    this.roles = undefined;
  }

  private tick(): Promise<void> {
    this.ticking = this.ticking.then(async () => {
      if (!this.roles) return;
      let held: boolean;
      try {
        held = await this.hold();
      } catch (error) {
        this.log.error('lease.renew-failed', error);
        held = this.leading && this.now() < this.heldUntil;
      }
      await this.setLeading(held);
    });
    return this.ticking;
  }

  private async setLeading(leading: boolean): Promise<void> {
    if (leading === this.leading || !this.roles) return;
    this.leading = leading;
    this.log.info(leading ? 'lease.leading' : 'lease.following');
    try {
      await (leading ? this.roles.lead() : this.roles.follow());
    } catch (error) {
      this.log.error(leading ? 'lease.lead-failed' : 'lease.follow-failed', error);
    }
  }

  /** Takes or renews the lease; false when another instance holds it. */
  private async hold(): Promise<boolean> {
    const now = this.now();
    const next = { partitionKey: PARTITION, rowKey: '', holder: this.holder, expiresAt: now + this.leaseMs };
    let row: (LeaseRow & { etag: string }) | undefined;
    try {
      row = await this.client.getEntity<LeaseRow>(PARTITION, '');
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    try {
      if (!row) await this.client.createEntity(next);
      else if (row.holder === this.holder || row.expiresAt <= now)
        await this.client.updateEntity(next, 'Replace', { etag: row.etag });
      else return false;
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
    this.heldUntil = next.expiresAt;
    return true;
  }

  /** Lets the lease lapse now, unless another instance holds it already. */
  private async release(): Promise<void> {
    const row = await this.client.getEntity<LeaseRow>(PARTITION, '');
    if (row.holder !== this.holder) return;
    await this.client
      .updateEntity({ partitionKey: PARTITION, rowKey: '', holder: this.holder, expiresAt: 0 }, 'Replace', {
        etag: row.etag,
      })
      .catch((error: unknown) => {
        if (statusOf(error) !== 412) throw error;
      });
  }
}
