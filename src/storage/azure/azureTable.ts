import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { StoreUnavailable } from '../../domain/storeUnavailable.js';
import { extendTurnDeadline } from '../../domain/time/turnDeadline.js';
import type { Table } from '../table.js';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { GatheredReads } from './gatheredReads.js';
import { KeyedQueue } from './keyedQueue.js';
import { SCAN_BOUNDS, WHOLE_TABLE, type Bounds } from './keyRanges.js';
import type { KeyMap } from './keys.js';
import { pagesOverRanges, scanRanges } from './rangeScan.js';
import { fromProperties, toProperties } from './records.js';
import { statusOf } from './status.js';

export { statusOf } from './status.js';

/** Tries of one update before it gives up: each failed try means another writer won. */
const MAX_TRIES = 100;
/** The time a write whose answer did not come in time gets to find out whether it landed. */
export const SETTLE_MS = 3_000;

/** Extra properties a table writes beside the record, for server-side filters. */
export type Indexed<T> = (record: T) => Record<string, string | number | boolean>;

/** How long a row get() read stands in for an update's first read of its key (the ETag guards it). */
const REUSED_READ_MS = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How many rows an update wrote a table keeps, and for how long, to write on their ETags again with no read. Such a
 * table is written many keys at a time: the first reads of updates asked for together are gathered (GatheredReads).
 */
export interface KeptWrites {
  readonly rows: number;
  readonly ms: number;
}

/** A row as read: its record (undefined for an empty row left by `settle`) and its ETag. */
export interface Row<T> {
  readonly record: T | undefined;
  readonly etag: string;
}

/** An entity get() read lately, kept as read so that whoever got its record cannot change it. */
interface RecentRead {
  readonly entity: TableEntityResult<Record<string, unknown>> | undefined;
  readonly at: number;
}

/**
 * A Table on one Azure table. `update` reads, changes and writes on the ETag it read (inserts
 * when there was nothing), and tries again when another writer got there first; an update that
 * follows a get() of its key within a second starts from the row get() read, not a read of its own
 * (a 412 or 409 says it was not the latest, and it reads again; so does a change that writes nothing). Updates of one
 * key in this process queue up instead of racing. Each operation ends at its deadline (see
 * deadline.ts) with StoreUnavailable; a write ended so is settled first (see `settle`), and
 * StoreUnavailable then means it did not land. A write whose answer was lost and is sent again meets its
 * own ETag or row and is read and changed again: changes must give the same record when applied twice.
 * With `keptWrites`, an update also starts from the row this process last wrote of its key (as long as kept), with
 * no read: a 412 says another writer moved it since, and it is read and changed again; and the first reads of updates
 * asked for together are made as one read of the key range they span where that costs fewer requests.
 */
export class AzureTable<T> implements Table<T> {
  private readonly queue = new KeyedQueue();
  private readonly recent = new Map<string, RecentRead>();
  /** Rows updates wrote, oldest first, when the table keeps them. */
  private readonly written = new Map<string, { readonly row: Row<T>; readonly at: number }>();
  private readonly gathered: GatheredReads;

  constructor(
    readonly client: TableClient,
    private readonly name: string,
    readonly keyOf: KeyMap,
    private readonly indexed?: Indexed<T>,
    private readonly keptWrites?: KeptWrites,
  ) {
    this.gathered = new GatheredReads(client, `${name}.get`);
  }

  async get(key: string): Promise<T | undefined> {
    const entity = await this.entity(key, deadlineFromNow());
    const now = Date.now();
    for (const [old, read] of this.recent) {
      if (read.at > now - REUSED_READ_MS) break;
      this.recent.delete(old);
    }
    this.recent.delete(key);
    this.recent.set(key, { entity, at: now });
    return entity && fromProperties<T>(entity);
  }

  /**
   * get(), read with the others asked for at the same time as one read of the key range they span where that costs
   * fewer requests (HR's figures reading a campaign's deliveries back); not kept for an update.
   */
  async getGathered(key: string): Promise<T | undefined> {
    const entity = await this.gathered.read(this.keyOf(key), () => this.entity(key, deadlineFromNow()));
    return entity && fromProperties<T>(entity);
  }

  async peek<R>(key: string, pick: (current: Readonly<T> | undefined) => R): Promise<R> {
    return pick(await this.get(key));
  }

