import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { Table } from '../table.js';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { KeyedQueue } from './keyedQueue.js';
import type { KeyMap } from './keys.js';
import { fromProperties, toProperties } from './records.js';
import { statusOf } from './status.js';

export { statusOf } from './status.js';

/** Tries of one update before it gives up: each failed try means another writer won. */
const MAX_TRIES = 100;

/** Extra properties a table writes beside the record, for server-side filters. */
export type Indexed<T> = (record: T) => Record<string, string | number | boolean>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Table on one Azure table. `update` reads, changes and writes on the ETag it read (inserts
 * when there was nothing), and tries again when another writer got there first; updates of one
 * key in this process queue up instead of racing. Each operation ends at its deadline (see
 * deadline.ts) with StoreUnavailable. A write whose answer was lost and is sent again meets its
 * own ETag or row and is read and changed again: changes must give the same record when applied twice.
 */
export class AzureTable<T> implements Table<T> {
  private readonly queue = new KeyedQueue();

  constructor(
    readonly client: TableClient,
    private readonly name: string,
    readonly keyOf: KeyMap,
    private readonly indexed?: Indexed<T>,
  ) {}

  async get(key: string): Promise<T | undefined> {
    return (await this.read(key, deadlineFromNow()))?.record;
  }

  async peek<R>(key: string, pick: (current: Readonly<T> | undefined) => R): Promise<R> {
    return pick(await this.get(key));
  }

  update(key: string, change: (current: Readonly<T> | undefined) => T | undefined): Promise<T | undefined> {
    const deadline = deadlineFromNow();
    return this.queue.run(key, async () => {
      for (let tries = 1; ; tries += 1) {
        const current = await this.read(key, deadline);
        const next = change(current?.record);
        if (next === undefined) return undefined;
        const entity = { ...this.keyOf(key), ...this.properties(next) };
        try {
          await beforeDeadline(`${this.name}.update`, deadline, (options) =>
            current
              ? this.client.updateEntity(entity, 'Replace', { ...options, etag: current.etag })
              : this.client.createEntity(entity, options),
          );
          return next;
        } catch (error) {
          const status = statusOf(error);
          if ((status !== 412 && status !== 409) || tries >= MAX_TRIES) throw error;
          await pause(Math.random() * Math.min(100, 5 * tries));
        }
      }
    });
  }

  async list(): Promise<T[]> {
    return this.query();
  }

  async scan<R>(pick: (current: Readonly<T>) => R): Promise<R[]> {
    return (await this.query()).map(pick);
  }

  /** Records matching an OData filter (every record without one), read page by page. */
  async query(filter?: string): Promise<T[]> {
    return beforeDeadline(`${this.name}.query`, deadlineFromNow(), async (options) => {
      const records: T[] = [];
      for await (const entity of this.client.listEntities<Record<string, unknown>>(
        filter ? { ...options, queryOptions: { filter } } : options,
      )) {
        const record = fromProperties<T>(entity);
        if (record !== undefined) records.push(record);
      }
      return records;
    });
  }

  /** The entity's properties for `record`: its JSON, and any indexed values. */
  properties(record: T): Record<string, string | number | boolean> {
    return { ...this.indexed?.(record), ...toProperties(this.name, record) };
  }

  private async read(key: string, deadline: number): Promise<{ record: T; etag: string } | undefined> {
    const { partitionKey, rowKey } = this.keyOf(key);
    let entity: TableEntityResult<Record<string, unknown>>;
    try {
      entity = await beforeDeadline(`${this.name}.get`, deadline, (options) =>
        this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey, options),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    const record = fromProperties<T>(entity);
    return record === undefined ? undefined : { record, etag: entity.etag };
  }
}
