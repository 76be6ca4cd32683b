import type { Language } from '../domain/course.js';
import type { CourseEvent } from '../domain/events.js';
import type { Acknowledgement, Answer, Progress } from '../domain/progress.js';
import type { ContactChannel, FaqEntry, ThreadRef, Ticket } from '../domain/tickets.js';

/**
 * One employee's course progress. Every method is keyed by user id, so a partitioned store
 * (one partition per user) can implement each as a single-partition operation.
 */
export interface ProgressStore {
  get(userId: string): Promise<Progress | undefined>;
  /** The language the employee chose, if any. */
  language(userId: string): Promise<Language | undefined>;
  /** Marks a lesson opened; opening it again changes nothing. */
  openLesson(userId: string, lessonId: string, at: string): Promise<Progress>;
  /** Stores the answer unless the question already has one; `created` says which happened. */
  recordAnswer(userId: string, answer: Answer): Promise<{ progress: Progress; created: boolean }>;
  /** Stores the acknowledgement unless this version is already acknowledged. */
  recordAcknowledgement(userId: string, ack: Acknowledgement): Promise<{ progress: Progress; created: boolean }>;
  setLanguage(userId: string, language: Language, at: string): Promise<Progress>;
}

/** Where to reach an employee proactively: the parts of a Bot Framework conversation reference. */
export interface ConversationRef {
  readonly serviceUrl: string;
  readonly channelId: string;
  readonly conversationId: string;
  readonly botId: string;
  readonly tenantId?: string;
}

export interface ConversationStore {
  get(userId: string): Promise<ConversationRef | undefined>;
  put(userId: string, ref: ConversationRef): Promise<void>;
}

/** Append-only event log. Appending an id that is already there has no effect. */
export interface EventLog {
  append(event: CourseEvent): Promise<void>;
  /** Events in the order they were appended, optionally for one user. */
  list(filter?: { userId?: string }): Promise<CourseEvent[]>;
}

/** Questions and reports to the point of contact, numbered from 1. */
export interface TicketStore {
  /** Hands out the next ticket number; numbers are never handed out twice. */
  nextNumber(): Promise<number>;
  /** Stores a new ticket under its number. */
  put(ticket: Ticket): Promise<void>;
  get(number: number): Promise<Ticket | undefined>;
  /** The ticket whose thread has this conversation id. */
  byThread(conversationId: string): Promise<Ticket | undefined>;
  setThread(number: number, thread: ThreadRef): Promise<Ticket | undefined>;
  /** Applies `change` atomically; undefined from `change` leaves the ticket as it is. */
  update(number: number, change: (ticket: Ticket) => Ticket | undefined): Promise<Ticket | undefined>;
  /** Tickets not yet resolved. */
  unresolved(): Promise<Ticket[]>;
  /**
   * Makes a retried request idempotent: stores `value` under `key` unless the key is
   * already there, and returns what is stored.
   */
  remember(key: string, value: number): Promise<number>;
}

export interface SettingsStore {
  contactChannel(): Promise<ContactChannel | undefined>;
  setContactChannel(channel: ContactChannel): Promise<void>;
}

export interface FaqStore {
  /** Publishing an id that is already published replaces nothing. */
  publish(entry: FaqEntry): Promise<FaqEntry>;
  list(): Promise<FaqEntry[]>;
}

export interface Stores {
  readonly progress: ProgressStore;
  readonly conversations: ConversationStore;
  readonly events: EventLog;
  readonly tickets: TicketStore;
  readonly settings: SettingsStore;
  readonly faq: FaqStore;
  /** Waits for every pending write, then releases files. */
  close(): Promise<void>;
}
