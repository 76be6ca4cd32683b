import type { Delivery } from '../domain/campaigns/delivery.js';
import type { PaceStore } from '../domain/campaigns/ports.js';
import type { TeamsPlaceStore } from '../domain/conversations/ports.js';
import type { OutboundMessage } from '../domain/outbound/ports.js';
import type { ActivityFeed, FeedNotice } from '../domain/outbound/activityFeed.js';
import type { Member } from '../domain/roster/roster.js';

/** Whom a delivery goes to: their roster record, or only the key and Entra object id the delivery recorded. */
export type Recipient = Pick<Member, 'key' | 'aadObjectId'> & Partial<Member>;

/** Builds the message a delivery brings to a person (the Teams adapter implements it). */
export interface DeliveryMessages {
  compose(delivery: Delivery, member: Recipient): Promise<OutboundMessage>;
}

/** HR's figures as the worker asks them whether a delivery's recorded person may have changed since. */
export interface RosterChanges {
  /** True when the member may no longer be active with this Entra object id (the figures hold them otherwise). */
  changedFrom(key: string, aadObjectId: string): Promise<boolean>;
}

/** Where a personal chat last told the bot Teams is, and the limit the pace learnt. */
export type WorkerSettings = Pick<TeamsPlaceStore, 'teamsPlace'> & PaceStore;

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

/** What a delivery brings to the activity feed instead of the chat (the Teams adapter implements it). */
export interface FeedNotices {
  /** The notice, or undefined when the delivery goes to the chat (a kind the feed does not take). */
  notice(delivery: Delivery, member: Recipient): Promise<FeedNotice | undefined>;
}

/** The Teams activity feed as the delivery worker uses it, when it is on. */
export interface FeedRoute {
  readonly feed: ActivityFeed;
  readonly notices: FeedNotices;
  /** True when the bot has a personal chat with the person: the app is installed for them, so bulk notices reach. */
  hasChat(aadObjectId: string): Promise<boolean>;
}
