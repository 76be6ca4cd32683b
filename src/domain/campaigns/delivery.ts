import type { ConversationRef } from '../conversations/ports.js';
import type { Language } from '../course/course.js';
import type { ReachProblem, Verdict } from './deliveryPolicy.js';

/**
 * One message to one person. pending -> sending -> sent; or retrying (a 429 or 5xx, tried
 * again later), unreachable (403: blocked or removed the app; no conversation), failed (gave
 * up after the last attempt), unconfirmed (the process stopped, or the connection broke, while the
 * message was in flight: never sent again, so nobody gets it twice).
 */
export type DeliveryState = 'pending' | 'sending' | 'retrying' | 'sent' | 'unreachable' | 'failed' | 'unconfirmed';

export type DeliveryKind = 'campaign' | 'reminder' | 'refresher' | 'renewal';

export interface Delivery {
  /** `${sendId}/${memberKey}`: one per person per send, so adding it again adds nothing. */
  readonly id: string;
  /** The campaign id, or the id of one reminder, refresher or renewal round. */
  readonly sendId: string;
  readonly kind: DeliveryKind;
  /** The campaign a campaign message or reminder is about; a refresher has none. */
  readonly campaignId?: string;
  readonly memberKey: string;
  /**
   * What the campaign knew of the person when it added the delivery (their Entra object id, and the language they
   * chose, if any), so the worker need not read it again; deliveries without it are worked out from the stores.
   */
  readonly recipient?: DeliveryRecipient;
  /**
   * The personal chat the bot had with `recipient` when the campaign added the delivery, so the worker need not look
   * it up; deliveries without it look it up.
   */
  readonly chat?: ConversationRef;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt?: string;
  /** Why it is unreachable, failed or retrying: e.g. "403 ConversationBlockedByUser". */
  readonly reason?: string;
  /** Why it is unreachable or failed, as HR is told (deliveries stored before it have only `reason`). */
  readonly problem?: ReachProblem;
  readonly sentAt?: string;
  readonly updatedAt: string;
  /** The leader generation that last took it on; a leader of an older one may no longer change it (fencing). */
  readonly generation?: number;
  /**
   * Where it went or goes: `feed` once tried in the Teams activity feed, `chat` once the feed is ruled out (the app
   * not installed for the person); absent: the personal chat, as always before the feed.
   */
  readonly channel?: 'feed' | 'chat';
}

/** A delivery's person as its campaign found them. */
export interface DeliveryRecipient {
  readonly aadObjectId: string;
  /** Absent when they had chosen none. */
  readonly language?: Language;
}

export function deliveryId(sendId: string, memberKey: string): string {
  return `${sendId}/${memberKey}`;
}

/** True when a leader newer than `generation` has taken the delivery on: the older one must leave it alone. */
export function fencedOff(delivery: Delivery, generation: number): boolean {
  return (delivery.generation ?? 0) > generation;
}

/** True once nothing more will happen to the delivery. */
export function isFinal(state: DeliveryState): boolean {
  return state === 'sent' || state === 'unreachable' || state === 'failed' || state === 'unconfirmed';
}

/**
 * The delivery as a verdict on its `attempts`-th attempt leaves it: its new state, why, and when
 * it is tried again. Undefined when it is final already (nothing changes a final delivery).
 */
export function afterVerdict(current: Delivery, verdict: Verdict, attempts: number, now: Date): Delivery | undefined {
  if (isFinal(current.state)) return undefined;
  const at = now.toISOString();
  const waitMs =
    verdict.kind === 'throttled' ? verdict.pauseMs : verdict.kind === 'retry' ? verdict.delayMs : undefined;
  const state: DeliveryState =
    waitMs === undefined ? (verdict.kind as Exclude<Verdict['kind'], 'throttled' | 'retry'>) : 'retrying';
  const { reason: _reason, problem: _problem, nextAttemptAt: _next, ...rest } = current;
  return {
    ...rest,
    state,
    attempts,
    updatedAt: at,
    ...('reason' in verdict ? { reason: verdict.reason } : {}),
    ...('problem' in verdict ? { problem: verdict.problem } : {}),
    ...(waitMs !== undefined ? { nextAttemptAt: new Date(now.getTime() + waitMs).toISOString() } : {}),
    ...(state === 'sent' ? { sentAt: at } : {}),
  };
}
