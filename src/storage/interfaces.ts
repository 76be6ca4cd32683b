import type { Language } from '../domain/course/course.js';
import type { CourseEvent } from '../domain/course/events.js';
import type { Acknowledgement, Answer, Progress } from '../domain/course/progress.js';
import type { ContactChannel, FaqEntry, ThreadRef, Ticket } from '../domain/questions/tickets.js';
import type { Assignment } from '../domain/campaigns/assignment.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import type { Delivery } from '../domain/campaigns/delivery.js';
import type { InventoryTotals } from '../domain/inventory/inventory.js';
import type { Member, RosterRow } from '../domain/roster/roster.js';

/**
 * One employee's course progress. Every method is keyed by user id, so a partitioned store
 * (one partition per user) can implement each as a single-partition operation.
 */
export interface ProgressStore {
  get(userId: string): Promise<Progress | undefined>;
  /** A projection of every employee's progress, without copying records. */
  scan<R>(pick: (progress: Readonly<Progress>) => R): Promise<R[]>;
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
  /** What `remember` stored under `key`, if anything. */
  remembered(key: string): Promise<number | undefined>;
}

/** Where the bot reaches Teams for people it has no conversation with yet. */
export interface TeamsPlace {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly botId: string;
}

export interface SettingsStore {
  contactChannel(): Promise<ContactChannel | undefined>;
  setContactChannel(channel: ContactChannel): Promise<void>;
  /** A random secret made on first use and kept: it signs download links across restarts. */
  secret(): Promise<string>;
  /** Records that the download link with this id was used; false when it already was. */
  useLink(linkId: string, at: string): Promise<boolean>;
  /** The last place a personal chat came from; unchanged places are not written again. */
  teamsPlace(): Promise<TeamsPlace | undefined>;
  setTeamsPlace(place: TeamsPlace): Promise<void>;
}

/** The workforce, keyed by lower-case e-mail address. */
export interface RosterStore {
  get(key: string): Promise<Member | undefined>;
  /** The member with this (lower-case) Entra object id. */
  byAadObjectId(aadObjectId: string): Promise<Member | undefined>;
  /** Inserts or replaces one member and indexes its Entra object id. */
  put(member: Member): Promise<void>;
  list(): Promise<Member[]>;
  /** A projection of every member, without copying records; `pick` must not return parts of them. */
  scan<R>(pick: (member: Readonly<Member>) => R): Promise<R[]>;
}

export interface CampaignStore {
  /** Stores the campaign unless its id is taken; returns what is stored and whether it is new. */
  create(campaign: Campaign): Promise<{ campaign: Campaign; created: boolean }>;
  get(id: string): Promise<Campaign | undefined>;
  list(): Promise<Campaign[]>;
}

export interface DeliveryStore {
  /** Adds the deliveries whose ids are not there yet; returns how many were added. */
  add(deliveries: readonly Delivery[]): Promise<number>;
  get(id: string): Promise<Delivery | undefined>;
  /** Applies `change` atomically; undefined from `change` writes nothing. */
  update(id: string, change: (delivery: Delivery) => Delivery | undefined): Promise<Delivery | undefined>;
  /** Every delivery of one campaign or reminder round. */
  forSend(sendId: string): Promise<Delivery[]>;
  /** Deliveries that are not final yet, of every send. */
  open(): Promise<Delivery[]>;
}

export interface AssignmentStore {
  get(key: string): Promise<Assignment | undefined>;
  /** Applies `change` atomically to the member's assignment (undefined when there is none yet). */
  update(key: string, change: (current: Assignment | undefined) => Assignment | undefined): Promise<Assignment | undefined>;
  scan<R>(pick: (assignment: Readonly<Assignment>) => R): Promise<R[]>;
}

/** A roster file HR dropped into the chat, kept until HR confirms the import. */
export interface RosterUpload {
  readonly id: string;
  readonly uploadedBy: string;
  readonly fileName: string;
  readonly rows: readonly RosterRow[];
  readonly problems: readonly { readonly line: number; readonly reason: string }[];
  /** E-mail addresses on rows with problems: those people are not made inactive by the import. */
  readonly keep: readonly string[];
  readonly uploadedAt: string;
  readonly importedAt?: string;
}

export interface RosterUploadStore {
  put(upload: RosterUpload): Promise<void>;
  get(id: string): Promise<RosterUpload | undefined>;
  /** Marks the upload imported; false when it already was (a second click imports nothing). */
  markImported(id: string, at: string): Promise<boolean>;
}

/** The anonymous "where are you active?" answers: counts only, never who answered what. */
export interface InventoryStore {
  /** Records the answer unless this employee answered before; true when it was recorded. */
  answer(userId: string, platforms: readonly string[]): Promise<boolean>;
  answered(userId: string): Promise<boolean>;
  /** The totals as last published: a multiple of INVENTORY_STEP answers, so no single answer shows. */
  totals(): Promise<InventoryTotals>;
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
  readonly roster: RosterStore;
  readonly campaigns: CampaignStore;
  readonly deliveries: DeliveryStore;
  readonly assignments: AssignmentStore;
  readonly inventory: InventoryStore;
  readonly uploads: RosterUploadStore;
  /** Waits for every pending write, then releases files. */
  close(): Promise<void>;
}
