import {
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import type { CardJson } from '../cards/templates.js';
import type { ContactChannel, ThreadRef } from '../domain/questions/tickets.js';
import type { ConversationRef } from '../domain/conversations/ports.js';
import { threadOf } from './conversations.js';

/** A personal chat as a card button's turn knows it. */
export interface PersonalPlace {
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly botId?: string;
}

/** Messages the bot starts itself: threads in the contact channel, answers in personal chats. */
export class Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  /** Posts the card as the first message of a new thread in the channel. */
  async startThread(channel: ContactChannel, card: CardJson): Promise<ThreadRef> {
    const parameters = {
      isGroup: true,
      channelData: {
        channel: { id: channel.channelId },
        ...(channel.tenantId ? { tenant: { id: channel.tenantId } } : {}),
      },
      activity: cardMessage(card),
      ...(channel.tenantId ? { tenantId: channel.tenantId } : {}),
    } as ConversationParameters;
    let thread: ThreadRef | undefined;
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      channel.serviceUrl,
      '',
      parameters,
      async (context) => {
        const conversationId = context.activity.conversation.id;
        thread = { conversationId, rootActivityId: threadOf(conversationId).rootActivityId ?? '' };
      },
    );
    if (!thread) throw new Error('Teams did not return the new thread');
    return thread;
  }

  /** Adds a message to a thread. */
  async postToThread(channel: ContactChannel, thread: ThreadRef, message: Partial<Activity>): Promise<void> {
    await this.continueIn(threadReference(channel, thread), (context) => context.sendActivity(message));
  }

  /** Replaces the thread's first message (the ticket card). */
  async updateThreadCard(channel: ContactChannel, thread: ThreadRef, card: CardJson): Promise<void> {
    await this.continueIn(threadReference(channel, thread), (context) =>
      context.updateActivity({
        ...cardMessage(card),
        id: thread.rootActivityId,
        conversation: { id: thread.conversationId },
      } as Partial<Activity>),
    );
  }

  /** Sends a message into an employee's personal chat. */
  async sendToUser(ref: ConversationRef, message: Partial<Activity>): Promise<void> {
    await this.continueIn(
      {
        serviceUrl: ref.serviceUrl,
        channelId: ref.channelId,
        conversation: {
          id: ref.conversationId,
          isGroup: false,
          conversationType: 'personal',
          name: '',
          ...(ref.tenantId ? { tenantId: ref.tenantId } : {}),
        },
        bot: { id: ref.botId, name: '' },
      },
      (context) => context.sendActivity(message),
    );
  }

  /** Replaces a card the bot sent earlier in a personal chat. */
  async updatePersonalCard(place: PersonalPlace, activityId: string, card: CardJson): Promise<void> {
    const { conversationId, serviceUrl, tenantId, botId } = place;
    const conversation = {
      id: conversationId,
      isGroup: false,
      conversationType: 'personal',
      name: '',
      ...(tenantId ? { tenantId } : {}),
    };
    const bot = botId ? { bot: { id: botId, name: '' } } : {};
    const reference = { serviceUrl, channelId: 'msteams', conversation, ...bot };
    const update = { ...cardMessage(card), id: activityId, conversation: { id: conversationId } } as Partial<Activity>;
    await this.continueIn(reference, (context) => context.updateActivity(update));
  }

  private async continueIn(
    reference: Partial<ConversationReference>,
    send: (context: TurnContext) => Promise<unknown>,
  ): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      await send(context);
    });
  }
}

export function cardMessage(card: CardJson): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

function threadReference(channel: ContactChannel, thread: ThreadRef): Partial<ConversationReference> {
  return {
    serviceUrl: channel.serviceUrl,
    channelId: 'msteams',
    conversation: {
      id: thread.conversationId,
      isGroup: true,
      conversationType: 'channel',
      name: '',
      ...(channel.tenantId ? { tenantId: channel.tenantId } : {}),
    },
  };
}
