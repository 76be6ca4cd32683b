import type { CardJson } from '../cards/templates.js';
import type { Outgoing, Reply, Turn } from './turn.js';

/** A text sent to the chat, and shown under the card when a button asked. */
export function say(message: string): Reply {
  return { send: [{ text: message }], invoke: { message } };
}

/** A refusal or notice, shown under the card the person clicked (nothing sent to the chat). */
export function refuse(message: string): Reply {
  return { send: [], invoke: { message } };
}

/** Cards sent to the chat, with `message` under the card when a button asked. */
export function sendCards(message: string, ...cards: CardJson[]): Reply {
  return { send: cards.map((card) => ({ card })), invoke: { message } };
}

/** Cards sent to the chat, with "sent below" under the card when a button asked. */
export function sendBelow(turn: Turn, ...cards: CardJson[]): Reply {
  return sendCards(turn.pack.text('sentBelow'), ...cards);
}

/** The clicked card replaced by another, and what else is sent to the chat (nothing unless given). */
export function replace(card: CardJson, send: readonly Outgoing[] = []): Reply {
  return { send, invoke: { card } };
}

/** A message handled with nothing to say (a reply in a ticket's thread, passed on to the employee). */
export const NO_REPLY: Reply = { send: [], invoke: { message: '' } };
