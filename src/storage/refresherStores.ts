import type { DueEntry, RefresherDay, RefresherStore } from '../domain/refreshers/ports.js';
import type { Refreshers } from '../domain/refreshers/refresher.js';
import { addDays } from '../domain/time/calendar.js';
import type { Table } from './table.js';

/** Employees filed under one day and shard of the due index. */
export interface DueBucket {
  readonly members: readonly string[];
}

/** The earliest day the due index may still hold anyone under. */
export interface DueCursor {
  readonly day: string;
}

/** Everyone filed under one day of the due index. */
export interface FiledDay {
  readonly day: string;
  readonly members: readonly string[];
}

/** Buckets per day: a day that many employees are due on is spread over this many small records. */
const SHARDS = 32;
const CURSOR = 'cursor';

function shardOf(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) hash = Math.imul(hash ^ userId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % SHARDS;
}

const bucketKey = (day: string, shard: number) => `${day}#${shard}`;

export class TableRefresherStore implements RefresherStore {
  constructor(
    private readonly people: Table<Refreshers>,
    private readonly due: Table<DueBucket>,
    private readonly cursor: Table<DueCursor>,
    private readonly counts: Table<RefresherDay>,
  ) {}

  get(userId: string): Promise<Refreshers | undefined> {
    return this.people.get(userId);
  }

  update(
    userId: string,
    change: (current: Refreshers | undefined) => Refreshers | undefined,
  ): Promise<Refreshers | undefined> {
    return this.people.update(userId, change);
  }

  userIds(): Promise<string[]> {
    return this.people.scan((r) => r.userId);
  }

  async file(day: string, userId: string): Promise<void> {
    await this.due.update(bucketKey(day, shardOf(userId)), (current) =>
      current?.members.includes(userId) ? undefined : { members: [...(current?.members ?? []), userId] },
    );
    await this.cursor.update(CURSOR, (current) => (current === undefined || day < current.day ? { day } : undefined));
  }

  async dueBy(today: string, limit: number): Promise<DueEntry[]> {
    const start = await this.cursor.peek(CURSOR, (c) => c?.day);
    if (start === undefined || start > today) return [];
    const found: DueEntry[] = [];
    let first: string | undefined;
    for await (const { day, members } of this.filedDays(start, today)) {
      if (members.length === 0) continue;
      first ??= day;
      for (const userId of members.slice(0, limit - found.length)) found.push({ day, userId });
      if (found.length >= limit) break;
    }
    // Nobody is filed under a past day any more (filing is for today or later): the index starts at the first day
    // anyone is filed under, today at the latest.
    const next = first !== undefined && first < today ? first : today;
    if (start < next) await this.cursor.update(CURSOR, (c) => (c?.day === start ? { day: next } : undefined));
    return found;
  }

  async unfile(entries: readonly DueEntry[]): Promise<void> {
    const byBucket = new Map<string, Set<string>>();
    for (const { day, userId } of entries) {
      const key = bucketKey(day, shardOf(userId));
      byBucket.set(key, (byBucket.get(key) ?? new Set()).add(userId));
    }
    await Promise.all(
      [...byBucket].map(([key, gone]) =>
        this.due.update(key, (current) =>
          current && current.members.some((m) => gone.has(m))
            ? { members: current.members.filter((m) => !gone.has(m)) }
            : undefined,
        ),
      ),
    );
  }

  async count(day: string, lessonId: string, correct: boolean): Promise<void> {
    await this.counts.update(day, (current) => {
      const [answered, right] = current?.lessons[lessonId] ?? [0, 0];
      return { day, lessons: { ...current?.lessons, [lessonId]: [answered + 1, right + (correct ? 1 : 0)] } };
    });
  }

  async days(from: string, to: string): Promise<RefresherDay[]> {
    const keys: string[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) keys.push(day);
    const rows = await Promise.all(keys.map((day) => this.counts.get(day)));
    return rows.filter((r) => r !== undefined);
  }

  /** The members filed under each day from `from` to `to` (both included), earliest day first, shard by shard. */
  protected async *filedDays(from: string, to: string): AsyncGenerator<FiledDay> {
    for (let day = from; day <= to; day = addDays(day, 1)) {
      const buckets = await Promise.all(
        Array.from({ length: SHARDS }, (_, s) => this.due.peek(bucketKey(day, s), (b) => (b ? [...b.members] : []))),
      );
      yield { day, members: buckets.flat() };
    }
  }
}
