import type { Delivery } from '../domain/campaigns/delivery.js';
import {
  chatGone,
  classify,
  DEFAULT_RETRY,
  type RequestKind,
  type RequestOutcome,
  type RetryPolicy,
  type Verdict,
} from '../domain/campaigns/deliveryPolicy.js';
import type { DeliveryQueue } from '../domain/campaigns/ports.js';
import type { OutboundMessage } from '../domain/outbound/ports.js';
import type { DeliveryProgress, DeliveryWorkerDeps } from './ports.js';
import { FeedDeliveries } from './feedDeliveries.js';
import { Alarm } from './alarm.js';
import { Adoption } from './adoption.js';
import { DeliveryOutcomes } from './deliveryOutcomes.js';
import { PacedRequests } from './pacedRequests.js';
import { placeOf, type Place } from './place.js';
import { recipientOf } from './recipients.js';
import { DOCUMENTED_LIMIT } from './adaptiveRate.js';
import { AdaptivePace } from './pacing.js';

export type { DeliveryWorkerDeps } from './ports.js';

const DEFAULT_CONCURRENCY = 32;
/** The longest the worker sleeps without looking for new or due deliveries. */
const MAX_SLEEP_MS = 60_000;
const NO_ROSTER = 'no longer on the roster';
const NO_ID = 'no Entra object id and no chat with the bot yet';
/** Sending stopped between a 404 and the new chat: nothing went out, so it is simply tried again. */
const STOPPED: Verdict = { kind: 'retry', delayMs: 0, reason: 'sending stopped before the message went out' };
const CREATED: RequestOutcome = { kind: 'response', status: 201 };
const NO_TENANT = 'no Teams tenant known yet: nobody has talked to the bot and MicrosoftAppTenantId is not set';

/**
 * Delivers the open deliveries of every send, one message per person, at the pace Teams allows
 * (AdaptivePace: from `rate`, up to `maxRate` or the limit Microsoft documents, down on a 429).
 * Each delivery is marked `sending` (attempts + 1) before its message goes out and gets its
 * outcome right after; a delivery found `sending` by a later process is marked `unconfirmed`
 * and never sent again, so a crash cannot make anyone get the message twice.
 */
