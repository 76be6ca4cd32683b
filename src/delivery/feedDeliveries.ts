import { fencedOff, type Delivery } from '../domain/campaigns/delivery.js';
import { classify, type RetryPolicy, type Verdict } from '../domain/campaigns/deliveryPolicy.js';
import type { DeliveryStore } from '../domain/campaigns/ports.js';
import type { FeedOutcome } from '../domain/outbound/activityFeed.js';
import type { Clock } from '../domain/time/clock.js';
import type { DeliveryOutcomes } from './deliveryOutcomes.js';
import { RateLimiter } from './pacing.js';
import type { Place } from './place.js';
import type { FeedRoute, Recipient } from './ports.js';

/** Graph's limit for notices to one person: 5 requests a second per app and tenant. */
export const FEED_RATE = 5;
/** A bot's Teams id as a deep link takes it (`28:` and the app id). */
const BOT_ID = /^28:[\w-]+$/;
const NOT_INSTALLED = 'the app is not installed for them: by chat instead of the activity feed';

/**
 * Deliveries that go to the Teams activity feed, at their own pace beside Teams messages. Each is claimed (`sending`,
 * attempts + 1) before its request goes out and gets its outcome right after, as a chat message does, so a crash
 * leaves it unconfirmed and nobody gets a notice twice. A 429 holds every notice for its Retry-After; when Graph says
 * the app is not installed for the person, the delivery goes on by chat.
 */
export class FeedDeliveries {
  private readonly pace = new RateLimiter(FEED_RATE, 1);

  constructor(
    private readonly route: FeedRoute,
    private readonly deps: {
      readonly deliveries: DeliveryStore;
      readonly clock: Clock;
      readonly generation?: number;
    },
    private readonly outcomes: DeliveryOutcomes,
    private readonly retry: RetryPolicy,
    private readonly random: () => number,
  ) {}

  /** Notices sent (requests that went out). */
  requests = 0;

  /**
   * Delivers through the feed when it takes the delivery: `done` when it did (whatever the outcome), `chat` when the
   * delivery goes by chat (then it is pending or retrying, due now).
   */
  async deliver(delivery: Delivery, member: Recipient, place: Place): Promise<'done' | 'chat'> {
    const { aadObjectId } = member;
    if (!aadObjectId || !place.botId || !BOT_ID.test(place.botId) || delivery.channel === 'chat') return 'chat';
    const notice = await this.route.notices.notice(delivery, member);
    if (!notice) return 'chat';
    if (!(await this.pace.take())) return 'done';
    const claimed = await this.claim(delivery.id);
    if (!claimed) {
      this.pace.release();
      return 'done';
    }
    // Teams' deep link to a chat with the bot: clicking the notice opens the chat with Postwise.
    const link = `https://teams.microsoft.com/l/chat/0/0?users=${place.botId}`;
    if ((await this.pace.go()) === undefined) {
      await this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
      return 'done';
    }
    this.requests += 1;
    let outcome: FeedOutcome | undefined;
    try {
      outcome = await this.route.feed.notify(aadObjectId, notice, link);
    } finally {
      this.pace.done();
    }
    if (outcome.kind === 'not-installed') {
      await this.byChat(delivery.id);
      return 'chat';
    }
    await this.outcomes.record(delivery.id, this.judge(outcome, claimed.attempts), claimed.attempts);
    return 'done';
  }

  /** Takes no more notices. */
  close(): void {
    this.pace.close();
  }

  private judge(outcome: Exclude<FeedOutcome, { kind: 'not-installed' }>, attempt: number): Verdict {
    const verdict = classify(outcome, attempt, 'send', this.deps.clock.now(), this.random, this.retry);
    if (verdict.kind !== 'throttled') return verdict;
    // Graph's 429 holds the feed's pace, not the chat's: the delivery is tried again once it has passed.
    this.pace.pause(verdict.pauseMs);
    return { kind: 'retry', delayMs: verdict.pauseMs, reason: verdict.reason.replace('Teams', 'Graph') };
  }

  private claim(id: string): Promise<Delivery | undefined> {
    const generation = this.deps.generation ?? 0;
    const at = this.deps.clock.now().toISOString();
    return this.deps.deliveries.update(id, (current) =>
      (current.state === 'pending' || current.state === 'retrying') && !fencedOff(current, generation)
        ? { ...current, state: 'sending', attempts: current.attempts + 1, updatedAt: at, generation, channel: 'feed' }
        : undefined,
    );
  }

  /** Nothing reached the person: the delivery goes on by chat, now. */
  private async byChat(id: string): Promise<void> {
    const generation = this.deps.generation ?? 0;
    const at = this.deps.clock.now().toISOString();
    await this.deps.deliveries.update(id, (current) =>
      current.state === 'sending' && !fencedOff(current, generation)
        ? { ...current, state: 'retrying', channel: 'chat', reason: NOT_INSTALLED, nextAttemptAt: at, updatedAt: at }
        : undefined,
    );
  }
}

const STOPPED: Verdict = { kind: 'retry', delayMs: 0, reason: 'sending stopped before the notice went out' };
