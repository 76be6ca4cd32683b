import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { CourseEvent } from '../../domain/course/events.js';
import type { EventLog, LoggedEvents } from '../../domain/course/ports.js';
import { AppendOnlyFile, cutTornLine, eachLine } from './appendFile.js';
import type { DiskWatch } from './diskWatch.js';
import { GroupCommit } from './groupCommit.js';

/**
 * The event log as an append-only file, one JSON event a line. Appends are batched; a line
 * torn by a crash is cut off at open; an id appended twice is read back once. Reads stream
 * the file, so its size never has to fit in memory as one text.
 */
export class EventFile implements EventLog {
  private buffer: string[] = [];
  private readonly writer: GroupCommit;

  private constructor(
    private readonly file: AppendOnlyFile,
    disk?: DiskWatch,
  ) {
    const write = async () => {
      const lines = this.buffer;
      this.buffer = [];
      await this.file.append(lines);
    };
    this.writer = new GroupCommit(disk ? () => disk.write('events.append', write) : write);
  }

  static async open(file: string, disk?: DiskWatch): Promise<EventFile> {
    await cutTornLine(file);
    return new EventFile(new AppendOnlyFile(file), disk);
  }

  append(event: CourseEvent): Promise<void> {
    this.buffer.push(`${JSON.stringify(event)}\n`);
    return this.writer.commit();
  }

  async list(filter: { userId?: string } = {}): Promise<CourseEvent[]> {
    await this.writer.idle();
    const seen = new Set<string>();
    const events: CourseEvent[] = [];
    for await (const line of eachLine(this.file.file)) {
      const event = JSON.parse(line) as CourseEvent;
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      if (filter.userId === undefined || event.userId === filter.userId) events.push(event);
    }
    return events;
  }

  async logged(): Promise<LoggedEvents> {
    await this.writer.idle();
    const ids = new CompactIds();
    for await (const line of eachLine(this.file.file)) ids.add(JSON.parse(line) as CourseEvent);
    return ids;
  }

  /** Reads the file line by line up to where it ended when called; only matching ids are remembered to skip repeats. */
  async *pages(filter: { type?: CourseEvent['type'] }, size: number): AsyncIterable<readonly CourseEvent[]> {
    await this.writer.idle();
    const length = await stat(this.file.file).then(
      (s) => s.size,
      () => 0,
    );
    if (length === 0) return;
    const seen = new Set<string>();
    let page: CourseEvent[] = [];
    const take = (event: CourseEvent) => {
      if ((filter.type !== undefined && event.type !== filter.type) || seen.has(event.id)) return;
      seen.add(event.id);
      page.push(event);
    };
    let previous: string | undefined;
    for await (const line of createInterface({
      input: createReadStream(this.file.file, { start: 0, end: length - 1 }),
      crlfDelay: Infinity,
    })) {
      if (previous) take(JSON.parse(previous) as CourseEvent);
      previous = line;
      if (page.length >= size) {
        yield page;
        page = [];
      }
    }
    // The last line may be cut short: an append that was being written when the length was read.
    const last = previous ? parsed(previous) : undefined;
    if (last) take(last);
    if (page.length > 0) yield page;
  }

  idle(): Promise<void> {
    return this.writer.idle();
  }

  /** Waits for pending appends, then closes the file. */
  async close(): Promise<void> {
    await this.writer.idle();
    await this.file.close();
  }
}

/**
 * Event ids by user, each user's ids (without the `userId/` they start with) in one string:
 * a few bytes an event where a Set of ids would take a hundred.
 */
class CompactIds implements LoggedEvents {
  private readonly byUser = new Map<string, string>();

  add(event: CourseEvent): void {
    if (!this.has(event))
      this.byUser.set(event.userId, `${this.byUser.get(event.userId) ?? '\n'}${this.local(event)}\n`);
  }

  has(event: CourseEvent): boolean {
    return this.byUser.get(event.userId)?.includes(`\n${this.local(event)}\n`) ?? false;
  }

  /** The id without its user, as JSON: never holds the newline that separates ids. */
  private local(event: CourseEvent): string {
    return JSON.stringify(event.id.startsWith(`${event.userId}/`) ? event.id.slice(event.userId.length + 1) : event.id);
  }
}

function parsed(line: string): CourseEvent | undefined {
  try {
    return JSON.parse(line) as CourseEvent;
  } catch {
    return undefined;
  }
}
