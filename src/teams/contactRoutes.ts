import { createHash, randomUUID } from 'node:crypto';
import { ContactCards, type Mention } from '../cards/contactViews.js';
import type { Cards } from '../cards/views.js';
import type { Language } from '../domain/course.js';
import type { Created, QuestionService, TicketAction } from '../domain/questionService.js';
import { cleanText, MAX_TICKET_TEXT, type Ticket } from '../domain/tickets.js';
import type { Log } from '../log.js';
import type { ConversationStore } from '../storage/interfaces.js';
import { cardMessage, type Messenger } from './messenger.js';
import { text, type Reply, type Route, type Turn } from './routes.js';

export interface ContactDeps {
  readonly questions: QuestionService;
  readonly cards: Readonly<Record<Language, Cards>>;
  readonly messenger: Messenger;
  readonly conversations: ConversationStore;
  /** Language of everything the bot writes in the contact channel. */
  readonly channelLanguage: Language;
  /** Who urgent reports @mention, when configured. */
  readonly contactMention: Mention | undefined;
  readonly log: Log;
}

export type ContactRouteName =
  | 'ask'
  | 'askSend'
  | 'report'
  | 'reportSend'
  | 'faq'
  | 'ticketReply'
  | 'ticketReopen'
  | 'contactHere'
  | 'ticketClaim'
  | 'ticketResolve'
  | 'faqEdit'
  | 'faqPublish';

