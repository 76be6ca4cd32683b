import { CardFactory, MessageFactory } from 'botbuilder';
import type { CardJson } from '../cards/templates.js';

/** The message that carries one Adaptive Card. */
export function cardMessage(card: CardJson): Record<string, unknown> {
  return { ...MessageFactory.attachment(CardFactory.adaptiveCard(card)) };
}
