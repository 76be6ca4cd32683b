import { DataFile } from 'lowdb/node';
import { AppendOnlyFile, readLines } from './appendFile.js';
import type { DiskWatch } from './diskWatch.js';
import { GroupCommit } from './groupCommit.js';
import { Rows } from './rows.js';
import { shareStrings } from './sharedStrings.js';
import { TimeSlice } from '../../domain/time/eventLoop.js';

/** A shard file as JSON: table name -> key -> record. Parsed keys are own properties, never prototypes. */
type ShardDoc = Record<string, Record<string, unknown>>;

/** Below this, a journal is never folded into its snapshot. */
const MIN_COMPACT_BYTES = 64 * 1024;
/** How long making a snapshot holds the event loop at a time. */
const SLICE_MS = 4;

/**
 * One shard: a lowdb snapshot file plus a journal of the records changed since. A change
 * appends one line to the journal (cheap, whatever the shard's size); once the journal
 * outgrows the snapshot, the snapshot is rewritten (atomically, by lowdb) and the journal
 * emptied. Opening replays the journal over the snapshot; replaying a line twice is harmless.
 * Records live in Maps, so any string is an ordinary key.
 */
export class Shard {
  private readonly snapshot: DataFile<string>;
  private readonly tables = new Map<string, Rows>();
  private readonly writer: GroupCommit;
  private readonly journal: AppendOnlyFile;
  private buffer: string[] = [];
  private journalBytes = 0;
  private snapshotBytes = 0;

  constructor(snapshotFile: string, journalFile: string, disk?: DiskWatch) {
    this.journal = new AppendOnlyFile(journalFile);
    // The text is made by `snapshotText`, when the journal lines it replaces are dropped.
    this.snapshot = new DataFile<string>(snapshotFile, { parse: (text) => text, stringify: (text) => text });
    this.writer = new GroupCommit(() => (disk ? disk.write('shard.write', () => this.flush()) : this.flush()));
  }

  /** The records of one table in this shard. */
  rows(table: string): Rows {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = new Rows()));
    return rows;
  }

  async open(): Promise<void> {
    // Records loaded together share their equal strings (see shareStrings).
    const seen = new Map<string, string>();
    const text = await this.snapshot.read();
    if (text !== null) {
      this.snapshotBytes = text.length;
      for (const [table, records] of Object.entries(JSON.parse(text) as ShardDoc)) {
        const rows = this.rows(table);
        for (const [key, value] of Object.entries(records)) rows.load(key, shareStrings(value, seen));
      }
    }
    const lines = await readLines(this.journal.file);
    for (const line of lines) {
      const { t, k, v } = JSON.parse(line) as { t: string; k: string; v: unknown };
      this.rows(t).load(k, shareStrings(v, seen));
    }
    this.journalBytes = lines.reduce((n, line) => n + line.length + 1, 0);
  }

  /**
   * Writes that `table[key]` now holds the record `json` (already its latest value in `rows`); resolves once it is on
   * disk.
   */
  write(table: string, key: string, json: string): Promise<void> {
    this.buffer.push(`{"t":${JSON.stringify(table)},"k":${JSON.stringify(key)},"v":${json}}\n`);
    return this.writer.commit();
  }

  idle(): Promise<void> {
    return this.writer.idle();
  }

  /** Waits for pending writes, then closes the journal. */
  async close(): Promise<void> {
    await this.writer.idle();
    await this.journal.close();
  }

  private async flush(): Promise<void> {
    const lines = this.buffer;
    this.buffer = [];
    if (this.journalBytes > Math.max(this.snapshotBytes, MIN_COMPACT_BYTES)) {
      const text = await this.snapshotText();
      await this.snapshot.write(text);
      this.snapshotBytes = text.length;
      await this.journal.truncate();
      this.journalBytes = 0;
      return;
    }
    this.journalBytes += await this.journal.append(lines);
  }

  /**
   * The shard as JSON, made a few milliseconds at a time so that a big shard never holds the
   * event loop. It holds at least what is on disk plus the lines of this batch: their keys cannot
   * change until this write is done. A record changed meanwhile may be in it either way; its
   * journal line follows in the next batch, and replaying it is harmless.
   */
  private async snapshotText(): Promise<string> {
    const tables: string[] = [];
    const slice = new TimeSlice(SLICE_MS);
    for (const [table, rows] of this.tables) {
      const records: string[] = [];
      for (const [key, value] of rows.latestEntries()) {
        records.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
        if (slice.spent) await slice.pause();
      }
      tables.push(`${JSON.stringify(table)}:{${records.join(',')}}`);
    }
    return `{${tables.join(',')}}`;
  }
}
