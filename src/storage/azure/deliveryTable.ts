import { odata, type TransactionAction } from '@azure/data-tables';
import { isFinal, type Delivery } from '../../domain/campaigns/delivery.js';
import type { DeliveryStore } from '../../domain/campaigns/ports.js';
import { statusOf, type AzureTable } from './azureTable.js';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { byFirstSegment, escapeKey } from './keys.js';

/** Operations Tables takes in one transaction (all in one partition). */
export const BATCH = 100;

/** Whether a delivery is still open, written beside it so `open()` filters on the server. */
export const deliveryIndex = (d: Delivery) => ({ open: !isFinal(d.state) });

/**
 * Deliveries on Azure Tables: a partition per send (`sendId/memberKey`), added in transactions
 * of up to 100, read per send from one partition, and open ones found by an indexed property.
 */
export class AzureDeliveryStore implements DeliveryStore {
  constructor(private readonly table: AzureTable<Delivery>) {}

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
    return this.table.update(id, (current) => (current ? change(current) : undefined));
  }

  forSend(sendId: string): Promise<Delivery[]> {
    return this.table.query(odata`PartitionKey eq ${escapeKey(sendId)}`);
  }

  open(): Promise<Delivery[]> {
    return this.table.query('open eq true');
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
