import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pagesFrom, type Table } from '../table.js';
import type { DiskWatch } from './diskWatch.js';
import { Shard } from './shard.js';

/**
 * Records spread over many small shards by a hash of their key, so that opening, compacting
 * and replaying stay small whatever the number of employees.
 */
export class ShardSet {
  private constructor(private readonly shards: Shard[]) {}

  static async open(dir: string, count: number, disk?: DiskWatch): Promise<ShardSet> {
    await mkdir(dir, { recursive: true });
    const name = (i: number) => path.join(dir, String(i).padStart(4, '0'));
    const shards = Array.from(
      { length: count },
      (_, i) => new Shard(`${name(i)}.json`, `${name(i)}.journal.jsonl`, disk),
    );
    // One at a time: the text of a shard being read is garbage once it is parsed, and reading
    // them all at once would make the process's memory peak (and stay) at the whole store's text.
    for (const shard of shards) await shard.open();
    return new ShardSet(shards);
  }

  table<T>(name: string): Table<T> {
    return new ShardedTable<T>(this, name);
  }

  shardOf(key: string): Shard {
    return this.shards[fnv1a(key) % this.shards.length] as Shard;
  }

  all(): readonly Shard[] {
    return this.shards;
  }

  async idle(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.idle()));
  }

  /** Waits for pending writes, then closes the shards' journals. */
  async close(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.close()));
  }
}

/** Reads see only records on disk; an update resolves once what it wrote is on disk. */
class ShardedTable<T> implements Table<T> {
  constructor(
    private readonly set: ShardSet,
    private readonly name: string,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const row = this.set.shardOf(key).rows(this.name).durable(key);
    return row === undefined ? undefined : copy(row as T);
  }

  async update(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    const shard = this.set.shardOf(key);
    let next: T | undefined;
    // Made once: the journal line and the stored copy both come from it.
    let json = '';
    const stored = await shard.rows(this.name).update(
      key,
      (current) => {
        next = change(current as T | undefined);
        if (next === undefined) return undefined;
        json = JSON.stringify(next);
        return JSON.parse(json) as T;
      },
      () => shard.write(this.name, key, json),
    );
    // What this update wrote (the caller's own object), not what later updates wrote meanwhile.
    return stored === undefined ? undefined : next;
  }

  async peek<R>(key: string, pick: (current: Readonly<T> | undefined) => R): Promise<R> {
    return pick(this.set.shardOf(key).rows(this.name).durable(key) as T | undefined);
  }

  async list(): Promise<T[]> {
    return this.set
      .all()
      .flatMap((shard) => Array.from(shard.rows(this.name).durableValues(), (row) => copy(row as T)));
  }

  async scan<R>(pick: (current: Readonly<T>) => R): Promise<R[]> {
    const picked: R[] = [];
    for (const shard of this.set.all())
      for (const row of shard.rows(this.name).durableValues()) picked.push(pick(row as T));
    return picked;
  }

  async *scanPages<R>(pick: (current: Readonly<T>, key: string) => R, size: number): AsyncGenerator<readonly R[]> {
    const shards = this.set.all();
    const name = this.name;
    function* rows() {
      for (const shard of shards) yield* shard.rows(name).durableEntries();
    }
    yield* pagesFrom(rows(), ([key, row]) => pick(row as T, key), size);
  }
}

/** A deep copy of a JSON record: cheaper than structuredClone for plain data. */
function copy<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
