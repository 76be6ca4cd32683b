import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShardSet } from '../../src/storage/lowdb/shardedTable.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('shard-snapshot');

interface Row {
  readonly n: number;
  readonly text: string;
}

describe('a shard folding its journal into its snapshot', () => {
  it('keeps every write made while the snapshot is being made, across a reopen', async () => {
    const dir = await tempDir();
    const set = await ShardSet.open(dir, 1);
    const table = set.table<Row>('rows');
    const text = 'x'.repeat(2000);
    // Enough records that making the snapshot takes many slices of the event loop.
    await Promise.all(Array.from({ length: 3000 }, (_, i) => table.update(`k${i}`, () => ({ n: 0, text }))));
    const rounds: Promise<unknown>[] = [];
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 3000; i += 7)
        rounds.push(table.update(`k${i}`, (current) => ({ n: (current?.n ?? 0) + 1, text })));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(rounds);
    await set.close();
    expect((await readFile(path.join(dir, '0000.json'), 'utf8')).length).toBeGreaterThan(3000 * 2000);

    const again = await ShardSet.open(dir, 1);
    const rows = again.table<Row>('rows');
    for (let i = 0; i < 3000; i++) expect((await rows.get(`k${i}`))?.n).toBe(i % 7 === 0 ? 3 : 0);
    await again.close();
  });
});
