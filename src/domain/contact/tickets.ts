import type { Language } from '../course/course.js';
import type { ThreadRef } from '../outbound/ports.js';

export const CATEGORIES = ['policy', 'post-check', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Longest question, report or reply an employee can send. */
export const MAX_TICKET_TEXT = 1000;

/** Where something in a channel happened: the channel, and the first message of the thread it is in, if any. */
export interface ChannelPlace {
  readonly channelId: string;
  readonly rootActivityId?: string;
}

/**
 * A question or a report from an employee to the point of contact. `askerId` routes answers back
 * and is never shown; `askerName` is kept only when the employee did not ask anonymously.
 */
export interface Ticket {
  readonly number: number;
  readonly kind: 'question' | 'report';
  readonly askerId: string;
  readonly askerName?: string;
  readonly anonymous: boolean;
  readonly language: Language;
  readonly text: string;
  readonly category?: Category;
  readonly urgency?: Urgency;
  readonly link?: string;
  readonly status: 'open' | 'claimed' | 'resolved';
  readonly claimedBy?: string;
  readonly createdAt: string;
  readonly thread?: ThreadRef;
  /** When the thread was started: later than `createdAt` when the ticket waited for a contact channel. */
  readonly postedAt?: string;
  readonly answeredAt?: string;
  /** Who last answered, once that answer reached the employee. */
  readonly answeredBy?: string;
  /** The point of contact's latest answer, offered as the start of a FAQ entry. */
  readonly lastAnswer?: string;
  /** When its thread got its one nudge (stored under its first name, `remindedAt`). */
  readonly remindedAt?: string;
  readonly resolvedAt?: string;
  /** When the point of contact published it to the FAQ. */
  readonly faqAt?: string;
}

/** The channel where questions and reports become threads. */
export interface ContactChannel {
  readonly teamId: string;
  readonly channelId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly setBy: string;
  readonly setAt: string;
}

/** A published, anonymised question and answer. */
export interface FaqEntry {
  readonly id: string;
  readonly language: Language;
  readonly question: string;
  readonly answer: string;
  readonly publishedAt: string;
}

/** Text an employee typed, trimmed; undefined when empty or too long. */
export function cleanText(value: unknown, max = MAX_TICKET_TEXT): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/\r\n/g, '\n').trim();
  return text === '' || text.length > max ? undefined : text;
}

/** An http(s) link, or undefined for anything else (javascript:, data:, relative paths…). */
export function webLink(value: string): string | undefined {
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
}
