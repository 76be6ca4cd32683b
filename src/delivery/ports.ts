import type { Delivery } from '../domain/campaigns/delivery.js';
import type { RequestOutcome } from '../domain/campaigns/deliveryPolicy.js';
import type { Member } from '../domain/roster/roster.js';

/** Where personal chats are created: the tenant is required, the bot id optional. */
export interface ChatPlace {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly botId?: string;
}

/**
 * The requests the worker makes to reach one person; each call is at most one request to Teams.
 * `Chat` is the sender's own reference to a personal chat: the worker only hands it back.
 */
export interface ProactiveSender<Chat = unknown> {
  /** The chat the bot already has with this person, if any (no request). */
  chatWith(aadObjectId: string): Promise<Chat | undefined>;
  /**
   * Installs the app for the person before their chat is created, where configured; undefined when done or not needed.
   */
  install(aadObjectId: string): Promise<RequestOutcome | undefined>;
  /** Creates the personal chat and keeps it for `chatWith`. */
  createConversation(place: ChatPlace, aadObjectId: string): Promise<{ ref: Chat } | { outcome: RequestOutcome }>;
  send(ref: Chat, activity: Record<string, unknown>): Promise<RequestOutcome>;
}

/** Builds the message a delivery brings to a person (the Teams adapter implements it). */
export interface DeliveryMessages {
  compose(delivery: Delivery, member: Member): Promise<Record<string, unknown>>;
}

/** What this worker has done since it started. */
export interface DeliveryProgress {
  readonly sent: number;
  readonly unreachable: number;
  readonly failed: number;
  /** Found in flight from a stopped process, or lost mid-request: never sent again. */
  readonly unconfirmed: number;
  /** Retries scheduled after a 412 or 5xx (or a failed install). */
  readonly retries: number;
  /** 429 answers: each paused all sending. */
  readonly throttled: number;
  /** Requests to Teams (creating a chat, sending). */
  readonly requests: number;
  /** The pace now, in requests per second, to a tenth (36.3, not 36.300000000000004). */
  readonly rate: number;
}
