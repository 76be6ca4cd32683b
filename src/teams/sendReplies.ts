import { CardFactory, MessageFactory, type AdaptiveCardInvokeResponse, type TurnContext } from 'botbuilder';
import type { InvokeReply, Outgoing } from './turn.js';

/** Sends the replies to the conversation the activity came from, in order. */
export async function sendReplies(context: TurnContext, outgoing: readonly Outgoing[]): Promise<void> {
  for (const item of outgoing) {
    await context.sendActivity(
      'card' in item ? MessageFactory.attachment(CardFactory.adaptiveCard(item.card)) : MessageFactory.text(item.text),
    );
  }
}

/** Always 200: Teams shows nothing at all for an error status, so refusals are messages too. */
export function invokeResponse(reply: InvokeReply): AdaptiveCardInvokeResponse {
  if ('card' in reply) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card };
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: reply.message as unknown as Record<string, unknown>,
  };
}
