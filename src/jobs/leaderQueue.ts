import type { DeliveryQueue, DeliveryStore } from '../domain/campaigns/ports.js';
import type { DeliveryWorker } from '../delivery/worker.js';

/**
 * Where campaigns and reminders add deliveries: to the worker while this instance leads (which
 * wakes it), straight to the store otherwise, for the leader to find.
 */
export class LeaderQueue implements DeliveryQueue {
  /** The worker while this instance leads. */
  worker: DeliveryWorker | undefined;

  constructor(private readonly deliveries: DeliveryStore) {}

  add(deliveries: Parameters<DeliveryQueue['add']>[0]): Promise<number> {
    return this.worker ? this.worker.queue.add(deliveries) : this.deliveries.add(deliveries);
  }

  forSend(sendId: string): ReturnType<DeliveryQueue['forSend']> {
    return this.deliveries.forSend(sendId);
  }

  /** Resolves once every delivery this instance works on has been delivered or given up on. */
  idle(): Promise<void> {
    return this.worker?.idle() ?? Promise.resolve();
  }
}
