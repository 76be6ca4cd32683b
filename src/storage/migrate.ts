import { inParallel } from '../domain/paging/inParallel.js';
import { readFile } from 'node:fs/promises';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { CourseEvent } from '../domain/course/events.js';
import { statusOf, type AzureTable } from './azure/azureTable.js';
import { BATCH } from './azure/deliveryTable.js';
import { eventEntity } from './azure/eventLog.js';
import { TABLES, tableOn, TablesConnection, type TablesAccount } from './azure/stores.js';
import { EventFile } from './lowdb/eventFile.js';
import { ShardSet } from './lowdb/shardedTable.js';
import { storeFiles } from './lowdb/stores.js';

/** What the copy of one table did: records in the embedded store, copied now, found in the tables already. */
export interface TableCopy {
  readonly table: string;
  readonly records: number;
  readonly copied: number;
  readonly kept: number;
}

type Entity = { partitionKey: string; rowKey: string } & Record<string, string | number | boolean>;

/** Partitions copied at once. */
const PARALLEL = 16;

/**
 * Copies the embedded store at `dataFile` into Azure Tables: every record under its own key, in
 * transactions of up to 100 per partition. A record already in the tables is kept as it is, so
 * running it again changes nothing; the embedded store is only read.
 */
export async function migrateToTables(dataFile: string, account: TablesAccount, prefix: string): Promise<TableCopy[]> {
  const files = storeFiles(dataFile);
  const meta = JSON.parse(await readFile(files.meta, 'utf8')) as { format?: unknown; shards?: unknown };
  if (meta.format !== 1 || typeof meta.shards !== 'number')
    throw new Error(`${files.meta} is not a Postwise data file`);
  const shards = await ShardSet.open(files.shards, meta.shards);
  const connection = new TablesConnection(account, prefix);
  await connection.createTables();
  const copies: TableCopy[] = [];
  for (const name of Object.keys(TABLES)) {
    const records = shards.all().flatMap((shard) => Array.from(shard.rows(name).latestEntries()));
    copies.push({ table: name, records: records.length, ...(await copyRecords(tableOn(connection, name), records)) });
  }
  const eventFile = await EventFile.open(files.events);
  const events = await eventFile.list();
  // Before any event an instance appends later (those sort by time): the embedded log's own order.
  const eventEntities = events.map((e: CourseEvent, i) =>
    eventEntity(e, `${'0'.repeat(10)}.${i.toString(36).padStart(6, '0')}`),
  );
  copies.push({ table: 'events', records: events.length, ...(await copy(connection.client('events'), eventEntities)) });
  await Promise.all([shards.close(), eventFile.close()]);
  return copies;
}

/** Writes `records` under their keys in transactions of up to 100 per partition, keeping any already there. */
export function copyRecords<T>(
  table: AzureTable<T>,
  records: Iterable<readonly [string, T]>,
): Promise<{ copied: number; kept: number }> {
  return copy(
    table.client,
    Array.from(records, ([key, value]): Entity => ({ ...table.keyOf(key), ...table.properties(value) })),
  );
}

async function copy(client: TableClient, entities: readonly Entity[]): Promise<{ copied: number; kept: number }> {
  const partitions = new Map<string, Entity[]>();
  for (const e of entities) partitions.set(e.partitionKey, [...(partitions.get(e.partitionKey) ?? []), e]);
  const batches = [...partitions.values()].flatMap((group) =>
    Array.from({ length: Math.ceil(group.length / BATCH) }, (_, i) => group.slice(i * BATCH, (i + 1) * BATCH)),
  );
  let copied = 0;
  await inParallel(batches, PARALLEL, async (batch) => {
    const created = await copyBatch(client, batch);
    copied += created;
  });
  return { copied, kept: entities.length - copied };
}

/** One transaction when none is there yet; otherwise one by one, keeping those already there. */
async function copyBatch(client: TableClient, batch: Entity[]): Promise<number> {
  try {
    await client.submitTransaction(batch.map((e): TransactionAction => ['create', e]));
    return batch.length;
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
  let created = 0;
  for (const entity of batch) {
    try {
      await client.createEntity(entity);
      created += 1;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
  }
  return created;
}
