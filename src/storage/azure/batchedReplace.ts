import type { TransactionAction } from '@azure/data-tables';
import type { AzureTable, Row } from './azureTable.js';
import { beforeDeadline, deadlineFromNow } from './deadline.js';

/** Operations Tables takes in one transaction (all in one partition). */
const MOST = 100;
/** How long a partition's first replace waits for others to go with it. */
const GATHER_MS = 50;

/** A replace waiting for its partition's transaction. */
interface Waiting<T> {
  readonly key: string;
  readonly read: Row<T>;
  readonly next: T;
  readonly done: (written: { readonly etag?: string } | 'moved') => void;
  readonly failed: (error: unknown) => void;
}

/**
 * AzureTable.replaceOn, with replaces of one partition grouped: those asked for within GATHER_MS of
 * the first, or while the partition's write is in flight, go together in one transaction (up to 100,
 * one per key). Each resolves only once its write is durable. When a transaction is refused (one of its rows
 * was moved: 412) or its answer is lost, each replace in it is made again on its own, on the same ETag:
 * a transaction lands whole or not at all, so one that did land makes each of those 'moved'.
 */
export class BatchedReplace<T> {
  private readonly waiting = new Map<string, Waiting<T>[]>();
  private readonly writing = new Set<string>();

  constructor(
    private readonly table: AzureTable<T>,
    /** The name a transaction ended by its deadline is reported under. */
    private readonly operation: string,
  ) {}

  replaceOn(key: string, read: Row<T>, next: T): Promise<{ readonly etag?: string } | 'moved'> {
    const { partitionKey } = this.table.keyOf(key);
    return new Promise((done, failed) => {
      const list = this.waiting.get(partitionKey);
      if (list) list.push({ key, read, next, done, failed });
      else this.waiting.set(partitionKey, [{ key, read, next, done, failed }]);
      if (!this.writing.has(partitionKey)) void this.flush(partitionKey);
    });
  }

  private async flush(partitionKey: string): Promise<void> {
    this.writing.add(partitionKey);
    try {
      await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
      for (;;) {
        const list = this.waiting.get(partitionKey) ?? [];
        const batch = this.take(list);
        if (list.length === 0) this.waiting.delete(partitionKey);
        if (batch.length === 0) return;
        await this.write(batch);
      }
    } finally {
      this.writing.delete(partitionKey);
    }
  }

  /** Takes up to MOST replaces of different keys out of `list`, in order. */
  private take(list: Waiting<T>[]): Waiting<T>[] {
    const keys = new Set<string>();
    const batch: Waiting<T>[] = [];
    for (let i = 0; i < list.length && batch.length < MOST;) {
      const w = list[i] as Waiting<T>;
      if (keys.has(w.key)) {
        i += 1;
        continue;
      }
      keys.add(w.key);
      batch.push(w);
      list.splice(i, 1);
    }
    return batch;
  }

  private async write(batch: readonly Waiting<T>[]): Promise<void> {
    if (batch.length > 1) {
      const actions: TransactionAction[] = batch.map((w) => [
        'update',
        { ...this.table.keyOf(w.key), ...this.table.properties(w.next) },
        'Replace',
        { etag: w.read.etag },
      ]);
      try {
        const response = await beforeDeadline(this.operation, deadlineFromNow(), (options) =>
          this.table.client.submitTransaction(actions, options),
        );
        // The answers come in the order of the operations, without their keys.
        const answers = response.subResponses.length === batch.length ? response.subResponses : [];
        batch.forEach((w, i) => {
          const etag = answers[i]?.etag;
          w.done(etag ? { etag } : {});
        });
        return;
      } catch {
        // Refused or unanswered: each on its own below, where a 412 or a lost answer is told apart.
      }
    }
    await Promise.all(batch.map((w) => this.table.replaceOn(w.key, w.read, w.next).then(w.done, w.failed)));
  }
}
