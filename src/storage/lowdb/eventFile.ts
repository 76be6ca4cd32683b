import type { CourseEvent } from '../../domain/course/events.js';
import type { EventLog, LoggedEvents } from '../../domain/course/ports.js';
import { AppendOnlyFile, cutTornLine, eachLine } from './appendFile.js';
import { GroupCommit } from './groupCommit.js';

/**
 * The event log as an append-only file, one JSON event a line. Appends are batched; a line
 * torn by a crash is cut off at open; an id appended twice is read back once. Reads stream
 * the file, so its size never has to fit in memory as one text.
 */
export class EventFile implements EventLog {
  private buffer: string[] = [];
  private readonly writer: GroupCommit;

  private constructor(private readonly file: AppendOnlyFile) {
    this.writer = new GroupCommit(async () => {
      const lines = this.buffer;
      this.buffer = [];
      await this.file.append(lines);
    });
  }

  static async open(file: string): Promise<EventFile> {
    await cutTornLine(file);
    return new EventFile(new AppendOnlyFile(file));
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
    if (!this.has(event)) this.byUser.set(event.userId, `${this.byUser.get(event.userId) ?? '\n'}${this.local(event)}\n`);
  }

  has(event: CourseEvent): boolean {
    return this.byUser.get(event.userId)?.includes(`\n${this.local(event)}\n`) ?? false;
  }

  /** The id without its user, as JSON: never holds the newline that separates ids. */
  private local(event: CourseEvent): string {
    return JSON.stringify(event.id.startsWith(`${event.userId}/`) ? event.id.slice(event.userId.length + 1) : event.id);
  }
}
