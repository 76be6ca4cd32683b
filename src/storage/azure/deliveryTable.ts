import { odata, type TransactionAction } from '@azure/data-tables';
import { isFinal, type Delivery } from '../../domain/campaigns/delivery.js';
import type { DeliveryStore } from '../../domain/campaigns/ports.js';
import { statusOf, type AzureTable, type Row } from './azureTable.js';
import { BatchedReplace } from './batchedReplace.js';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { KeyedQueue } from './keyedQueue.js';
import { byFirstSegment, escapeKey } from './keys.js';

/** Operations Tables takes in one transaction (all in one partition). */
export const BATCH = 100;

/** Whether a delivery is still open, written beside it so `open()` filters on the server. */
export const deliveryIndex = (d: Delivery) => ({ open: !isFinal(d.state) });

/** An open delivery as this process last read or wrote it, and when (see `seen`). */
interface Known {
  readonly row: Row<Delivery>;
  readonly seen: number;
}

/**
 * Deliveries on Azure Tables: a partition per send (`sendId/memberKey`), added in transactions
 * of up to 100, read per send from one partition, and open ones found by an indexed property.
 * An open delivery is updated on the ETag it was last read or written at here, with no read first,
 * in one transaction with the other updates of its send made meanwhile (BatchedReplace); when another
 * writer moved it since (412), or the change leaves it as it is, it is read and changed again.
 */
export class AzureDeliveryStore implements DeliveryStore {
  private readonly known = new Map<string, Known>();
  private readonly queue = new KeyedQueue();
  /** Counts reads and writes, so that `open` keeps what a write newer than its query left. */
  private seen = 0;

  private readonly batched: BatchedReplace<Delivery>;

  constructor(private readonly table: AzureTable<Delivery>) {
    this.batched = new BatchedReplace(table, 'deliveries.update');
  }

  async add(deliveries: readonly Delivery[]): Promise<number> {
    const unique = [...new Map(deliveries.map((d) => [d.id, d])).values()];
    const groups = new Map<string, Delivery[]>();
    for (const d of unique) {
      const { partitionKey } = byFirstSegment(d.id);
      groups.set(partitionKey, [...(groups.get(partitionKey) ?? []), d]);
    }
    let added = 0;
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += BATCH) {
        const batch = await this.addBatch(group.slice(i, i + BATCH));
        added += batch;
      }
    }
    return added;
  }

  get(id: string): Promise<Delivery | undefined> {
    return this.table.get(id);
  }

  update(id: string, change: (delivery: Delivery) => Delivery | undefined): Promise<Delivery | undefined> {
    return this.queue.run(id, async () => {
      const row = this.known.get(id)?.row;
      const next = row?.record && change(row.record);
      if (row && next) {
        const written = await this.batched.replaceOn(id, row, next);
        if (written !== 'moved') {
          this.remember(id, written.etag, next);
          return next;
        }
      }
      this.known.delete(id);
      // A write of `next` whose answer was lost may have landed after all: found as it is, it is not changed again.
      const landed = next && JSON.stringify(next);
      let found = false;
      const written = await this.table.update(id, (current) => {
        found = current !== undefined && JSON.stringify(current) === landed;
        return current && !found ? change(current) : undefined;
      });
      return found ? next : written;
    });
  }

  forSend(sendId: string): Promise<Delivery[]> {
    return this.table.query(odata`PartitionKey eq ${escapeKey(sendId)}`);
  }

  async open(): Promise<Delivery[]> {
    const asked = this.seen;
    const rows = await this.table.rows('open eq true');
    const known = new Map<string, Known>();
    for (const row of rows) {
      const kept = this.known.get(row.record.id);
      known.set(row.record.id, kept && kept.seen > asked ? kept : { row, seen: (this.seen += 1) });
    }
    this.known.clear();
    for (const [id, k] of known) this.known.set(id, k);
    return rows.map((row) => row.record);
  }

  /** Keeps the ETag a write of an open delivery returned; forgets it when unknown or the delivery is final. */
  private remember(id: string, etag: string | undefined, record: Delivery): void {
    if (etag === undefined || isFinal(record.state)) this.known.delete(id);
    else this.known.set(id, { row: { record, etag }, seen: (this.seen += 1) });
  }

  /** One transaction when none of them is there yet; one by one otherwise (a repeat adds nothing). */
  private async addBatch(batch: Delivery[]): Promise<number> {
    const actions: TransactionAction[] = batch.map((d) => [
      'create',
      { ...byFirstSegment(d.id), ...this.table.properties(d) },
    ]);
    try {
      await beforeDeadline('deliveries.add', deadlineFromNow(), (options) =>
        this.table.client.submitTransaction(actions, options),
      );
      return batch.length;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const written = await Promise.all(
      batch.map((d) => this.table.update(d.id, (current) => (current ? undefined : d))),
    );
    return written.filter((w) => w !== undefined).length;
  }
}
