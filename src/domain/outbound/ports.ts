import type { RequestOutcome } from '../campaigns/deliveryPolicy.js';
import type { TeamsPlace } from '../conversations/ports.js';

/** A message as Teams shows it (a card): the domain only passes it on. */
export type OutboundMessage = Readonly<Record<string, unknown>>;

/** A thread in a team channel: its conversation, and its first message. */
export interface ThreadRef {
  readonly conversationId: string;
  readonly rootActivityId: string;
}

/** A team channel the bot posts in. */
export interface TeamChannel {
  readonly channelId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
}

/** A personal chat as a card button's turn knows it. */
export interface PersonalPlace {
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly botId?: string;
}

/**
 * The one way out: everything the bot sends to people and channels. Messages that answer someone
 * now go out at once, paced per conversation; messages to many people go through the delivery
 * worker, which makes each request itself (`ProactiveRequests`) at the pace Teams allows.
 */
export interface Outbound {
  /** Sends into the person's personal chat; false when the bot has no chat with them. */
  toPerson(aadObjectId: string, message: OutboundMessage): Promise<boolean>;
  /** Posts the message as the first of a new thread in the channel. */
  startThread(channel: TeamChannel, message: OutboundMessage): Promise<ThreadRef>;
  /** Adds a message to a thread. */
  postInThread(channel: TeamChannel, thread: ThreadRef, message: OutboundMessage): Promise<void>;
  /** Replaces the thread's first message. */
  updateThreadRoot(channel: TeamChannel, thread: ThreadRef, message: OutboundMessage): Promise<void>;
  /** Replaces a card the bot sent earlier in a personal chat. */
  updatePersonalCard(place: PersonalPlace, activityId: string, message: OutboundMessage): Promise<void>;
}

/**
 * The requests the delivery worker makes to reach one person; each call is at most one request
 * to Teams. `Chat` is the sender's own reference to a personal chat: the worker only hands back what `chatWith`
 * gave, or the reference a campaign's delivery copied from the conversation store that `chatWith` reads.
 */
export interface ProactiveRequests<Chat = unknown> {
  /** The chat the bot already has with this person, if any (no request). */
  chatWith(aadObjectId: string): Promise<Chat | undefined>;
  /**
   * Installs the app for the person before their chat is created, where configured; undefined when done or not
   * needed.
   */
  install(aadObjectId: string): Promise<RequestOutcome | undefined>;
  /** Creates the personal chat and keeps it for `chatWith`. */
  createConversation(place: TeamsPlace, aadObjectId: string): Promise<{ ref: Chat } | { outcome: RequestOutcome }>;
  send(ref: Chat, message: OutboundMessage): Promise<RequestOutcome>;
}
