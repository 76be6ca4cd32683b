import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Log } from '../../domain/log.js';
import { storesOn, type Stores } from '../stores.js';
import { DiskWatch } from './diskWatch.js';
import { EventFile } from './eventFile.js';
import { ShardSet } from './shardedTable.js';

interface Meta {
  format: 1;
  shards: number;
  createdAt: string;
}

/** How many shard files a new data file gets; an existing one keeps its own count. */
const DEFAULT_SHARDS = 256;

/** Files that make up the embedded store, all derived from POSTWISE_DATA_FILE. */
export function storeFiles(dataFile: string): { meta: string; shards: string; events: string; probe: string } {
  const base = dataFile.replace(/\.json$/i, '');
  return { meta: dataFile, shards: `${base}.shards`, events: `${base}.events.jsonl`, probe: `${base}.probe` };
}

/**
 * The embedded store: `dataFile` holds the store's layout, per-user records live in shard
 * files beside it, and the event log in an append-only file. Created on first open. `log`
 * hears when writes start failing (a full or read-only disk) and when they work again.
 */
export async function openLowdbStores(
  dataFile: string,
  now: Date,
  shards = DEFAULT_SHARDS,
  log?: Log,
): Promise<Stores> {
  const files = storeFiles(dataFile);
  const disk = new DiskWatch(files.probe, log);
  await mkdir(path.dirname(dataFile), { recursive: true });
  const meta = new Low<Meta | null>(
    new DataFile<Meta | null>(files.meta, { parse: JSON.parse, stringify: (d) => JSON.stringify(d, null, 2) }),
    null,
  );
  await meta.read();
  if (meta.data === null) {
    meta.data = { format: 1, shards, createdAt: now.toISOString() };
    await meta.write();
  } else if (meta.data.format !== 1 || !Number.isInteger(meta.data.shards) || meta.data.shards < 1) {
    throw new Error(`${files.meta}: not a Postwise data file (unknown format or shard count)`);
  }
  const set = await ShardSet.open(files.shards, meta.data.shards, disk);
  const events = await EventFile.open(files.events, disk);
  return storesOn(
    (name) => set.table(name),
    events,
    async () => {
      await Promise.all([set.close(), events.close()]);
    },
    () => disk.health(),
  );
}
