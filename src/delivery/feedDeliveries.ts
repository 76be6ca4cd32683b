import { chatLink } from '../domain/outbound/chatLink.js';
import { fencedOff, type Delivery } from '../domain/campaigns/delivery.js';
import { classify, type RetryPolicy, type Verdict } from '../domain/campaigns/deliveryPolicy.js';
import type { DeliveryStore } from '../domain/campaigns/ports.js';
import type { FeedNotice, FeedOutcome } from '../domain/outbound/activityFeed.js';
import type { Clock } from '../domain/time/clock.js';
import type { DeliveryOutcomes } from './deliveryOutcomes.js';
import { RateLimiter } from './pacing.js';
import type { Place } from './place.js';
import type { FeedRoute, Recipient } from './ports.js';

/** Graph's limit for notices to one person: 5 requests a second per app and tenant. */
const FEED_RATE = 5;
/** Graph's limit for notices to many people at once: 2 requests a second per app and tenant. */
const BULK_RATE = 2;
/** The most people one bulk notice goes to. */
const BULK_MAX = 100;
/** How long a bulk notice waits for more deliveries with the same notice before it goes. */
const LINGER_MS = 25;

/** Deliveries with one notice, sent to all their people in one request. */
interface Batch {
  readonly notice: FeedNotice;
  readonly link: string;
  readonly people: string[];
  readonly result: Promise<FeedOutcome | undefined>;
  readonly resolve: (outcome: FeedOutcome | undefined) => void;
}
/** A bot's Teams id as a deep link takes it (`28:` and the app id). */
const BOT_ID = /^28:[\w-]+$/;
const NOT_INSTALLED = 'the app is not installed for them: by chat instead of the activity feed';
/** Why a refresher goes on by chat once its notice is done. */
const NOTICE_DONE = 'its activity feed notice is done: the refresher card by chat';

/**
 * Deliveries that go to the Teams activity feed, at their own pace beside Teams messages. Each is claimed (`sending`,
 * attempts + 1) before its request goes out and gets its outcome right after, as a chat message does, so a crash
 * leaves it unconfirmed and nobody gets a notice twice. A 429 holds every notice for its Retry-After; when Graph says
 * the app is not installed for the person, the delivery goes on by chat. A refresher is answered in the chat: its
 * notice only points there, so once the notice is done (whatever Graph answered, unless it is tried again later) the
 * delivery goes on by chat with the card.
 */
export class FeedDeliveries {
  private readonly pace = new RateLimiter(FEED_RATE, 1);
  private readonly bulkPace = new RateLimiter(BULK_RATE, 1);
  private readonly batches = new Map<string, Batch>();

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

  /**
   * Delivers through the feed when it takes the delivery: `done` when it did (whatever the outcome), `chat` when the
   * delivery goes by chat (then it is pending or retrying, due now).
   */
  async deliver(delivery: Delivery, member: Recipient, place: Place): Promise<'done' | 'chat'> {
    const { aadObjectId } = member;
    if (!aadObjectId || !place.botId || !BOT_ID.test(place.botId) || delivery.channel === 'chat') return 'chat';
    const notice = await this.route.notices.notice(delivery, member);
    if (!notice) return 'chat';
    // Teams' deep link to a chat with the bot: clicking the notice opens the chat with Postwise.
    const link = chatLink(place.botId);
    // With a chat, the app is installed for them: the notice may go in bulk, whose answer names nobody it missed.
    const bulk = await this.route.hasChat(aadObjectId);
    const pace = bulk ? this.bulkPace : this.pace;
    if (!bulk && !(await pace.take())) return 'done';
    const claimed = await this.claim(delivery.id);
    if (!claimed) {
      if (!bulk) pace.release();
      return 'done';
    }
    const outcome = bulk
      ? await this.inBulk(`${delivery.sendId}\n${JSON.stringify(notice)}`, notice, link, aadObjectId)
      : await this.alone(aadObjectId, notice, link);
    if (!outcome) {
      await this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
      return 'done';
    }
    if (outcome.kind === 'not-installed') {
      await this.byChat(delivery.id, NOT_INSTALLED);
      return 'chat';
    }
    const verdict = this.judge(outcome, claimed.attempts);
    if (delivery.kind === 'refresher' && verdict.kind !== 'retry') {
      await this.byChat(delivery.id, NOTICE_DONE);
      return 'chat';
    }
    await this.outcomes.record(delivery.id, verdict, claimed.attempts);
    return 'done';
  }

  /** One notice to one person on the turn taken; undefined when sending stopped first. */
  private async alone(aadObjectId: string, notice: FeedNotice, link: string): Promise<FeedOutcome | undefined> {
    if ((await this.pace.go()) === undefined) return undefined;
    try {
      return await this.route.feed.notify(aadObjectId, notice, link);
    } finally {
      this.pace.done();
    }
  }

  /** Joins the person to the bulk notice `key` names (opening one if none waits); resolves with its outcome. */
  private inBulk(key: string, notice: FeedNotice, link: string, aadObjectId: string) {
    let batch = this.batches.get(key);
    if (!batch) {
      let resolve: Batch['resolve'] = () => undefined;
      const result = new Promise<FeedOutcome | undefined>((r) => (resolve = r));
      const opened: Batch = { notice, link, people: [], result, resolve };
      this.batches.set(key, opened);
      setTimeout(() => void this.flush(key, opened), LINGER_MS);
      batch = opened;
    }
    batch.people.push(aadObjectId);
    if (batch.people.length >= BULK_MAX) void this.flush(key, batch);
    return batch.result;
  }

  /** Sends a bulk notice at the bulk pace, once. */
  private async flush(key: string, batch: Batch): Promise<void> {
    if (this.batches.get(key) !== batch) return;
    this.batches.delete(key);
    if (!(await this.bulkPace.take()) || (await this.bulkPace.go()) === undefined) return batch.resolve(undefined);
    try {
      batch.resolve(await this.route.feed.notifyMany(batch.people, batch.notice, batch.link));
    } catch {
      // It may have gone out: each delivery in it ends unconfirmed, never sent again.
      batch.resolve({ kind: 'network', code: 'Failed', reached: true });
    } finally {
      this.bulkPace.done();
    }
  }

  /** Takes no more notices. */
  close(): void {
    this.pace.close();
    this.bulkPace.close();
  }

  private judge(outcome: Exclude<FeedOutcome, { kind: 'not-installed' }>, attempt: number): Verdict {
    const verdict = classify(outcome, attempt, 'send', this.deps.clock.now(), this.random, this.retry);
    if (verdict.kind !== 'throttled') return verdict;
    // Graph's 429 holds every notice, not Teams messages: the delivery is tried again once it has passed.
    this.pace.pause(verdict.pauseMs);
    this.bulkPace.pause(verdict.pauseMs);
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

  /** The delivery goes on by chat, now: nothing reached the person, or the notice is done and the card follows. */
  private async byChat(id: string, reason: string): Promise<void> {
    const generation = this.deps.generation ?? 0;
    const at = this.deps.clock.now().toISOString();
    await this.deps.deliveries.update(id, (current) =>
      current.state === 'sending' && !fencedOff(current, generation)
        ? { ...current, state: 'retrying', channel: 'chat', reason, nextAttemptAt: at, updatedAt: at }
        : undefined,
    );
  }
}

const STOPPED: Verdict = { kind: 'retry', delayMs: 0, reason: 'sending stopped before the notice went out' };