  update(key: string, change: (current: Readonly<T> | undefined) => T | undefined): Promise<T | undefined> {
    const deadline = deadlineFromNow();
    return this.queue.run(key, async () => {
      for (let tries = 1; ; tries += 1) {
        const recent = tries === 1 ? (this.recentRead(key) ?? this.keptWrite(key)) : undefined;
        const current = recent
          ? recent.row
          : tries === 1 && this.keptWrites
            ? rowOf<T>(await this.gathered.read(this.keyOf(key), () => this.entity(key, deadline)))
            : await this.read(key, deadline);
        const next = change(current?.record);
        // Nothing to write is decided on the latest row only: no ETag checks a row get() read or a write kept.
        if (next === undefined && recent) continue;
        if (next === undefined) return undefined;
        const entity = { ...this.keyOf(key), ...this.properties(next) };
        try {
          const { etag } = await beforeDeadline(`${this.name}.update`, deadline, (options) =>
            current
              ? this.client.updateEntity(entity, 'Replace', { ...options, etag: current.etag })
              : this.client.createEntity(entity, options),
          );
          this.keepWrite(key, next, etag);
          return next;
        } catch (error) {
          if (error instanceof StoreUnavailable && (await this.settle(key, current, next))) return next;
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

  /** Read over the table's key ranges at once (keyRanges.ts), in key order. */
  scan<R>(pick: (current: Readonly<T>) => R): Promise<R[]> {
    return this.scanRanges(pick, SCAN_BOUNDS[this.name] ?? WHOLE_TABLE);
  }

  /** scan() over the ranges `bounds` cuts: WHOLE_TABLE reads it as one. */
  scanRanges<R>(pick: (current: Readonly<T>) => R, bounds: Bounds): Promise<R[]> {
    return scanRanges(this.client, `${this.name}.scan`, bounds, pick);
  }

  /** Pages of at most `size` (Azure gives 1,000 at most) over the table's key ranges, as they arrive. */
  scanPages<R>(pick: (current: Readonly<T>, key: string) => R, size: number): AsyncIterable<readonly R[]> {
    return pagesOverRanges(this.client, `${this.name}.scan`, SCAN_BOUNDS[this.name] ?? WHOLE_TABLE, pick, size);
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

  /** Rows matching an OData filter with the ETag each was read at, page by page; empty rows left out. */
  async rows(filter: string): Promise<{ record: T; etag: string }[]> {
    return beforeDeadline(`${this.name}.query`, deadlineFromNow(), async (options) => {
      const rows: { record: T; etag: string }[] = [];
      for await (const entity of this.client.listEntities<Record<string, unknown>>({
        ...options,
        queryOptions: { filter },
      })) {
        const record = fromProperties<T>(entity);
        if (record !== undefined) rows.push({ record, etag: entity.etag });
      }
      return rows;
    });
  }

  /**
   * Writes `next` over `read` on its ETag with no read first, after the key's updates in flight: the new
   * ETag (undefined when a write whose answer was lost is found to have landed), or 'moved' when another
   * writer changed the row since (412). StoreUnavailable means it did not land, as for `update`.
   */
  replaceOn(key: string, read: Row<T>, next: T): Promise<{ readonly etag?: string } | 'moved'> {
    const deadline = deadlineFromNow();
    return this.queue.run(key, async () => {
      const entity = { ...this.keyOf(key), ...this.properties(next) };
      try {
        const written = await beforeDeadline(`${this.name}.update`, deadline, (options) =>
          this.client.updateEntity(entity, 'Replace', { ...options, etag: read.etag }),
        );
        return written.etag ? { etag: written.etag } : {};
      } catch (error) {
        if (error instanceof StoreUnavailable && (await this.settle(key, read, next))) return {};
        if (statusOf(error) === 412) return 'moved';
        throw error;
      }
    });
  }

  /** The entity's properties for `record`: its JSON, and any indexed values. */
  properties(record: T): Record<string, string | number | boolean> {
    return { ...this.indexed?.(record), ...toProperties(this.name, record) };
  }

  /**
   * Whether a write of `next` on `current`, ended by its deadline with no answer, landed after all:
   * read back, and when the row is unchanged, written again as it was on the same ETag (an empty row
   * where there was none), so that the write still on its way is refused. Gets SETTLE_MS, and the turn
   * it runs in that long too; false when the write did not land or that could not be found out in time.
   */
  private async settle(key: string, current: Row<T> | undefined, next: T): Promise<boolean> {
    const until = Date.now() + SETTLE_MS;
    extendTurnDeadline(until);
    const keys = this.keyOf(key);
    try {
      for (let tries = 1; tries <= MAX_TRIES; tries += 1) {
        const latest = await this.read(key, until);
        if (latest?.etag !== current?.etag)
          return latest?.record !== undefined && JSON.stringify(latest.record) === JSON.stringify(next);
        const same = current?.record === undefined ? keys : { ...keys, ...this.properties(current.record) };
        try {
          await beforeDeadline(`${this.name}.settle`, until, (options) =>
            current
              ? this.client.updateEntity(same, 'Replace', { ...options, etag: current.etag })
              : this.client.createEntity(same, options),
          );
          return false;
        } catch (error) {
          const status = statusOf(error);
          if (status !== 412 && status !== 409) throw error;
        }
      }
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
    }
    return false;
  }

  private async read(key: string, deadline: number): Promise<Row<T> | undefined> {
    return rowOf<T>(await this.entity(key, deadline));
  }

  /** The row an update of `key` last wrote, taken (a 412 on it means it is no longer the latest). */
  private keptWrite(key: string): { row: Row<T> } | undefined {
    const kept = this.written.get(key);
    this.written.delete(key);
    return kept && this.keptWrites && kept.at > Date.now() - this.keptWrites.ms ? { row: kept.row } : undefined;
  }

  private keepWrite(key: string, record: T, etag: string | undefined): void {
    if (!this.keptWrites || etag === undefined) return;
    this.written.delete(key);
    this.written.set(key, { row: { record, etag }, at: Date.now() });
    for (const old of this.written.keys()) {
      if (this.written.size <= this.keptWrites.rows) break;
      this.written.delete(old);
    }
  }

  /** The row get() read of `key` within REUSED_READ_MS, taken (an update uses it once); undefined if none. */
  private recentRead(key: string): { row: Row<T> | undefined } | undefined {
    const read = this.recent.get(key);
    this.recent.delete(key);
    return read && read.at > Date.now() - REUSED_READ_MS ? { row: rowOf<T>(read.entity) } : undefined;
  }

  private async entity(key: string, deadline: number): Promise<TableEntityResult<Record<string, unknown>> | undefined> {
    const { partitionKey, rowKey } = this.keyOf(key);
    try {
      return await beforeDeadline(`${this.name}.get`, deadline, (options) =>
        this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey, options),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}

function rowOf<T>(entity: TableEntityResult<Record<string, unknown>> | undefined): Row<T> | undefined {
  return entity && { record: fromProperties<T>(entity), etag: entity.etag };
}
