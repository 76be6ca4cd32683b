import type { PagedScan } from '../paging/pagedScan.js';
import type { Assignment } from './assignment.js';
import type { Campaign } from './campaign.js';
import type { Delivery, DeliveryRecipient } from './delivery.js';

export interface CampaignStore {
  /** Stores the campaign unless its id is taken; returns what is stored and whether it is new. */
  create(campaign: Campaign): Promise<{ campaign: Campaign; created: boolean }>;
  get(id: string): Promise<Campaign | undefined>;
  list(): Promise<Campaign[]>;
}

/**
 * Where campaigns and reminders put the messages they send, one delivery per person. Adding
 * wakes whatever delivers them: nobody has to tell it.
 */
export interface DeliveryQueue {
  /** Adds the deliveries whose ids are not there yet; returns how many were added. */
  add(deliveries: readonly Delivery[]): Promise<number>;
  /** Every delivery of one campaign or reminder round. */
  forSend(sendId: string): Promise<Delivery[]>;
}

/** The deliveries as the delivery worker works through them. */
export interface DeliveryStore extends DeliveryQueue {
  get(id: string): Promise<Delivery | undefined>;
  /** Applies `change` atomically; undefined from `change` writes nothing. */
  update(id: string, change: (delivery: Delivery) => Delivery | undefined): Promise<Delivery | undefined>;
  /** Deliveries that are not final yet, of every send. */
  open(): Promise<Delivery[]>;
}

export interface AssignmentStore extends PagedScan<Assignment> {
  get(key: string): Promise<Assignment | undefined>;
  /**
   * Applies `change` atomically to the member's assignment (undefined when there is none yet). `person`: their Entra
   * object id and chosen language as the caller found them, so that whatever follows assignments need not read them.
   */
  update(
    key: string,
    change: (current: Assignment | undefined) => Assignment | undefined,
    person?: DeliveryRecipient,
  ): Promise<Assignment | undefined>;
  scan<R>(pick: (assignment: Readonly<Assignment>) => R): Promise<R[]>;
}

/** The most requests Teams took in one second when it last refused one, and when that was (ISO). */
export interface LearntLimit {
  readonly limit: number;
  readonly at: string;
}

/** Keeps the limit the delivery pace learnt, so that a restarted worker starts at it. */
export interface PaceStore {
  learntLimit(): Promise<LearntLimit | undefined>;
  setLearntLimit(learnt: LearntLimit): Promise<void>;
}
