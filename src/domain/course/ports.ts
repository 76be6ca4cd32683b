import type { Language } from './course.js';
import type { CourseEvent } from './events.js';
import type { PagedScan } from '../paging/pagedScan.js';
import type { Acknowledgement, Answer, Progress, RenewalRound } from './progress.js';

/**
 * One employee's course progress. Every method is keyed by user id, so a partitioned store
 * (one partition per user) can implement each as a single-partition operation.
 */
export interface ProgressStore extends PagedScan<Progress> {
  get(userId: string): Promise<Progress | undefined>;
  /** A projection of every employee's progress, without copying records. */
  scan<R>(pick: (progress: Readonly<Progress>) => R): Promise<R[]>;
  /** The language the employee chose, if any. */
  language(userId: string): Promise<Language | undefined>;
  /**
   * Marks a lesson opened at `revision` (1 unless given); opening it again at that revision or an older one changes
   * nothing.
   */
  openLesson(userId: string, lessonId: string, at: string, revision?: number): Promise<Progress>;
  /**
   * Stores the answer unless the question already has one on the same or a later lesson revision;
   * an answer on an older revision moves, with its review attempts, to `earlier`. `created` says which happened.
   */
  recordAnswer(userId: string, answer: Answer): Promise<{ progress: Progress; created: boolean }>;
  /**
   * Stores review attempt `attempt` (from 1) at a question unless that attempt is already stored,
   * an attempt before it is missing, or the question was answered correctly; `created` says which happened.
   */
  recordReview(userId: string, attempt: number, answer: Answer): Promise<{ progress: Progress; created: boolean }>;
  /** Stores the acknowledgement unless this version is already acknowledged (for a renewal: renewed for that lapse). */
  recordAcknowledgement(userId: string, ack: Acknowledgement): Promise<{ progress: Progress; created: boolean }>;
  /** Replaces the renewal under way with what `change` makes of the progress; undefined from it writes nothing. */
  recordRenewal(
    userId: string,
    change: (progress: Readonly<Progress>) => RenewalRound | undefined,
  ): Promise<{ progress: Progress; created: boolean }>;
  setLanguage(userId: string, language: Language, at: string): Promise<Progress>;
}

/** Append-only event log. Appending an id that is already there has no effect. */
export interface EventLog {
  append(event: CourseEvent): Promise<void>;
  /** Events in the order they were appended, optionally for one user. */
  list(filter?: { userId?: string }): Promise<CourseEvent[]>;
  /**
   * Which events are in the log, in far less memory than list() (for a log of millions); without it, list() is read.
   */
  logged?(): Promise<LoggedEvents>;
  /** Which of these events, all of one employee, are in the log, reading only them; without it, list() is read. */
  loggedAmong?(events: readonly CourseEvent[]): Promise<LoggedEvents>;
  /**
   * The events of one type (all without one), at most `size` at a time, each stored event once:
   * for reads over the whole log that must not hold it in memory. In append order where one
   * process keeps the log; a shared log gives them person by person.
   */
  pages(filter: { type?: CourseEvent['type'] }, size: number): AsyncIterable<readonly CourseEvent[]>;
}

/** Answers whether an event (by its id) is in the log. */
export interface LoggedEvents {
  has(event: CourseEvent): boolean;
}

/**
 * The name people were shown for each policy version (Course.versionName: the published date and a
 * number). Kept, because an older version's published date cannot be derived from its hash.
 */
export interface VersionNameStore {
  /** Every version's name, by version. */
  versionNames(): Promise<Readonly<Record<string, string>>>;
  /** Keeps `name` as the name of `version`, replacing an earlier one. */
  recordVersionName(version: string, name: string): Promise<void>;
}

/** The text hash each lesson had at each revision, as of the last start-up. */
export interface LessonTextStore {
  /** Stores `hash` as the lesson's text at `revision` and returns the one stored before, if any. */
  record(lessonId: string, revision: number, hash: string): Promise<string | undefined>;
}

/** Who completed the course as a read model holds it (HR's figures): where the leader's rounds find their people. */
export interface Completions {
  /**
   * The progress store's keys of everyone whose progress says they completed the course, whose lapse day
   * (undefined: it never lapses) `wanted` takes.
   */
  completedWhere(wanted: (lapse: string | undefined) => boolean): Promise<string[]>;
}