/** Questions and reports: asked in the personal chat, answered in the contact channel. */
export function contactRoutes(deps: ContactDeps): Readonly<Record<ContactRouteName, Route>> {
  const { questions, messenger } = deps;
  const channelCards = new ContactCards(deps.cards[deps.channelLanguage]);
  const say = (message: string): Reply => ({ send: [{ text: message }], invoke: { message } });
  const refuse = (error: string): Reply => ({ send: [], invoke: { error } });
  const contact = (turn: Turn) => new ContactCards(turn.cards);

  /** Opens the ticket's thread in the contact channel and tells the employee. */
  const deliver = async (turn: Turn, created: Created, sentKey: 'askSent' | 'reportSent', invalidKey: 'askInvalid' | 'reportInvalid'): Promise<Reply> => {
    switch (created.kind) {
      case 'invalid':
        return refuse(turn.cards.text(created.field === 'link' ? 'reportInvalidLink' : invalidKey, { max: MAX_TICKET_TEXT }));
      case 'no-channel':
        return refuse(turn.cards.text('askNoChannel'));
      case 'in-progress':
        return { send: [], invoke: { message: turn.cards.text('sentBelow') } };
      case 'created':
      case 'replayed': {
        // A retry after a failed delivery delivers; a retry after a delivered one only confirms.
        const { ticket } = created;
        const sent = turn.cards.text(sentKey, { number: ticket.number });
        if (ticket.thread) return { send: [], invoke: { message: sent } };
        const channel = await questions.contactChannel();
        if (!channel) return refuse(turn.cards.text('askNoChannel'));
        const mention = ticket.urgency === 'urgent' ? deps.contactMention : undefined;
        await questions.attachThread(ticket.number, await messenger.startThread(channel, channelCards.ticket(ticket, mention)));
        deps.log.info('ticket.created', { kind: ticket.kind, anonymous: ticket.anonymous });
        return say(sent);
      }
    }
  };

  const asker = (turn: Turn, anonymous: boolean) => ({
    id: turn.userId,
    ...(anonymous ? {} : { name: turn.userName ?? '' }),
    language: turn.cards.course.language,
  });

  /** What the contact channel sees after a claim, resolve or FAQ action. */
  const channelOutcome = (turn: Turn, outcome: TicketAction, after?: (ticket: Ticket) => Promise<void>): Promise<Reply> | Reply => {
    switch (outcome.kind) {
      case 'unknown':
        return refuse(channelCards.cards.text('ticketUnknown'));
      case 'not-here':
        return refuse(turn.cards.text('notHere'));
      case 'not-answered':
        return refuse(channelCards.cards.text('faqNotAnswered'));
      case 'invalid':
        return refuse(channelCards.cards.text('replyInvalid', { max: MAX_TICKET_TEXT }));
      case 'done':
        return (async () => {
          await after?.(outcome.ticket);
          return { send: [], invoke: { card: channelCards.ticket(outcome.ticket) } };
        })();
    }
  };

  return {
    ask: async (turn) => ({ send: [{ card: contact(turn).ask(randomUUID()) }], invoke: { message: turn.cards.text('sentBelow') } }),
    report: async (turn) => ({ send: [{ card: contact(turn).report(randomUUID()) }], invoke: { message: turn.cards.text('sentBelow') } }),
    faq: async (turn) => {
      const entries = await questions.faq(turn.cards.course.language);
      return { send: [{ card: contact(turn).faq(entries) }], invoke: { message: turn.cards.text('sentBelow') } };
    },

    askSend: async (turn) => {
      const request = text(turn.data.request) ?? '';
      const created = await questions.ask(asker(turn, turn.data.anonymous === 'yes'), request, {
        text: turn.data.text,
        category: turn.data.category,
      });
      return deliver(turn, created, 'askSent', 'askInvalid');
    },

    reportSend: async (turn) => {
      const request = text(turn.data.request) ?? '';
      const created = await questions.report(asker(turn, false), request, {
        text: turn.data.text,
        link: turn.data.link,
        urgency: turn.data.urgency,
      });
      return deliver(turn, created, 'reportSent', 'reportInvalid');
    },

    ticketReply: async (turn) => {
      const number = ticketNumber(turn.data.ticket);
      const outcome = await questions.askerReplied(turn.userId, number, turn.data.text);
      if (outcome.kind === 'unknown') return refuse(turn.cards.text('ticketUnknown'));
      if (outcome.kind !== 'done') return refuse(turn.cards.text('replyInvalid', { max: MAX_TICKET_TEXT }));
      const reply = cleanText(turn.data.text) ?? '';
      const key = `reply/${text(turn.data.request) ?? ''}/${createHash('sha256').update(reply).digest('hex').slice(0, 16)}`;
      const channel = await questions.contactChannel();
      const { ticket } = outcome;
      if (channel && ticket.thread && (await questions.firstTime(turn.userId, key))) {
        const name = ticket.anonymous ? channelCards.cards.text('anEmployee') : (ticket.askerName ?? channelCards.cards.text('anEmployee'));
        await messenger.postToThread(channel, ticket.thread, cardMessage(channelCards.note(channelCards.cards.text('employeeReply', { name }), reply)));
      }
      return say(turn.cards.text('replySent', { number: ticket.number }));
    },

    ticketReopen: async (turn) => {
      const outcome = await questions.reopen(turn.userId, ticketNumber(turn.data.ticket));
      if (outcome.kind !== 'done') return refuse(turn.cards.text('ticketUnknown'));
      const channel = await questions.contactChannel();
      const { ticket } = outcome;
      if (channel && ticket.thread) {
        await messenger.updateThreadCard(channel, ticket.thread, channelCards.ticket(ticket));
        await messenger.postToThread(channel, ticket.thread, cardMessage(channelCards.note(channelCards.cards.text('threadReopened'))));
      }
      return say(turn.cards.text('reopened', { number: ticket.number }));
    },

    contactHere: async (turn) => {
      const { teamId, channelId, tenantId } = turn.conversation;
      if (!teamId || !channelId || !(await turn.isContactAdmin())) {
        deps.log.info('contact-channel.refused');
        return say(channelCards.cards.text('contactRefused'));
      }
      await questions.setContactChannel({
        teamId,
        channelId,
        serviceUrl: turn.conversation.serviceUrl,
        setBy: turn.userId,
        ...(tenantId ? { tenantId } : {}),
      });
      deps.log.info('contact-channel.set');
      return say(channelCards.cards.text('contactSet'));
    },

    ticketClaim: async (turn) =>
      channelOutcome(turn, await questions.claim(ticketNumber(turn.data.ticket), turn.userName ?? '', turn.conversation.id)),

    ticketResolve: async (turn) => {
      const outcome = await questions.resolve(ticketNumber(turn.data.ticket), turn.userName ?? '', turn.conversation.id);
      return channelOutcome(turn, outcome, async (ticket) => {
        const ref = await deps.conversations.get(ticket.askerId);
        if (ref) await messenger.sendToUser(ref, cardMessage(new ContactCards(deps.cards[ticket.language]).resolved(ticket)));
      });
    },

    faqEdit: async (turn) => {
      const number = ticketNumber(turn.data.ticket);
      const ticket = await questions.ticketInThread(number, turn.conversation.id);
      if (ticket.kind !== 'done') return channelOutcome(turn, ticket);
      if (!ticket.ticket.answeredAt) return refuse(channelCards.cards.text('faqNotAnswered'));
      return { send: [], invoke: { card: channelCards.faqEdit(ticket.ticket) } };
    },

    faqPublish: async (turn) => {
      const outcome = await questions.publishFaq(ticketNumber(turn.data.ticket), turn.conversation.id, {
        question: turn.data.question,
        answer: turn.data.answer,
        language: turn.data.language,
      });
      if (outcome.kind !== 'done') return channelOutcome(turn, outcome);
      return { send: [], invoke: { card: channelCards.note(channelCards.cards.text('faqPublished'), outcome.ticket.text) } };
    },
  };
}

/**
 * A person's reply in a ticket's thread goes to the employee who asked, in their own chat.
 * Returns false when the thread is not a ticket's.
 */
export async function relayContactReply(deps: ContactDeps, turn: Turn, reply: string): Promise<boolean> {
  const ticket = await deps.questions.contactReplied(turn.conversation.id, reply);
  if (!ticket) return false;
  const ref = await deps.conversations.get(ticket.askerId);
  if (!ref) {
    deps.log.info('ticket.answer-undeliverable');
    return true;
  }
  const cards = new ContactCards(deps.cards[ticket.language]);
  await deps.messenger.sendToUser(ref, cardMessage(cards.answer(ticket, turn.userName ?? '', reply, randomUUID())));
  deps.log.info('ticket.answer-relayed');
  return true;
}

function ticketNumber(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(number) && number > 0 ? number : 0;
}
