import { randomUUID } from 'node:crypto';
import { ContactCards } from '../../cards/contactCards.js';
import type { Created, TicketAction } from '../../domain/contact/contactService.js';
import { MAX_TICKET_TEXT } from '../../domain/contact/tickets.js';
import { threadOf } from '../conversations.js';
import { NO_REPLY, refuse, replace, say, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { shortText, type Reply, type Turn } from '../turn.js';

/** Longest reply in a ticket's thread that is passed on to the employee. */
const MAX_THREAD_REPLY = 4000;

const contact = (turn: Turn) => new ContactCards(turn.pack);
/** Cards in the contact channel's language. */
const channelCards = (deps: RouteDeps) => new ContactCards(deps.packs[deps.channelLanguage]);

function ticketNumber(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(number) && number > 0 ? number : 0;
}

function asker(turn: Turn) {
  return { id: turn.userId, name: turn.userName ?? '', language: turn.pack.language };
}

/**
 * Opens the ticket's thread in the contact channel, or keeps the ticket until there is one,
 * and tells the employee on the card they sent.
 */
async function deliver(turn: Turn, deps: RouteDeps, created: Created, kind: 'ask' | 'report'): Promise<Reply> {
  switch (created.kind) {
    case 'invalid':
      return refuse(
        turn.pack.text(
          created.field === 'link' ? 'reportInvalidLink' : kind === 'ask' ? 'askInvalid' : 'reportInvalid',
          { max: MAX_TICKET_TEXT },
        ),
      );
    case 'in-progress':
      return refuse(turn.pack.text('sentBelow'));
    case 'created':
    case 'replayed': {
      // A retry after a failed delivery delivers; a retry after a delivered one only confirms.
      const ticket = await deps.threads.open(created.ticket);
      const key = ticket.thread
        ? kind === 'ask'
          ? 'askSent'
          : 'reportSent'
        : kind === 'ask'
          ? 'askSaved'
          : 'reportSaved';
      if (created.kind === 'created' && !ticket.thread)
        deps.log.info('ticket.waiting', { kind: ticket.kind, anonymous: ticket.anonymous });
      return replace(contact(turn).note(turn.pack.text(key, { number: ticket.number }), ticket.text));
    }
  }
}

/** What the contact channel sees after a claim, resolve or FAQ action. */
async function channelOutcome(turn: Turn, deps: RouteDeps, outcome: TicketAction): Promise<Reply> {
  const channel = channelCards(deps);
  switch (outcome.kind) {
    case 'unknown':
      return refuse(channel.pack.text('ticketUnknown'));
    case 'not-here':
      return refuse(turn.pack.text('notHere'));
    case 'not-answered':
      return refuse(channel.pack.text('faqNotAnswered'));
    case 'invalid':
      return refuse(channel.pack.text('replyInvalid', { max: MAX_TICKET_TEXT }));
    case 'done':
      return replace(channel.ticket(outcome.ticket));
  }
}

async function askerReply(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const request = shortText(turn.data.request) ?? '';
  const outcome = await deps.threads.askerReplied(turn.userId, ticketNumber(turn.data.ticket), turn.data.text, request);
  if (outcome.kind === 'unknown') return refuse(turn.pack.text('ticketUnknown'));
  if (outcome.kind !== 'done') return refuse(turn.pack.text('replyInvalid', { max: MAX_TICKET_TEXT }));
  return say(turn.pack.text('replySent', { number: outcome.ticket.number }));
}

async function reopen(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const outcome = await deps.threads.reopen(turn.userId, ticketNumber(turn.data.ticket));
  if (outcome.kind !== 'done') return refuse(turn.pack.text('ticketUnknown'));
  const { ticket } = outcome;
  return replace(
    contact(turn).note(
      turn.pack.text(ticket.kind === 'report' ? 'reopenedReport' : 'reopened', { number: ticket.number }),
    ),
  );
}

/** "@Postwise contact here" in a team channel: questions and reports arrive in this channel from now on. */
async function contactHere(turn: Turn, deps: RouteDeps): Promise<Reply> {
  // Only a team channel gets past the contact-admin check.
  const { teamId = '', channelId = '', tenantId } = turn.conversation;
  await deps.contact.setContactChannel({
    teamId,
    channelId,
    serviceUrl: turn.conversation.serviceUrl,
    setBy: turn.userId,
    ...(tenantId ? { tenantId } : {}),
  });
  deps.log.info('contact-channel.set');
  const waited = await deps.threads.openWaiting();
  const pack = channelCards(deps).pack;
  const set = pack.text('contactSet');
  return say(waited > 0 ? `${set} ${pack.text('contactWaiting', { count: waited })}` : set);
}

async function resolve(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const by = turn.userName ?? '';
  const place = threadOf(turn.conversation.id);
  return channelOutcome(turn, deps, await deps.threads.resolve(ticketNumber(turn.data.ticket), by, place));
}

async function faqEdit(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const ticket = await deps.contact.ticketInThread(ticketNumber(turn.data.ticket), threadOf(turn.conversation.id));
  if (ticket.kind !== 'done') return channelOutcome(turn, deps, ticket);
  if (!ticket.ticket.answeredAt) return refuse(channelCards(deps).pack.text('faqNotAnswered'));
  return replace(channelCards(deps).faqEdit(ticket.ticket));
}

async function faqPublish(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const { question, answer, language } = turn.data;
  return channelOutcome(
    turn,
    deps,
    await deps.contact.publishFaq(ticketNumber(turn.data.ticket), threadOf(turn.conversation.id), {
      question,
      answer,
      language,
    }),
  );
}

/**
 * A person's reply in a ticket's thread goes to the employee who asked, in their own chat.
 * Undefined when the thread is not a ticket's.
 */
async function relayReply(turn: Turn, deps: RouteDeps): Promise<Reply | undefined> {
  const relayed = await deps.threads.relayAnswer(turn.conversation.id, turn.userName ?? '', turn.text);
  return relayed === 'not-a-ticket' ? undefined : NO_REPLY;
}

/** Questions and reports: asked in the personal chat, answered in the contact channel. */
export const CONTACT_ROUTES = [
  {
    name: 'ask',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['ask', 'question'], nl: ['vraag'] },
    handle: async (turn) => sendBelow(turn, contact(turn).ask(randomUUID())),
  },
  {
    name: 'report',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['report'], nl: ['melden', 'melding'] },
    handle: async (turn) => sendBelow(turn, contact(turn).report(randomUUID())),
  },
  {
    name: 'faq',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['faq'], nl: ['faq'] },
    handle: async (turn, deps) => sendBelow(turn, contact(turn).faq(await deps.contact.faq(turn.pack.language))),
  },
  {
    name: 'askSend',
    scope: 'personal',
    via: ['card'],
    handle: async (turn, deps) => {
      const { text, category } = turn.data;
      return deliver(
        turn,
        deps,
        await deps.contact.ask(asker(turn), shortText(turn.data.request) ?? '', {
          text,
          category,
          anonymous: turn.data.anonymous,
        }),
        'ask',
      );
    },
  },
  {
    name: 'reportSend',
    scope: 'personal',
    via: ['card'],
    handle: async (turn, deps) => {
      const { text, link, urgency } = turn.data;
      return deliver(
        turn,
        deps,
        await deps.contact.report(asker(turn), shortText(turn.data.request) ?? '', { text, link, urgency }),
        'report',
      );
    },
  },
  { name: 'ticketReply', scope: 'personal', via: ['card'], handle: askerReply },
  { name: 'ticketReopen', scope: 'personal', via: ['card'], handle: reopen },
  {
    name: 'contactHere',
    scope: 'channel',
    via: ['typed'],
    words: { en: ['contact here'], nl: ['contact hier'] },
    who: 'contactAdmin',
    handle: contactHere,
  },
  {
    name: 'ticketClaim',
    scope: 'channel',
    via: ['card'],
    handle: async (turn, deps) =>
      channelOutcome(
        turn,
        deps,
        await deps.contact.claim(ticketNumber(turn.data.ticket), turn.userName ?? '', threadOf(turn.conversation.id)),
      ),
  },
  { name: 'ticketResolve', scope: 'channel', via: ['card'], handle: resolve },
  { name: 'faqEdit', scope: 'channel', via: ['card'], handle: faqEdit },
  { name: 'faqPublish', scope: 'channel', via: ['card'], handle: faqPublish },
  {
    name: 'threadReply',
    scope: 'channel',
    via: [],
    // Anything but a command to the bot, in any thread: only a ticket's thread is answered.
    select: (turn, command) =>
      command === undefined &&
      turn.conversation.thread !== undefined &&
      turn.text !== '' &&
      turn.text.length <= MAX_THREAD_REPLY,
    handle: relayReply,
  },
] as const satisfies readonly RouteDeclaration[];
