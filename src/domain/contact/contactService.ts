import { randomInt } from 'node:crypto';
import type { Clock } from '../time/clock.js';
import { LANGUAGES, type Language } from '../course/course.js';
import { askerFields } from './anonymity.js';
import { isNudgeDue, type NudgeRules } from './nudges.js';
import type { ThreadRef } from '../outbound/ports.js';
import type { ContactChannelStore, FaqStore, TicketStore } from './ports.js';
import {
  CATEGORIES,
  cleanText,
  URGENCIES,
  webLink,
  type Category,
  type ChannelPlace,
  type ContactChannel,
  type FaqEntry,
  type Ticket,
  type Urgency,
} from './tickets.js';

/** Who sends a question or report; whether the ticket keeps the name is anonymity.ts's call. */
export interface Asker {
  readonly id: string;
  readonly name: string;
  readonly language: Language;
}

export type Created =
  | { readonly kind: 'created' | 'replayed'; readonly ticket: Ticket }
  | { readonly kind: 'invalid'; readonly field: string }
  | { readonly kind: 'in-progress' };

export type TicketAction =
  | { readonly kind: 'done'; readonly ticket: Ticket }
  | { readonly kind: 'unknown' | 'not-here' | 'invalid' | 'not-answered' };

/** Questions and reports to the point of contact: who may do what to a ticket, and when. */
export class ContactService {
  constructor(
    private readonly tickets: TicketStore,
    private readonly channels: ContactChannelStore,
    private readonly faqStore: FaqStore,
    private readonly clock: Clock,
    private readonly nudges: NudgeRules,
  ) {}

  contactChannel(): Promise<ContactChannel | undefined> {
    return this.channels.contactChannel();
  }

  ticket(number: number): Promise<Ticket | undefined> {
    return this.tickets.get(number);
  }

  async setContactChannel(channel: Omit<ContactChannel, 'setAt'>): Promise<void> {
    await this.channels.setContactChannel({ ...channel, setAt: this.now() });
  }

  /**
   * `requestKey` identifies the card the employee sent, so a second click sends nothing twice.
   * A ticket is kept even before there is a contact channel; it waits for one (see `waiting`).
   */
  async ask(
    asker: Asker,
    requestKey: string,
    input: { text: unknown; category: unknown; anonymous: unknown },
  ): Promise<Created> {
    const text = cleanText(input.text);
    if (text === undefined) return { kind: 'invalid', field: 'text' };
    const category = CATEGORIES.find((c) => c === input.category);
    if (!category) return { kind: 'invalid', field: 'category' };
    return this.create(asker, requestKey, {
      kind: 'question',
      text,
      category,
      ...askerFields('question', asker.name, input.anonymous),
    });
  }

  async report(
    asker: Asker,
    requestKey: string,
    input: { text: unknown; link: unknown; urgency: unknown },
  ): Promise<Created> {
    const text = cleanText(input.text);
    if (text === undefined) return { kind: 'invalid', field: 'text' };
    const rawLink = typeof input.link === 'string' ? input.link.trim() : '';
    const link = rawLink === '' ? undefined : webLink(rawLink);
    if (rawLink !== '' && link === undefined) return { kind: 'invalid', field: 'link' };
    const urgency = URGENCIES.find((u) => u === input.urgency);
    if (!urgency) return { kind: 'invalid', field: 'urgency' };
    return this.create(asker, requestKey, {
      kind: 'report',
      text,
      urgency,
      ...(link ? { link } : {}),
      ...askerFields('report', asker.name, undefined),
    });
  }

  async attachThread(number: number, thread: ThreadRef): Promise<Ticket | undefined> {
    await this.tickets.setThread(number, thread);
    const now = this.now();
    return this.tickets.update(number, (t) => ({ ...t, postedAt: now }));
  }

  /** Tickets made before there was a contact channel (or whose thread failed), oldest first. */
  async waiting(): Promise<Ticket[]> {
    return (await this.tickets.unresolved()).filter((t) => t.thread === undefined);
  }

  /** Records a reply by the point of contact in a ticket's thread; undefined for other threads. */
  async contactReplied(threadConversationId: string, text: string): Promise<Ticket | undefined> {
    const ticket = await this.tickets.byThread(threadConversationId);
    if (!ticket) return undefined;
    const now = this.now();
    return this.tickets.update(ticket.number, (t) => ({
      ...t,
      answeredAt: t.answeredAt ?? now,
      lastAnswer: text.slice(0, 2000),
    }));
  }

  /** The answer reached the employee: the ticket shows who answered. */
  answerDelivered(number: number, by: string): Promise<Ticket | undefined> {
    return this.tickets.update(number, (t) => (t.answeredBy === by ? undefined : { ...t, answeredBy: by }));
  }

  /** The asker's own follow-up; only the asker may add one. */
  async askerReplied(askerId: string, number: number, text: unknown): Promise<TicketAction> {
    const ticket = await this.tickets.get(number);
    if (!ticket || ticket.askerId !== askerId || !ticket.thread) return { kind: 'unknown' };
    return cleanText(text) === undefined ? { kind: 'invalid' } : { kind: 'done', ticket };
  }

  claim(number: number, by: string, place: ChannelPlace): Promise<TicketAction> {
    return this.inThread(number, place, (t) =>
      t.status === 'open' ? { ...t, status: 'claimed', claimedBy: by } : undefined,
    );
  }