export class DeliveryWorker {
  /** The queue campaigns and reminders add to: every addition wakes the worker. */
  readonly queue: DeliveryQueue;
  private readonly pace: AdaptivePace;
  private readonly requests: PacedRequests;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly concurrency: number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly outcomes: DeliveryOutcomes;
  private readonly feed: FeedDeliveries | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private idleLogged = false;
  private readonly alarm = new Alarm();
  private slotWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: DeliveryWorkerDeps) {
    const ceiling = Math.max(deps.rate, deps.maxRate ?? deps.rate);
    this.pace = new AdaptivePace(deps.rate, ceiling, () => performance.now(), DOCUMENTED_LIMIT);
    this.requests = new PacedRequests(this.pace, deps.settings, deps.clock, deps.log);
    this.retry = { ...DEFAULT_RETRY, ...deps.retry };
    this.random = deps.random ?? Math.random;
    this.concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
    this.outcomes = new DeliveryOutcomes(deps, this.pace, this.retry, this.random);
    this.feed = deps.feed && new FeedDeliveries(deps.feed, deps, this.outcomes, this.retry, this.random);
    this.queue = {
      add: async (deliveries) => {
        const added = await deps.deliveries.add(deliveries);
        this.alarm.wake();
        return added;
      },
      forSend: (sendId) => deps.deliveries.forSend(sendId),
    };
  }

  /** Marks what a stopped process left in flight unconfirmed, then sends open deliveries until stopped (Adoption). */
  async start(): Promise<void> {
    if (this.running || this.stopping) return;
    const open = await this.deps.deliveries.open();
    const interrupted = await this.outcomes.unconfirmInFlight(open);
    const limit = await this.requests.resume();
    this.deps.log.info('delivery.started', {
      open: open.length - interrupted,
      unconfirmed: interrupted,
      limit: limit ?? 'unknown',
    });
    this.running = this.loop();
  }

  /** Resolves the next time no delivery is open (the worker must be running). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.alarm.wake();
    });
  }

  /** Takes no new deliveries, lets those mid-request finish and record their outcome, then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pace.close();
    this.feed?.close();
    this.alarm.wake();
    await this.running;
    await Promise.all(this.inFlight.values());
    this.deps.log.info('delivery.stopped', { ...this.progress });
  }

  get progress(): DeliveryProgress {
    return { ...this.outcomes.counts, requests: this.pace.requests, rate: Math.round(this.pace.rate * 10) / 10 };
  }

  private async loop(): Promise<void> {
    // The first round after start takes on what it sends as this leader's (Adoption).
    let adopting = true;
    while (!this.stopping) {
      let waitMs: number;
      try {
        waitMs = await this.round(adopting);
        adopting = false;
      } catch (error) {
        this.deps.log.error('delivery.round-failed', error);
        waitMs = this.retry.baseMs;
      }
      if (waitMs > 0 && !this.stopping) await this.alarm.sleep(Math.min(waitMs, MAX_SLEEP_MS));
    }
  }

  /** Starts every due delivery (taking them on as it goes when `adopting`); returns the wait for the next (0: now). */
  private async round(adopting: boolean): Promise<number> {
    const open = await this.deps.deliveries.open();
    const now = this.deps.clock.now().getTime();
    const ready: { delivery: Delivery; due: number }[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const delivery of open) {
      if (this.inFlight.has(delivery.id)) continue;
      if (delivery.state === 'sending') {
        // Nobody is sending it: an earlier attempt broke off after the message may have gone out.
        await this.outcomes.unconfirm(delivery);
        continue;
      }
      const due = delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : 0;
      if (due <= now) ready.push({ delivery, due });
      else next = Math.min(next, due);
    }
    if (ready.length === 0) {
      if (this.inFlight.size === 0 && next === Number.POSITIVE_INFINITY) this.becameIdle();
      return next - now;
    }
    this.idleLogged = false;
    ready.sort((a, b) => a.due - b.due || a.delivery.id.localeCompare(b.delivery.id));
    const place = await placeOf(this.deps);
    const adoption = adopting
      ? new Adoption(
          ready.map((r) => r.delivery),
          this.outcomes,
          this.deps.log,
        )
      : undefined;
    try {
      for (const [index, { delivery }] of ready.entries()) {
        await adoption?.before(index);
        await this.freeSlot();
        if (this.stopping) break;
        this.launch(delivery, place);
      }
    } finally {
      await adoption?.settled();
    }
    // Looked at again once the last of these is done (launch wakes it), or at once when none is left.
    return this.inFlight.size > 0 ? MAX_SLEEP_MS : 0;
  }

  private launch(delivery: Delivery, place: Place): void {
    const task = this.deliver(delivery, place)
      .catch((error: unknown) => this.outcomes.broke(delivery, error))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.slotWaiters.shift()?.();
        if (this.inFlight.size === 0) this.alarm.wake();
      });
    this.inFlight.set(delivery.id, task);
  }

  private async deliver(delivery: Delivery, place: Place): Promise<void> {
    const { sender } = this.deps;
    const member = await recipientOf(delivery, this.deps.roster, this.deps.rosterChanges);
    if (!member)
      return this.outcomes.record(
        delivery.id,
        { kind: 'unreachable', reason: NO_ROSTER, problem: 'off-roster' },
        delivery.attempts,
      );
    if (this.feed && (await this.feed.deliver(delivery, member, place)) === 'done') return;
    const aadObjectId = member.aadObjectId;
    // The chat the campaign found for the person it recorded, when they still have that Entra object id.
    const carried = aadObjectId && delivery.recipient?.aadObjectId === aadObjectId ? delivery.chat : undefined;
    let ref = carried ?? (aadObjectId ? await sender.chatWith(aadObjectId) : undefined);
    if (!ref && !aadObjectId)
      return this.outcomes.record(
        delivery.id,
        { kind: 'unreachable', reason: NO_ID, problem: 'no-id' },
        delivery.attempts,
      );
    const activity = await this.deps.messages.compose(delivery, member);
    const stored = ref !== undefined;
    if (!ref) {
      const attempt = delivery.attempts + 1;
      const opened = await this.open(place, aadObjectId as string);
      if ('stopped' in opened) return;
      if ('verdict' in opened) return this.outcomes.record(delivery.id, opened.verdict, attempt);
      if ('outcome' in opened)
        return this.outcomes.record(delivery.id, this.judge(opened.outcome, attempt, 'create'), attempt);
      ref = opened.ref;
    }
    if (!(await this.pace.take())) return;
    const at = this.deps.clock.now().toISOString();
    const claimed = await this.outcomes.claim(delivery.id, at);
    if (!claimed) return this.pace.release();
    let outcome = await this.send(ref, activity);
    if (!outcome) return this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
    const latest = carried && aadObjectId && chatGone(outcome) ? await sender.chatWith(aadObjectId) : undefined;
    if (latest && !sameChat(latest, carried)) {
      // The chat the campaign found is gone, but a newer one was stored since.
      if (!(await this.pace.take())) return this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
      outcome = await this.send(latest, activity);
      if (!outcome) return this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
    }
    if (stored && aadObjectId && chatGone(outcome)) {
      // The stored chat is gone (the person cleared it): Teams makes a new one for the same person.
      const reopened = await this.open(place, aadObjectId);
      if ('stopped' in reopened) return this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
      if ('verdict' in reopened) return this.outcomes.record(delivery.id, reopened.verdict, claimed.attempts);
      if ('outcome' in reopened)
        return this.outcomes.record(
          delivery.id,
          this.judge(reopened.outcome, claimed.attempts, 'create'),
          claimed.attempts,
        );
      if (!(await this.pace.take())) return this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
      outcome = await this.send(reopened.ref, activity);
      if (!outcome) return this.outcomes.record(delivery.id, STOPPED, claimed.attempts);
    }
    await this.outcomes.record(delivery.id, this.judge(outcome, claimed.attempts, 'send'), claimed.attempts);
  }

  /** Installs the app if configured, then creates the person's chat: its reference, what went wrong, or stopped. */
  private async open(
    place: Place,
    aadObjectId: string,
  ): Promise<{ ref: unknown } | { outcome: RequestOutcome } | { verdict: Verdict } | { stopped: true }> {
    const { tenantId } = place;
    if (!tenantId) return { verdict: { kind: 'failed', reason: NO_TENANT, problem: 'no-tenant' } };
    const installFailed = await this.deps.sender.install(aadObjectId);
    if (installFailed) return { outcome: installFailed };
    if (!(await this.pace.take())) return { stopped: true };
    const created = await this.requests.run(
      () => this.deps.sender.createConversation({ ...place, tenantId }, aadObjectId),
      (c) => ('outcome' in c ? c.outcome : CREATED),
    );
    return created ?? { stopped: true };
  }

  /** Sends on a turn taken from the pace; undefined when sending stopped first. */
  private send(ref: unknown, activity: OutboundMessage): Promise<RequestOutcome | undefined> {
    return this.requests.run(
      () => this.deps.sender.send(ref, activity),
      (outcome) => outcome,
    );
  }

  private judge(outcome: RequestOutcome, attempt: number, request: RequestKind): Verdict {
    return classify(outcome, attempt, request, this.deps.clock.now(), this.random, this.retry);
  }

  private freeSlot(): Promise<void> {
    if (this.inFlight.size < this.concurrency || this.stopping) return Promise.resolve();
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private becameIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (!this.idleLogged) {
      this.idleLogged = true;
      this.deps.log.info('delivery.idle', { ...this.progress });
    }
  }
}

/** Whether two chat references name the same chat: the day of the person's last turn they may carry aside. */
function sameChat(a: unknown, b: unknown): boolean {
  const where = (ref: unknown) => JSON.stringify({ ...(ref as object), lastTurn: undefined });
  return where(a) === where(b);
}
