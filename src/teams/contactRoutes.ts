import { createHash, randomUUID } from 'node:crypto';
import { QuestionCards } from '../cards/questionCards.js';
import type { CourseCards } from '../cards/courseCards.js';
import type { Language } from '../domain/course/course.js';
import type { Created, QuestionService, TicketAction } from '../domain/questions/questionService.js';
import { shownAsker } from '../domain/questions/anonymity.js';
import { cleanText, MAX_TICKET_TEXT, type Ticket } from '../domain/questions/tickets.js';
import type { Log } from '../log.js';
import { threadOf, type ConversationStore } from './conversations.js';
import { cardMessage, type Messenger } from './messenger.js';
import { text, type Reply, type Route, type Turn } from './routes.js';
import type { TicketThreads } from './ticketThreads.js';

export interface ContactDeps {
  readonly questions: QuestionService;
  readonly cards: Readonly<Record<Language, CourseCards>>;
  readonly messenger: Messenger;
  readonly conversations: ConversationStore;
  /** Language of everything the bot writes in the contact channel. */
  readonly channelLanguage: Language;
  /** Starts tickets' threads in the contact channel. */
  readonly threads: TicketThreads;
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
  const { questions, messenger, threads } = deps;
  const channelCards = new QuestionCards(deps.cards[deps.channelLanguage]);
  const say = (message: string): Reply => ({ send: [{ text: message }], invoke: { message } });
  /** A refusal, shown under the card the person clicked. */
  const refuse = (message: string): Reply => ({ send: [], invoke: { message } });
  const contact = (turn: Turn) => new QuestionCards(turn.cards);

  /**
   * Opens the ticket's thread in the contact channel, or keeps the ticket until there is one,
   * and tells the employee on the card they sent.
   */
  const deliver = async (turn: Turn, created: Created, kind: 'ask' | 'report'): Promise<Reply> => {
    switch (created.kind) {
      case 'invalid':
        return refuse(turn.cards.text(created.field === 'link' ? 'reportInvalidLink' : kind === 'ask' ? 'askInvalid' : 'reportInvalid', { max: MAX_TICKET_TEXT }));
      case 'in-progress':
        return { send: [], invoke: { message: turn.cards.text('sentBelow') } };
      case 'created':
      case 'replayed': {
        // A retry after a failed delivery delivers; a retry after a delivered one only confirms.
        const ticket = await threads.open(created.ticket);
        const key = ticket.thread ? (kind === 'ask' ? 'askSent' : 'reportSent') : kind === 'ask' ? 'askSaved' : 'reportSaved';
        if (created.kind === 'created' && !ticket.thread) deps.log.info('ticket.waiting', { kind: ticket.kind, anonymous: ticket.anonymous });
        return { send: [], invoke: { card: contact(turn).note(turn.cards.text(key, { number: ticket.number }), ticket.text) } };
      }
    }
  };

  const asker = (turn: Turn) => ({ id: turn.userId, name: turn.userName ?? '', language: turn.cards.course.language });

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
      const created = await questions.ask(asker(turn), request, {
        text: turn.data.text,
        category: turn.data.category,
        anonymous: turn.data.anonymous,
      });
      return deliver(turn, created, 'ask');
    },

    reportSend: async (turn) => {
      const request = text(turn.data.request) ?? '';
      const created = await questions.report(asker(turn), request, {
        text: turn.data.text,
        link: turn.data.link,
        urgency: turn.data.urgency,
      });
      return deliver(turn, created, 'report');
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
        const name = shownAsker(ticket) ?? channelCards.cards.text('anEmployee');
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
        const reopened = channelCards.cards.text(ticket.kind === 'report' ? 'threadReopenedReport' : 'threadReopened');
        await messenger.postToThread(channel, ticket.thread, cardMessage(channelCards.note(reopened)));
      }
      const notice = turn.cards.text(ticket.kind === 'report' ? 'reopenedReport' : 'reopened', { number: ticket.number });
      return { send: [], invoke: { card: contact(turn).note(notice) } };
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
      const waited = await threads.openWaiting();
      const set = channelCards.cards.text('contactSet');
      return say(waited > 0 ? `${set} ${channelCards.cards.text('contactWaiting', { count: waited })}` : set);
    },

    ticketClaim: async (turn) =>
      channelOutcome(turn, await questions.claim(ticketNumber(turn.data.ticket), turn.userName ?? '', threadOf(turn.conversation.id))),

    ticketResolve: async (turn) => {
      const outcome = await questions.resolve(ticketNumber(turn.data.ticket), turn.userName ?? '', threadOf(turn.conversation.id));
      return channelOutcome(turn, outcome, async (ticket) => {
        const ref = await deps.conversations.get(ticket.askerId);
        if (ref) await messenger.sendToUser(ref, cardMessage(new QuestionCards(deps.cards[ticket.language]).resolved(ticket)));
      });
    },

    faqEdit: async (turn) => {
      const number = ticketNumber(turn.data.ticket);
      const ticket = await questions.ticketInThread(number, threadOf(turn.conversation.id));
      if (ticket.kind !== 'done') return channelOutcome(turn, ticket);
      if (!ticket.ticket.answeredAt) return refuse(channelCards.cards.text('faqNotAnswered'));
      return { send: [], invoke: { card: channelCards.faqEdit(ticket.ticket) } };
    },

    faqPublish: async (turn) => {
      const outcome = await questions.publishFaq(ticketNumber(turn.data.ticket), threadOf(turn.conversation.id), {
        question: turn.data.question,
        answer: turn.data.answer,
        language: turn.data.language,
      });
      if (outcome.kind !== 'done') return channelOutcome(turn, outcome);
      return { send: [], invoke: { card: channelCards.ticket(outcome.ticket) } };
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
  const cards = new QuestionCards(deps.cards[ticket.language]);
  const by = turn.userName ?? '';
  await deps.messenger.sendToUser(ref, cardMessage(cards.answer(ticket, by, reply, randomUUID())));
  deps.log.info('ticket.answer-relayed');
  // The ticket card at the top of the thread shows that, and by whom, the employee was answered.
  const channel = await deps.questions.contactChannel();
  const answered = await deps.questions.answerDelivered(ticket.number, by);
  if (channel && ticket.thread && answered && answered.answeredBy !== ticket.answeredBy) {
    await deps.messenger.updateThreadCard(channel, ticket.thread, new QuestionCards(deps.cards[deps.channelLanguage]).ticket(answered));
  }
  return true;
}

function ticketNumber(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(number) && number > 0 ? number : 0;
}
