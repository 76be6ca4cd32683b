import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Table } from '../table.js';
import { GroupCommit } from './groupCommit.js';

type ShardDoc = Record<string, Record<string, unknown>>;

class Shard {
  readonly db: Low<ShardDoc>;
  readonly writer: GroupCommit;

  constructor(file: string) {
    // Compact JSON: the document is rewritten whole on every write, so every byte counts.
    this.db = new Low<ShardDoc>(new DataFile<ShardDoc>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), {});
    this.writer = new GroupCommit(() => this.db.write());
  }
}

/**
 * Records spread over many small lowdb files by a hash of their key, so that a write
 * rewrites one small file instead of everybody's data.
 */
export class ShardSet {
  private constructor(private readonly shards: Shard[]) {}

  static async open(dir: string, count: number): Promise<ShardSet> {
    await mkdir(dir, { recursive: true });
    const present = new Set(await readdir(dir));
    const shards = Array.from({ length: count }, (_, i) => new Shard(path.join(dir, shardFileName(i))));
    await Promise.all(
      shards.map(async (shard, i) => {
        if (present.has(shardFileName(i))) await shard.db.read();
      }),
    );
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
    await Promise.all(this.shards.map((s) => s.writer.idle()));
  }
}

class ShardedTable<T> implements Table<T> {
  constructor(
    private readonly set: ShardSet,
    private readonly name: string,
  ) {}

  async get(key: string): Promise<T | undefined> {
    return this.read(this.set.shardOf(key), key);
  }

  async update(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    const shard = this.set.shardOf(key);
    const next = change(this.read(shard, key));
    if (next === undefined) return this.read(shard, key);
    const rows = (shard.db.data[this.name] ??= {});
    rows[key] = structuredClone(next);
    const written = structuredClone(next);
    await shard.writer.commit();
    // What this update wrote, not what later updates wrote while this one was committing.
    return written;
  }

  async list(): Promise<T[]> {
    return this.set.all().flatMap((shard) => Object.values(shard.db.data[this.name] ?? {}).map((row) => structuredClone(row) as T));
  }

  private read(shard: Shard, key: string): T | undefined {
    const row = shard.db.data[this.name]?.[key];
    return row === undefined ? undefined : (structuredClone(row) as T);
  }
}

function shardFileName(index: number): string {
  return `${String(index).padStart(4, '0')}.json`;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
