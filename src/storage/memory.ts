import type { CourseEvent } from '../domain/course/events.js';
import type { EventLog, LoggedEvents } from '../domain/course/ports.js';
import { storesOn, type Stores } from './stores.js';
import { pagesFrom, type Table } from './table.js';

/** A Table in a Map; records are copied in and out so callers never share them. */
export class MemoryTable<T> implements Table<T> {
  private readonly rows = new Map<string, T>();

  async get(key: string): Promise<T | undefined> {
    return this.copy(key);
  }

  async update(key: string, change: (current: Readonly<T> | undefined) => T | undefined): Promise<T | undefined> {
    const next = change(this.rows.get(key));
    if (next === undefined) return undefined;
    this.rows.set(key, structuredClone(next));
    return next;
  }

  async peek<R>(key: string, pick: (current: Readonly<T> | undefined) => R): Promise<R> {
    return pick(this.rows.get(key));
  }

  async list(): Promise<T[]> {
    return [...this.rows.values()].map((row) => structuredClone(row));
  }

  async scan<R>(pick: (current: Readonly<T>) => R): Promise<R[]> {
    return [...this.rows.values()].map(pick);
  }

  async *scanPages<R>(pick: (current: Readonly<T>, key: string) => R, size: number): AsyncGenerator<readonly R[]> {
    yield* pagesFrom(this.rows.entries(), ([key, row]) => pick(row, key), size);
  }

  private copy(key: string): T | undefined {
    const row = this.rows.get(key);
    return row === undefined ? undefined : structuredClone(row);
  }
}

export class MemoryEventLog implements EventLog {
  private readonly events: CourseEvent[] = [];
  private readonly ids = new Set<string>();

  async append(event: CourseEvent): Promise<void> {
    if (this.ids.has(event.id)) return;
    this.ids.add(event.id);
    this.events.push(structuredClone(event));
  }

  async list(filter: { userId?: string } = {}): Promise<CourseEvent[]> {
    return this.events
      .filter((e) => filter.userId === undefined || e.userId === filter.userId)
      .map((e) => structuredClone(e));
  }

  /** The ids it keeps already: no copy of the log. */
  async logged(): Promise<LoggedEvents> {
    return { has: (event) => this.ids.has(event.id) };
  }

  async *pages(filter: { type?: CourseEvent['type'] }, size: number): AsyncIterable<readonly CourseEvent[]> {
    const matching = this.events.filter((e) => filter.type === undefined || e.type === filter.type);
    for (let at = 0; at < matching.length; at += size)
      yield matching.slice(at, at + size).map((e) => structuredClone(e));
  }
}

/** Stores that live only as long as the process: for tests and throw-away runs. */
export function memoryStores(): Stores {
  return storesOn(
    () => new MemoryTable(),
    new MemoryEventLog(),
    async () => {},
  );
}
