import type { Delivery } from '../domain/campaigns/delivery.js';
import type { AssignmentStore, DeliveryStore, PaceStore } from '../domain/campaigns/ports.js';
import type { RetryPolicy } from '../domain/campaigns/deliveryPolicy.js';
import type { TeamsPlaceStore } from '../domain/conversations/ports.js';
import type { OutboundMessage, ProactiveRequests } from '../domain/outbound/ports.js';
import type { ActivityFeed, FeedNotice } from '../domain/outbound/activityFeed.js';
import type { Member } from '../domain/roster/roster.js';
import type { RosterStore } from '../domain/roster/ports.js';
import type { Clock } from '../domain/time/clock.js';
import type { Log } from '../log.js';

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

/** What the delivery worker works with. */
export interface DeliveryWorkerDeps {
  readonly deliveries: DeliveryStore;
  readonly assignments: AssignmentStore;
  readonly roster: Pick<RosterStore, 'get'>;
  /** HR's figures: a delivery's recorded person they show no change of is sent to with no roster read. */
  readonly rosterChanges?: RosterChanges;
  readonly settings: WorkerSettings;
  readonly sender: ProactiveRequests;
  readonly messages: DeliveryMessages;
  readonly clock: Clock;
  readonly log: Log;
  /** Requests per second to Teams at first, every request counted (creating a chat and sending). */
  readonly rate: number;
  /** The most requests per second the pace rises to while Teams accepts them; default `rate`. */
  readonly maxRate?: number;
  /** Used until a personal chat has told the bot where Teams is (`settings.teamsPlace`). */
  readonly serviceUrl: string;
  readonly tenantId?: string;
  readonly botId?: string;
  /** 0..1, for the backoff's jitter. */
  readonly random?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  /** Deliveries worked on at once (enough for Teams' latency); the rate limiter sets the pace. Default 32. */
  readonly concurrency?: number;
  /** The leader generation this worker sends for; deliveries a newer leader took on are left alone. Default 0. */
  readonly generation?: number;
  /** The Teams activity feed, when it is on: the deliveries it takes go there instead of the chat. */
  readonly feed?: FeedRoute;
}
