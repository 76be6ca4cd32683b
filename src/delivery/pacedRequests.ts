import type { RequestOutcome } from '../domain/campaigns/deliveryPolicy.js';
import type { Clock } from '../domain/time/clock.js';
import type { Log } from '../log.js';
import type { AdaptivePace } from './pacing.js';
import type { PaceStore } from '../domain/campaigns/ports.js';

/**
 * A limit learnt this recently is where a restarted worker starts; an older one is learnt again (Microsoft may change
 * it).
 */
export const LEARNT_LIMIT_KEPT_MS = 24 * 60 * 60_000;

/**
 * Requests to Teams on turns taken from the pace: each tells the pace what Teams answered, and
 * a limit newly learnt is kept in the store, so that a restarted worker starts at it.
 */
export class PacedRequests {
  /** The learnt limit last written to the store. */
  private savedLimit: number | undefined;

  constructor(
    private readonly pace: AdaptivePace,
    private readonly store: PaceStore,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  /** Starts the pace at the limit learnt in the last day, if any; returns it. */
  async resume(): Promise<number | undefined> {
    const learnt = await this.store.learntLimit();
    if (learnt && this.clock.now().getTime() - Date.parse(learnt.at) < LEARNT_LIMIT_KEPT_MS) {
      this.pace.resume(learnt.limit);
      this.savedLimit = this.pace.limit;
    }
    return this.savedLimit;
  }

  /**
   * Makes one request on the turn taken (`pace.take`), once any pause begun since has passed;
   * `outcomeOf` says what Teams answered. Undefined when sending stopped before it went.
   */
  async run<T>(request: () => Promise<T>, outcomeOf: (result: T) => RequestOutcome): Promise<T | undefined> {
    const sentAt = await this.pace.go();
    if (sentAt === undefined) return undefined;
    let result: { value: T } | undefined;
    try {
      result = { value: await request() };
    } finally {
      // A request that threw still frees its place in the pace.
      this.pace.answered(sentAt, result && outcomeOf(result.value));
      this.keepLimit();
    }
    return result.value;
  }

  /** Writes a newly learnt limit in the background: sending does not wait for it. */
  private keepLimit(): void {
    const { limit } = this.pace;
    if (limit === undefined || limit === this.savedLimit) return;
    this.savedLimit = limit;
    this.store
      .setLearntLimit({ limit, at: this.clock.now().toISOString() })
      .catch((error: unknown) => this.log.error('delivery.limit-not-saved', error));
  }
}
