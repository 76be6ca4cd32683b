import path from 'node:path';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { startHarness, type BotHarness, type HarnessOptions } from './harness.js';

/** The real server on a real 4-shard lowdb store in `dir` (postwise.json), opened on Monday 2 November 2026. */
export async function startOnLowdb(dir: string, options: Omit<HarnessOptions, 'stores'> = {}): Promise<BotHarness> {
  const stores = await openLowdbStores(path.join(dir, 'postwise.json'), new Date('2026-11-02T09:00:00Z'), 4);
  return startHarness({ ...options, stores });
}
