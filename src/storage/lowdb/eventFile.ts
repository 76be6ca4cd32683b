import type { CourseEvent } from '../../domain/course/events.js';
import type { EventLog } from '../../domain/course/ports.js';
import { appendLines, readLines } from './appendFile.js';
import { GroupCommit } from './groupCommit.js';

/**
 * The event log as an append-only file, one JSON event a line. Appends are batched; a line
 * torn by a crash is cut off at open; an id appended twice is read back once.
 */
export class EventFile implements EventLog {
  private buffer: string[] = [];
  private readonly writer: GroupCommit;

  private constructor(private readonly file: string) {
    this.writer = new GroupCommit(async () => {
      const lines = this.buffer;
      this.buffer = [];
      await appendLines(this.file, lines);
    });
  }

  static async open(file: string): Promise<EventFile> {
    await readLines(file);
    return new EventFile(file);
  }

  append(event: CourseEvent): Promise<void> {
    this.buffer.push(`${JSON.stringify(event)}\n`);
    return this.writer.commit();
  }

  async list(filter: { userId?: string } = {}): Promise<CourseEvent[]> {
    await this.writer.idle();
    const seen = new Set<string>();
    const events: CourseEvent[] = [];
    for (const line of await readLines(this.file)) {
      const event = JSON.parse(line) as CourseEvent;
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      if (filter.userId === undefined || event.userId === filter.userId) events.push(event);
    }
    return events;
  }

  idle(): Promise<void> {
    return this.writer.idle();
  }
}
