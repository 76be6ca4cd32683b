import { truncate } from 'node:fs/promises';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { appendLines, readLines } from './appendFile.js';
import { GroupCommit } from './groupCommit.js';

export type ShardDoc = Record<string, Record<string, unknown>>;

/** Below this, a journal is never folded into its snapshot. */
const MIN_COMPACT_BYTES = 64 * 1024;

/**
 * One shard: a lowdb snapshot file plus a journal of the records changed since. A change
 * appends one line to the journal (cheap, whatever the shard's size); once the journal
 * outgrows the snapshot, the snapshot is rewritten (atomically, by lowdb) and the journal
 * emptied. Opening replays the journal over the snapshot; replaying a line twice is harmless.
 */
export class Shard {
  private readonly db: Low<ShardDoc>;
  private readonly writer: GroupCommit;
  private buffer: string[] = [];
  private journalBytes = 0;
  private snapshotBytes = 0;

  constructor(
    snapshotFile: string,
    private readonly journalFile: string,
  ) {
    this.db = new Low<ShardDoc>(
      new DataFile<ShardDoc>(snapshotFile, {
        parse: (text) => {
          this.snapshotBytes = text.length;
          return JSON.parse(text) as ShardDoc;
        },
        stringify: (doc) => {
          const text = JSON.stringify(doc);
          this.snapshotBytes = text.length;
          return text;
        },
      }),
      {},
    );
    this.writer = new GroupCommit(() => this.flush());
  }

  get data(): ShardDoc {
    return this.db.data;
  }

  async open(): Promise<void> {
    await this.db.read();
    const lines = await readLines(this.journalFile);
    for (const line of lines) {
      const { t, k, v } = JSON.parse(line) as { t: string; k: string; v: unknown };
      (this.db.data[t] ??= {})[k] = v;
    }
    this.journalBytes = lines.reduce((n, line) => n + line.length + 1, 0);
  }

  /** Records that `table[key]` now holds `value` (already set in `data`); resolves once it is on disk. */
  changed(table: string, key: string, value: unknown): Promise<void> {
    this.buffer.push(`${JSON.stringify({ t: table, k: key, v: value })}\n`);
    return this.writer.commit();
  }

  idle(): Promise<void> {
    return this.writer.idle();
  }

  private async flush(): Promise<void> {
    if (this.journalBytes > Math.max(this.snapshotBytes, MIN_COMPACT_BYTES)) {
      // Everything buffered is already in `data`, so the snapshot covers it.
      this.buffer = [];
      await this.db.write();
      await truncate(this.journalFile, 0);
      this.journalBytes = 0;
      return;
    }
    const lines = this.buffer;
    this.buffer = [];
    this.journalBytes += await appendLines(this.journalFile, lines);
  }
}
