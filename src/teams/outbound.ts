import type { Activity, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { RequestOutcome } from '../domain/campaigns/deliveryPolicy.js';
import type { ConversationRef, ConversationStore, TeamsPlace } from '../domain/conversations/ports.js';
import type {
  Outbound,
  OutboundMessage,
  PersonalPlace,
  ProactiveRequests,
  TeamChannel,
  ThreadRef,
} from '../domain/outbound/ports.js';
import type { ConnectorRequests } from './connectorRequests.js';
import { threadOf } from './conversations.js';

/**
 * The one way out to Teams. Messages that answer someone now (threads in the contact channel, a
 * ticket's answer, a card updated in place) go through botbuilder's connector, which retries what
 * Teams throttles. The delivery worker's requests go through ConnectorRequests, one HTTP request
 * per call, so the worker sees every status code and paces every request itself.
 */
export class TeamsOutbound implements Outbound, ProactiveRequests<ConversationRef> {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    /** The one-request-a-call REST requests the delivery worker paces. */
    private readonly requests: ConnectorRequests,
    private readonly conversations: ConversationStore,
  ) {}

  async toPerson(aadObjectId: string, message: OutboundMessage): Promise<boolean> {
    const ref = await this.conversations.get(aadObjectId);
    if (!ref) return false;
    const conversation = { ...personal(ref.conversationId, ref.tenantId) };
    const reference = { serviceUrl: ref.serviceUrl, channelId: ref.channelId, conversation, bot: bot(ref.botId) };
    await this.continueIn(reference, (context) => context.sendActivity(message));
    return true;
  }

  async startThread(channel: TeamChannel, message: OutboundMessage): Promise<ThreadRef> {
    const parameters = {
      isGroup: true,
      channelData: {
        channel: { id: channel.channelId },
        ...(channel.tenantId ? { tenant: { id: channel.tenantId } } : {}),
      },
      activity: message as Partial<Activity>,
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

  async postInThread(channel: TeamChannel, thread: ThreadRef, message: OutboundMessage): Promise<void> {
    await this.continueIn(threadReference(channel, thread), (context) => context.sendActivity(message));
  }

  async updateThreadRoot(channel: TeamChannel, thread: ThreadRef, message: OutboundMessage): Promise<void> {
    const update = { ...message, id: thread.rootActivityId, conversation: { id: thread.conversationId } };
    await this.continueIn(threadReference(channel, thread), (context) =>
      context.updateActivity(update as Partial<Activity>),
    );
  }

  async updatePersonalCard(place: PersonalPlace, activityId: string, message: OutboundMessage): Promise<void> {
    const { conversationId, serviceUrl, tenantId, botId } = place;
    const conversation = personal(conversationId, tenantId);
    const reference = { serviceUrl, channelId: 'msteams', conversation, ...(botId ? { bot: bot(botId) } : {}) };
    const update = { ...message, id: activityId, conversation: { id: conversationId } } as Partial<Activity>;
    await this.continueIn(reference, (context) => context.updateActivity(update));
  }

  chatWith(aadObjectId: string): Promise<ConversationRef | undefined> {
    return this.requests.chatWith(aadObjectId);
  }

  install(aadObjectId: string): Promise<RequestOutcome | undefined> {
    return this.requests.install(aadObjectId);
  }

  createConversation(place: TeamsPlace, aadObjectId: string) {
    return this.requests.createConversation(place, aadObjectId);
  }

  send(ref: ConversationRef, message: OutboundMessage): Promise<RequestOutcome> {
    return this.requests.send(ref, message);
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

function personal(id: string, tenantId: string | undefined) {
  return { id, isGroup: false, conversationType: 'personal', name: '', ...(tenantId ? { tenantId } : {}) };
}

const bot = (id: string) => ({ id, name: '' });

function threadReference(channel: TeamChannel, thread: ThreadRef): Partial<ConversationReference> {
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
