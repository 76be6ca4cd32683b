import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { Change, ChangeLog, LoggedChanges } from '../../domain/changes/changeLog.js';
import { statusOf } from './azureTable.js';
import { CoalescedWrites } from './coalescedWrites.js';
import { beforeDeadline, deadlineFromNow, OPERATION_BUDGET_MS } from './deadline.js';
import { BATCH } from './deliveryTable.js';
import { readPage } from './rangeScan.js';
import { CHUNK } from './records.js';
import { StoreClock } from './storeClock.js';

/** The partition of a moment: its minute in UTC, `202612071230`, so partitions sort by time. */
export function minuteOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/**
 * Entities of one append sent in one request: a transaction takes 100 operations and 4 MiB, and 50
 * entities of 30,000 characters stay under that even where a character takes two bytes.
 */
const ENTITIES_PER_REQUEST = 50;

/** A change as stored: table and key, in a JSON array of them. */
type Entry = readonly [Change['table'], string];

/**
 * The change log on its own Azure table: a partition per minute, an entity per append holding its
 * `table/key` entries as JSON (in as many entities as 30,000 characters a property need, written in
 * one transaction). Appends made while one is in flight wait and go together in the next request.
 * The row key starts with the time, then this process's id and a counter: unique, so an append sent
 * again after its answer was lost meets itself (409) and counts as made. Times are the store's
 * (StoreClock), so that instances whose clocks disagree file and look for changes alike.
 */
export class AzureChangeLog implements ChangeLog {
  private readonly writer = randomBytes(6).toString('hex');
  private counter = 0;
  private readonly writes = new CoalescedWrites<Change>((changes) => this.write(changes));

  private readonly clock: StoreClock;

  /** `localNow` is this instance's own clock (the machine's unless a test gives another). */
  constructor(
    readonly client: TableClient,
    localNow: () => number = Date.now,
  ) {
    this.clock = new StoreClock(localNow);
    client.pipeline.addPolicy(this.clock.policy);
  }

  now(): number {
    return this.clock.now();
  }

  append(changes: readonly Change[], gatherMs = 0): Promise<void> {
    return changes.length === 0 ? Promise.resolve() : this.writes.add(changes, gatherMs);
  }

  async *since(from: number): AsyncIterable<readonly LoggedChanges[]> {
    const filter = odata`PartitionKey ge ${minuteOf(from)}`;
    let token: string | undefined;
    do {
      const page = await readPage(this.client, 'changes.since', filter, token);
      token = page?.continuationToken;
      const read: LoggedChanges[] = [];
      for (const entity of page ?? []) {
        const at = Number(entity.at);
        if (!(at >= from) || typeof entity.keys !== 'string') continue;
        const changes = (JSON.parse(entity.keys) as Entry[]).map(([table, key]) => ({ table, key }));
        read.push({ id: `${entity.partitionKey}/${entity.rowKey}`, at, own: entity.writer === this.writer, changes });
      }
      if (read.length > 0) yield read;
    } while (token);
  }

  async prune(before: number): Promise<number> {
    const filter = odata`PartitionKey lt ${minuteOf(before)}`;
    const partitions = new Map<string, string[]>();
    let token: string | undefined;
    do {
      const page = await readPage(this.client, 'changes.prune', filter, token);
      token = page?.continuationToken;
      for (const { partitionKey = '', rowKey = '' } of page ?? [])
        partitions.set(partitionKey, [...(partitions.get(partitionKey) ?? []), rowKey]);
    } while (token);
    let dropped = 0;
    for (const [partitionKey, rows] of partitions) {
      for (let i = 0; i < rows.length; i += BATCH) {
        const actions = rows
          .slice(i, i + BATCH)
          .map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]);
        await beforeDeadline('changes.prune', deadlineFromNow(), (options) =>
          this.client.submitTransaction(actions, options),
        ).catch((error: unknown) => {
          // Another leader pruned them first.
          if (statusOf(error) !== 404) throw error;
        });
        dropped += actions.length;
      }
    }
    return dropped;
  }

  /** One request for the changes given together (more only past 50 entities of 30,000 characters). */
  private async write(changes: readonly Change[]): Promise<void> {
    const at = this.now();
    const partitionKey = minuteOf(at);
    const entities = chunked(changes).map((keys) => ({
      partitionKey,
      rowKey: `${at.toString(36).padStart(10, '0')}.${this.writer}.${(this.counter++).toString(36).padStart(6, '0')}`,
      at,
      writer: this.writer,
      keys,
    }));
    const deadline = Date.now() + OPERATION_BUDGET_MS;
    for (let i = 0; i < entities.length; i += ENTITIES_PER_REQUEST) {
      const group = entities.slice(i, i + ENTITIES_PER_REQUEST);
      const [only] = group;
      await beforeDeadline('changes.append', deadline, async (options) => {
        if (group.length === 1 && only) await this.client.createEntity(only, options);
        else
          await this.client.submitTransaction(
            group.map((e): TransactionAction => ['create', e]),
            options,
          );
      }).catch((error: unknown) => {
        // Sent again after its answer was lost: it is there already.
        if (statusOf(error) !== 409) throw error;
      });
    }
  }
}

/** The changes, each once, as JSON arrays of at most CHUNK characters. */
function chunked(changes: readonly Change[]): string[] {
  const unique = new Map(changes.map((c) => [`${c.table}/${c.key}`, [c.table, c.key] as Entry]));
  const chunks: string[] = [];
  let entries: string[] = [];
  let length = 2;
  for (const entry of unique.values()) {
    const json = JSON.stringify(entry);
    if (entries.length > 0 && length + json.length + 1 > CHUNK) {
      chunks.push(`[${entries.join(',')}]`);
      entries = [];
      length = 2;
    }
    entries.push(json);
    length += json.length + 1;
  }
  if (entries.length > 0) chunks.push(`[${entries.join(',')}]`);
  return chunks;
}
