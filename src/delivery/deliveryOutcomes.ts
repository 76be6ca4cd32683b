import { afterVerdict, fencedOff, isFinal, type Delivery } from '../domain/campaigns/delivery.js';
import { backoffMs, type RetryPolicy, type Verdict } from '../domain/campaigns/deliveryPolicy.js';
import type { AssignmentStore, DeliveryStore } from '../domain/campaigns/ports.js';
import { inParallel } from '../domain/paging/inParallel.js';
import type { Clock } from '../domain/time/clock.js';
import type { Log } from '../log.js';
import { ADOPT_AT_ONCE } from './adoption.js';
import type { AdaptivePace } from './pacing.js';
import type { DeliveryProgress } from './ports.js';

/** Why a refresher whose feed notice was in flight goes on by chat. */
const NOTICE_IN_FLIGHT =
  'its activity feed notice was in flight when sending stopped (not sent again): the card by chat';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the delivery worker records of each attempt: the delivery's new state, the person's reach, its counts. */
export class DeliveryOutcomes {
  readonly counts: Mutable<Omit<DeliveryProgress, 'rate' | 'requests'>> = {
    sent: 0,
    unreachable: 0,
    failed: 0,
    unconfirmed: 0,
    retries: 0,
    throttled: 0,
  };

  constructor(
    private readonly deps: {
      readonly deliveries: DeliveryStore;
      readonly assignments: AssignmentStore;
      readonly clock: Clock;
      readonly log: Log;
      /** This leader's generation: what a newer leader has taken on is left alone. */
      readonly generation?: number;
    },
    private readonly pace: AdaptivePace,
    private readonly retry: RetryPolicy,
    private readonly random: () => number,
  ) {}

  /** Writes the verdict as the delivery's new state; final states also set the person's reachability. */
  async record(id: string, verdict: Verdict, attempts: number): Promise<void> {
    const now = this.deps.clock.now();
    if (verdict.kind === 'throttled') {
      this.pace.pause(verdict.pauseMs);
      this.counts.throttled += 1;
      this.deps.log.info('delivery.throttled', {
        pauseMs: verdict.pauseMs,
        rate: Math.round(this.pace.rate * 10) / 10,
        limit: this.pace.limit ?? 'unknown',
      });
    }
    if (verdict.kind === 'retry') this.counts.retries += 1;
    const written = await this.deps.deliveries.update(id, (current) =>
      fencedOff(current, this.generation) ? undefined : afterVerdict(current, verdict, attempts, now),
    );
    if (!written || !isFinal(written.state)) return;
    const { state } = written;
    if (state === 'sent' || state === 'unreachable' || state === 'failed') this.counts[state] += 1;
    if (state === 'unconfirmed') this.counts.unconfirmed += 1;
    else
      await this.setReach(
        written.memberKey,
        state === 'sent',
        'reason' in verdict ? verdict.reason : undefined,
        now.toISOString(),
      );
  }

  private get generation(): number {
    return this.deps.generation ?? 0;
  }

  /** Marks the deliveries found in flight (`sending`) unconfirmed, ADOPT_AT_ONCE at a time; returns how many. */
  async unconfirmInFlight(open: readonly Delivery[]): Promise<number> {
    const interrupted = open.filter((d) => d.state === 'sending');
    await inParallel(interrupted, ADOPT_AT_ONCE, (delivery) => this.unconfirm(delivery));
    return interrupted.length;
  }

  /** Takes the deliveries on as this leader's, all at once: an older leader may no longer touch them. */
  async adopt(deliveries: readonly Delivery[]): Promise<void> {
    const { generation } = this;
    const older = deliveries.filter((d) => d.state !== 'sending' && (d.generation ?? 0) < generation);
    await Promise.all(
      older.map((d) =>
        this.deps.deliveries.update(d.id, (current) =>
          isFinal(current.state) || current.state === 'sending' || (current.generation ?? 0) >= generation
            ? undefined
            : { ...current, generation },
        ),
      ),
    );
  }

  /** Marks the delivery `sending` as this leader's attempt, unless it is not due or a newer leader has it. */
  claim(id: string, at: string): Promise<Delivery | undefined> {
    const { generation } = this;
    return this.deps.deliveries.update(id, (current) =>
      (current.state === 'pending' || current.state === 'retrying') && !fencedOff(current, generation)
        ? { ...current, state: 'sending', attempts: current.attempts + 1, updatedAt: at, generation }
        : undefined,
    );
  }

  private async setReach(memberKey: string, ok: boolean, reason: string | undefined, at: string): Promise<void> {
    await this.deps.assignments.update(memberKey, (current) => ({
      ...(current ?? { key: memberKey }),
      reach: { ok, ...(reason ? { reason } : {}), at },
    }));
  }

  /**
   * A delivery found in flight: never sent again, so nobody gets it twice. A refresher's activity feed notice in
   * flight is not sent again either, but the card it points to has not gone yet: that goes on by chat.
   */
  async unconfirm(delivery: Delivery): Promise<void> {
    if (delivery.kind === 'refresher' && delivery.channel === 'feed') {
      const at = this.deps.clock.now().toISOString();
      const { generation } = this;
      await this.deps.deliveries.update(delivery.id, (current) =>
        current.state === 'sending' && !fencedOff(current, generation)
          ? {
              ...current,
              state: 'retrying',
              channel: 'chat',
              reason: NOTICE_IN_FLIGHT,
              nextAttemptAt: at,
              updatedAt: at,
            }
          : undefined,
      );
      return;
    }
    await this.record(
      delivery.id,
      { kind: 'unconfirmed', reason: 'in flight when sending stopped; not sent again so nobody gets it twice' },
      delivery.attempts,
    );
  }

  /** An unexpected error (a store, the message composer): retried later unless the message may be out. */
  async broke(delivery: Delivery, error: unknown): Promise<void> {
    this.deps.log.error('delivery.failed-unexpectedly', error);
    try {
      const current = await this.deps.deliveries.get(delivery.id);
      // A delivery left `sending` is marked unconfirmed by the next round.
      if (!current || current.state === 'sending' || isFinal(current.state)) return;
      const attempt = current.attempts + 1;
      const reason = 'an internal error stopped the delivery';
      const verdict: Verdict =
        attempt >= this.retry.maxAttempts
          ? { kind: 'failed', reason: `gave up after ${attempt} attempts: ${reason}`, problem: 'gave-up' }
          : { kind: 'retry', delayMs: backoffMs(attempt, this.retry, this.random), reason };
      await this.record(delivery.id, verdict, attempt);
    } catch (again) {
      this.deps.log.error('delivery.record-failed', again);
    }
  }
}
