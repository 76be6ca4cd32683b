import type { RefresherAnswer, Refreshers } from './refresher.js';

/** An employee filed under a day in the due index. */
export interface DueEntry {
  readonly day: string;
  readonly userId: string;
}

/** First-try refresher answers of one day, per lesson: [answered, correct]. */
export interface RefresherDay {
  readonly day: string;
  readonly lessons: Readonly<Record<string, readonly [number, number]>>;
}

/**
 * Employees' refreshers, an index of who is due on which day (so finding who is due never reads
 * the whole roster), and answer counts per day (so the retention figure never does either).
 */
export interface RefresherStore {
  get(userId: string): Promise<Refreshers | undefined>;
  /** Applies `change` atomically; undefined from `change` writes nothing. */
  update(
    userId: string,
    change: (current: Refreshers | undefined) => Refreshers | undefined,
  ): Promise<Refreshers | undefined>;
  /** User ids of everyone with refreshers. */
  userIds(): Promise<string[]>;
  /** Files the employee under `day` (today or later) in the due index; filing twice is harmless. */
  file(day: string, userId: string): Promise<void>;
  /** Up to `limit` entries filed under `today` or earlier, earliest day first. */
  dueBy(today: string, limit: number): Promise<DueEntry[]>;
  /** Takes entries out of the due index. */
  unfile(entries: readonly DueEntry[]): Promise<void>;
  /** Counts one first-try refresher answer on `day` to a question of `lessonId`. */
  count(day: string, lessonId: string, correct: boolean): Promise<void>;
  /** The counts of the days from `from` to `to`, both included (days without answers left out). */
  days(from: string, to: string): Promise<RefresherDay[]>;
}

/** Hears of each refresher answer before and after it is written: a record of learning kept elsewhere. */
export interface RefresherAnswerLog {
  /** Before an answer of the person's is written, at `at`. */
  expect(userId: string, at: string): Promise<void>;
  /** Once it is written: the answers the person's refreshers now keep. */
  written(userId: string, answers: readonly RefresherAnswer[]): Promise<void>;
}