  resolve(number: number, by: string, place: ChannelPlace): Promise<TicketAction> {
    const now = this.now();
    return this.inThread(number, place, (t) =>
      t.status === 'resolved' ? undefined : { ...t, status: 'resolved', claimedBy: t.claimedBy ?? by, resolvedAt: now },
    );
  }

  async reopen(askerId: string, number: number): Promise<TicketAction> {
    const ticket = await this.tickets.get(number);
    if (!ticket || ticket.askerId !== askerId) return { kind: 'unknown' };
    const updated = await this.tickets.update(number, (t) => {
      if (t.status !== 'resolved') return undefined;
      const { resolvedAt: _resolved, ...rest } = t;
      return { ...rest, status: t.claimedBy ? 'claimed' : 'open' };
    });
    return { kind: 'done', ticket: updated ?? ticket };
  }

  /** Unanswered tickets past the SLA that have not had their one nudge yet. */
  async dueNudges(): Promise<Ticket[]> {
    const now = this.clock.now();
    return (await this.tickets.unresolved()).filter((t) => isNudgeDue(t, now, this.nudges));
  }

  /**
   * Marks the ticket nudged before its nudge is posted (a conditional write): the time it was claimed
   * at, or undefined when it was nudged already, so of two leaders racing only one posts.
   */
  async claimNudge(number: number): Promise<string | undefined> {
    const now = this.now();
    let claimed = false;
    await this.tickets.update(number, (t) => {
      claimed = t.remindedAt === undefined && t.answeredAt === undefined && t.status !== 'resolved';
      return claimed ? { ...t, remindedAt: now } : undefined;
    });
    return claimed ? now : undefined;
  }

  /** Gives a claimed nudge back after its post failed, so a later round tries again. */
  async unclaimNudge(number: number, claimedAt: string): Promise<void> {
    await this.tickets.update(number, (t) => {
      if (t.remindedAt !== claimedAt) return undefined;
      const { remindedAt: _claim, ...rest } = t;
      return rest;
    });
  }

  /** The ticket, when the action comes from its own thread in the contact channel. */
  ticketInThread(number: number, place: ChannelPlace): Promise<TicketAction> {
    return this.inThread(number, place, () => undefined);
  }

  /** True the first time this person sends this request; false for a repeat. */
  async firstTime(userId: string, requestKey: string): Promise<boolean> {
    const token = randomInt(1, 2 ** 47);
    return (await this.tickets.remember(`${userId}/${requestKey}`, token)) === token;
  }

  async publishFaq(
    number: number,
    place: ChannelPlace,
    input: { question: unknown; answer: unknown; language: unknown },
  ): Promise<TicketAction> {
    const question = cleanText(input.question);
    const answer = cleanText(input.answer, 2000);
    const language = LANGUAGES.find((l) => l === input.language);
    const checked = await this.ticketInThread(number, place);
    if (checked.kind !== 'done') return checked;
    if (!checked.ticket.answeredAt) return { kind: 'not-answered' };
    if (question === undefined || answer === undefined || !language) return { kind: 'invalid' };
    const now = this.now();
    await this.faqStore.publish({ id: `ticket-${number}`, language, question, answer, publishedAt: now });
    const updated = await this.tickets.update(number, (t) => (t.faqAt ? undefined : { ...t, faqAt: now }));
    return { kind: 'done', ticket: updated ?? checked.ticket };
  }

  async faq(language: Language): Promise<FaqEntry[]> {
    return (await this.faqStore.list()).filter((e) => e.language === language);
  }

  /** Changes a ticket only when the action comes from that ticket's own thread in the contact channel. */
  private async inThread(
    number: number,
    place: ChannelPlace,
    change: (t: Ticket) => Ticket | undefined,
  ): Promise<TicketAction> {
    const [ticket, channel] = await Promise.all([this.tickets.get(number), this.channels.contactChannel()]);
    if (!ticket) return { kind: 'unknown' };
    if (
      !channel ||
      place.channelId !== channel.channelId ||
      !ticket.thread ||
      place.rootActivityId !== ticket.thread.rootActivityId
    )
      return { kind: 'not-here' };
    const updated = await this.tickets.update(number, change);
    return { kind: 'done', ticket: updated ?? ticket };
  }

  private async create(
    asker: Asker,
    requestKey: string,
    fields: Pick<Ticket, 'kind' | 'text' | 'anonymous' | 'askerName'> & {
      category?: Category;
      urgency?: Urgency;
      link?: string;
    },
  ): Promise<Created> {
    const key = `${asker.id}/${requestKey}`;
    const replay = async (owner: number): Promise<Created> => {
      const earlier = await this.tickets.get(owner);
      return earlier ? { kind: 'replayed', ticket: earlier } : { kind: 'in-progress' };
    };
    // A repeat is answered before a number is handed out, so it leaves no gap in the numbering.
    const known = await this.tickets.remembered(key);
    if (known !== undefined) return replay(known);
    const number = await this.tickets.nextNumber();
    const owner = await this.tickets.remember(key, number);
    if (owner !== number) return replay(owner);
    const ticket: Ticket = {
      ...fields,
      number,
      askerId: asker.id,
      language: asker.language,
      status: 'open',
      createdAt: this.now(),
    };
    await this.tickets.put(ticket);
    return { kind: 'created', ticket };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
