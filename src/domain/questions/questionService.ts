import { randomInt } from 'node:crypto';
import type { FaqStore, SettingsStore, TicketStore } from '../../storage/interfaces.js';
import type { Clock } from '../time/clock.js';
import { LANGUAGES, type Language } from '../course/course.js';
import {
  CATEGORIES,
  cleanText,
  URGENCIES,
  webLink,
  type Category,
  type ContactChannel,
  type FaqEntry,
  type ThreadRef,
  type Ticket,
  type Urgency,
} from './tickets.js';
import { workingMinutesBetween } from '../time/workingHours.js';

export interface Asker {
  readonly id: string;
  /** Undefined when the employee asks anonymously. */
  readonly name?: string;
  readonly language: Language;
}

export type Created =
  | { readonly kind: 'created' | 'replayed'; readonly ticket: Ticket }
  | { readonly kind: 'invalid'; readonly field: string }
  | { readonly kind: 'in-progress' };

export type TicketAction =
  | { readonly kind: 'done'; readonly ticket: Ticket }
  | { readonly kind: 'unknown' | 'not-here' | 'invalid' | 'not-answered' };

export interface QuestionRules {
  /** Working minutes without an answer before the thread gets a reminder. */
  readonly slaMinutes: number;
  readonly timeZone: string;
}

/** Questions and reports to the point of contact: who may do what to a ticket, and when. */
export class QuestionService {
  constructor(
    private readonly tickets: TicketStore,
    private readonly settings: SettingsStore,
    private readonly faqStore: FaqStore,
    private readonly clock: Clock,
    private readonly rules: QuestionRules,
  ) {}

  contactChannel(): Promise<ContactChannel | undefined> {
    return this.settings.contactChannel();
  }

  ticket(number: number): Promise<Ticket | undefined> {
    return this.tickets.get(number);
  }

  async setContactChannel(channel: Omit<ContactChannel, 'setAt'>): Promise<void> {
    await this.settings.setContactChannel({ ...channel, setAt: this.now() });
  }

  /**
   * `requestKey` identifies the card the employee sent, so a second click sends nothing twice.
   * A ticket is kept even before there is a contact channel; it waits for one (see `waiting`).
   */
  async ask(asker: Asker, requestKey: string, input: { text: unknown; category: unknown }): Promise<Created> {
    const text = cleanText(input.text);
    if (text === undefined) return { kind: 'invalid', field: 'text' };
    const category = CATEGORIES.find((c) => c === input.category);
    if (!category) return { kind: 'invalid', field: 'category' };
    return this.create(asker, requestKey, { kind: 'question', text, category });
  }

  async report(asker: Asker, requestKey: string, input: { text: unknown; link: unknown; urgency: unknown }): Promise<Created> {
    const text = cleanText(input.text);
    if (text === undefined) return { kind: 'invalid', field: 'text' };
    const rawLink = typeof input.link === 'string' ? input.link.trim() : '';
    const link = rawLink === '' ? undefined : webLink(rawLink);
    if (rawLink !== '' && link === undefined) return { kind: 'invalid', field: 'link' };
    const urgency = URGENCIES.find((u) => u === input.urgency);
    if (!urgency) return { kind: 'invalid', field: 'urgency' };
    return this.create(asker, requestKey, { kind: 'report', text, urgency, ...(link ? { link } : {}) });
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
    return this.tickets.update(ticket.number, (t) => ({ ...t, answeredAt: t.answeredAt ?? now, lastAnswer: text.slice(0, 2000) }));
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

  claim(number: number, by: string, conversationId: string): Promise<TicketAction> {
    return this.inThread(number, conversationId, (t) => (t.status === 'open' ? { ...t, status: 'claimed', claimedBy: by } : undefined));
  }

  resolve(number: number, by: string, conversationId: string): Promise<TicketAction> {
    const now = this.now();
    return this.inThread(number, conversationId, (t) =>
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

  /** Unanswered tickets past the reminder time that have not had their one reminder yet. */
  async dueReminders(): Promise<Ticket[]> {
    const now = this.clock.now();
    return (await this.tickets.unresolved()).filter(
      (t) =>
        t.thread !== undefined &&
        t.answeredAt === undefined &&
        t.remindedAt === undefined &&
        workingMinutesBetween(new Date(t.postedAt ?? t.createdAt), now, this.rules.timeZone) >= this.rules.slaMinutes,
    );
  }

  async markReminded(number: number): Promise<void> {
    const now = this.now();
    await this.tickets.update(number, (t) => (t.remindedAt ? undefined : { ...t, remindedAt: now }));
  }

  /** The ticket, when the action comes from its own thread in the contact channel. */
  ticketInThread(number: number, conversationId: string): Promise<TicketAction> {
    return this.inThread(number, conversationId, () => undefined);
  }

  /** True the first time this person sends this request; false for a repeat. */
  async firstTime(userId: string, requestKey: string): Promise<boolean> {
    const token = randomInt(1, 2 ** 47);
    return (await this.tickets.remember(`${userId}/${requestKey}`, token)) === token;
  }

  async publishFaq(number: number, conversationId: string, input: { question: unknown; answer: unknown; language: unknown }): Promise<TicketAction> {
    const question = cleanText(input.question);
    const answer = cleanText(input.answer, 2000);
    const language = LANGUAGES.find((l) => l === input.language);
    const checked = await this.ticketInThread(number, conversationId);
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
  private async inThread(number: number, conversationId: string, change: (t: Ticket) => Ticket | undefined): Promise<TicketAction> {
    const [ticket, channel] = await Promise.all([this.tickets.get(number), this.settings.contactChannel()]);
    if (!ticket) return { kind: 'unknown' };
    const [base, messageId] = conversationId.split(';messageid=');
    if (!channel || base !== channel.channelId || !ticket.thread || messageId !== ticket.thread.rootActivityId) return { kind: 'not-here' };
    const updated = await this.tickets.update(number, change);
    return { kind: 'done', ticket: updated ?? ticket };
  }

  private async create(
    asker: Asker,
    requestKey: string,
    fields: { kind: Ticket['kind']; text: string; category?: Category; urgency?: Urgency; link?: string },
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
      ...(asker.name !== undefined ? { askerName: asker.name } : {}),
      anonymous: asker.name === undefined,
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
