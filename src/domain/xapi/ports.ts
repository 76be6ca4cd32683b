import type { RefresherAnswer } from '../refreshers/refresher.js';
import type { XapiEntry } from './outboxEntry.js';
import type { Statement } from './statements.js';

/** One person's statements waiting for the learning record store, oldest first. */
export interface XapiOutbox {
  readonly userId: string;
  readonly entries: readonly XapiEntry[];
  /** The highest refresher number whose answer is in the outbox (or was sent). */
  readonly refresherN?: number;
  /** Set before a refresher answer is written, cleared once its statement is in the outbox: when. */
  readonly refresherPending?: string;
}

/**
 * The durable outbox, one record per person. Adding is idempotent (an entry id already waiting is
 * not added again), so a retried event makes no second statement.
 */
export interface XapiOutboxStore {
  get(userId: string): Promise<XapiOutbox | undefined>;
  /** Appends the entries not already waiting, after those waiting. */
  add(userId: string, entries: readonly XapiEntry[]): Promise<void>;
  /** Notes, at `at`, that a refresher answer is about to be written for the person. */
  expectRefresher(userId: string, at: string): Promise<void>;
  /** Appends the refresher answers after `refresherN` (made into entries by `entry`) and clears the note. */
  addRefresherAnswers(
    userId: string,
    answers: readonly RefresherAnswer[],
    entry: (answer: RefresherAnswer) => XapiEntry,
  ): Promise<void>;
  /** Takes a delivered entry out. */
  remove(userId: string, entryId: string): Promise<void>;
  /** Everyone with entries waiting or a refresher answer noted. */
  waiting(): Promise<string[]>;
}

/** What the learning record store said to one statement. */
export type LrsOutcome =
  | { readonly kind: 'stored' }
  /** 409: it holds a statement with this id already; Postwise's ids are its own, so it was delivered before. */
  | { readonly kind: 'conflict' }
  /** 429, 5xx, no answer in time: try again, after `retryAfterMs` when the store said so. */
  | { readonly kind: 'busy'; readonly retryAfterMs?: number }
  /** 401 or 403: the key or secret is wrong, a configuration problem. */
  | { readonly kind: 'unauthorized' }
  /** Any other answer: kept, and tried again much later. */
  | { readonly kind: 'refused'; readonly status: number };

/** Sends one statement to the learning record store. */
export interface LrsClient {
  send(statement: Statement): Promise<LrsOutcome>;
}
