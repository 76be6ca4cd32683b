import { appendFile, readFile, truncate } from 'node:fs/promises';
import type { CourseEvent } from '../../domain/events.js';
import type { EventLog } from '../interfaces.js';
import { GroupCommit } from './groupCommit.js';

/**
 * The event log as an append-only file, one JSON event a line. Appends are batched; a line
 * torn by a crash is cut off at open; an id appended twice is read back once.
 */
export class EventFile implements EventLog {
  private buffer: string[] = [];
  private readonly writer: GroupCommit;

  private constructor(private readonly file: string) {
    this.writer = new GroupCommit(() => this.flush());
  }

  static async open(file: string): Promise<EventFile> {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    if (text !== '' && !text.endsWith('\n')) {
      await truncate(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    }
    return new EventFile(file);
  }

  append(event: CourseEvent): Promise<void> {
    this.buffer.push(`${JSON.stringify(event)}\n`);
    return this.writer.commit();
  }

  async list(filter: { userId?: string } = {}): Promise<CourseEvent[]> {
    await this.writer.idle();
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const seen = new Set<string>();
    const events: CourseEvent[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
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

  private async flush(): Promise<void> {
    const chunk = this.buffer.join('');
    this.buffer = [];
    if (chunk !== '') await appendFile(this.file, chunk, 'utf8');
  }
}
