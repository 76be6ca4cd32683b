import type { ThreadRef } from '../outbound/ports.js';
import type { ContactChannel, FaqEntry, Ticket } from './tickets.js';

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

export interface FaqStore {
  /** Publishing an id that is already published replaces nothing. */
  publish(entry: FaqEntry): Promise<FaqEntry>;
  list(): Promise<FaqEntry[]>;
}

/** Where questions and reports go: the one contact channel. */
export interface ContactChannelStore {
  contactChannel(): Promise<ContactChannel | undefined>;
  setContactChannel(channel: ContactChannel): Promise<void>;
}
