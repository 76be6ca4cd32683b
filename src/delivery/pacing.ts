import type { RequestOutcome } from '../domain/campaigns/deliveryPolicy.js';
import { AdaptiveRate } from './adaptiveRate.js';

const WINDOW_MS = 1000;
/** How quickly the time a turn is held before it goes follows a change: the weight of the latest. */
const HELD_WEIGHT = 0.1;
/** Turns go out early by twice the usual hold: holds vary (a write waits for others to share its transaction). */
const HELD_MARGIN = 2;
/** Requests let out at once to catch up after a stall while the limit is looked for. */
const SEARCH_BURST = 2;
/**
 * The same while a limit is held: the second at Teams is kept within it whatever the spacing, so a stall
 * of up to 200 ms (at 50/s: the event loop, a slow store write) is made up.
 */
const HOLDING_BURST = 10;

/** A request about to go, held by a pause or by a second at Teams that is full. */
interface Held {
  readonly go: (at: number | undefined) => void;
  /** Held by a pause: it goes at the pace once the pause is over, not all at once. */
  paused: boolean;
}

/**
 * Paces every request to Teams, in the order asked: evenly spaced at `rate` per second, and
 * never more than `perWindow` in any one second as Teams counts them, whenever they reach it.
 * Teams sees a request somewhere between the moment it goes (`go`) and the moment its answer
 * comes back (`done`), so a request counts from the first until one second after the second:
 * however late a slow event loop lets requests out, no second at Teams can hold more. That is
 * checked when a request goes; a turn is let out (`take`) early enough to cover the time turns are
 * held before they go (a store write, say), so that the hold does not slow the pace, and no
 * earlier. After a stall it catches up by at most `burst` requests at once. `pause` holds
 * every request until the pause has passed, the way a 429's Retry-After asks. The rate can
 * change while requests wait.
 */
export class RateLimiter {
  private intervalMs = 0;
  private perWindow = 0;
  private readonly waiters: ((go: boolean) => void)[] = [];
  /** Requests about to go, held: they go before any new turn is let out. */
  private readonly held: Held[] = [];
  /** When requests went out, oldest first (the last few seconds only). */
  private readonly sentAt: number[] = [];
  /** When answers came back, oldest first (the last second only). */
  private readonly doneAt: number[] = [];
  /** Requests gone and not answered yet. */
  private unanswered = 0;
  /** When the turns let go by `take`, and neither going nor released yet, were let go: oldest first. */
  private readonly takenAt: number[] = [];
  /** How long turns are held between `take` and `go`, on a moving average. */
  private heldMs = 0;
  private nextAt = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    rate: number,
    private burst = SEARCH_BURST,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.setRate(rate);
  }

  /**
   * Paces at `rate` per second from now on, at most `perWindow` (default: the rate rounded up) in any second,
   * catching up by at most `burst` requests after a stall.
   */
  setRate(rate: number, perWindow = Math.ceil(rate), burst = this.burst): void {
    if (!(rate >= 1)) throw new RangeError(`rate must be at least 1 per second (got ${rate})`);
    this.burst = burst;
    const intervalMs = WINDOW_MS / rate;
    // A slower pace takes effect at once for the next request, not one old interval later.
    if (this.nextAt > 0) this.nextAt += intervalMs - this.intervalMs;
    this.intervalMs = intervalMs;
    this.perWindow = Math.max(1, Math.floor(perWindow));
    this.pump();
  }

  /** True while requests wait for their turn: the pace, not the work, is what holds sending back. */
  get busy(): boolean {
    return this.waiters.length + this.held.length > 0;
  }

  /** Resolves true when one request may go (then call `go` or `release`), or false once the limiter is closed. */
  take(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  /**
   * The request let go by `take` is about to go out: resolves with the time it went, or undefined
   * once the limiter is closed. It waits while the second at Teams is full, and a pause that
   * began after the turn was taken (a 429 meanwhile) holds it until the pause is over; held
   * requests go first, at the pace.
   */
  go(): Promise<number | undefined> {
    if (this.closed) {
      this.release();
      return Promise.resolve(undefined);
    }
    const now = this.now();
    const takenAt = this.takenAt.shift();
    if (takenAt !== undefined) this.heldMs += HELD_WEIGHT * (now - takenAt - this.heldMs);
    if (this.held.length === 0 && now >= this.pausedUntil && this.goesAt(now) <= now) {
      const at = this.sent(now);
      this.pump();
      return Promise.resolve(at);
    }
    return new Promise((resolve) => {
      this.held.push({ go: resolve, paused: now < this.pausedUntil });
      this.pump();
    });
  }

  private sent(at: number): number {
    this.unanswered += 1;
    this.sentAt.push(at);
    while ((this.sentAt[0] as number) < at - 3 * WINDOW_MS) this.sentAt.shift();
    return at;
  }

  /** The answer to a request that went (`go`) came back, or it failed on the way. */
  done(): void {
    this.unanswered = Math.max(0, this.unanswered - 1);
    this.doneAt.push(this.now());
    this.pump();
  }

  /** The request let go by `take` will not go out after all. */
  release(): void {
    this.takenAt.shift();
    this.pump();
  }

  /** Requests that went out in the second up to and including `at`. */
  sentWithin(at: number, windowMs = WINDOW_MS): number {
    return this.sentAt.filter((t) => t > at - windowMs && t <= at).length;
  }

  /** Holds every request, waiting or still to come, for `ms` from now; a longer pause already set stays. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    for (const request of this.held) request.paused = true;
    this.pump();
  }

  /** Answers every waiting and later `take` with false, and every held `go` with undefined. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter(false);
    for (const request of this.held.splice(0)) request.go(undefined);
  }

  private pump(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.held.length > 0) {
      const now = this.now();
      const request = this.held[0] as Held;
      const at = Math.max(this.pausedUntil, this.goesAt(now), request.paused ? this.nextAt : 0);
      if (at > now) return this.wake(at, now);
      if (request.paused) this.spend(at, now);
      this.held.shift();
      request.go(this.sent(now));
    }
    while (this.waiters.length > 0) {
      const now = this.now();
      const at = Math.max(this.nextAt, this.pausedUntil, this.takesAt(now));
      if (at > now) return this.wake(at, now);
      this.spend(at, now);
      this.takenAt.push(now);
      this.waiters.shift()?.(true);
    }
  }

  /** Pumps again at `at`; when that is infinitely far, the answer that frees a place does (`done`, `release`). */
  private wake(at: number, now: number): void {
    if (at !== Number.POSITIVE_INFINITY) this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(at - now)));
  }

  /** One request's place in the even spacing, used at `at`. */
  private spend(at: number, now: number): void {
    this.nextAt = Math.max(at, now - this.burst * this.intervalMs) + this.intervalMs;
  }

  /** When one more request may go: the second Teams counts has room beside those gone. */
  private goesAt(now: number): number {
    return this.freeAt(now, this.unanswered, this.perWindow);
  }

  /**
   * When one more turn may be let out: the second has room beside those gone, held, and in hand (taken, not going
   * yet), less those the pace lets out while a turn is usually in hand.
   */
  private takesAt(now: number): number {
    const ahead = Math.min(this.perWindow, Math.ceil((HELD_MARGIN * this.heldMs) / this.intervalMs));
    return this.freeAt(now, this.unanswered + this.held.length + this.takenAt.length, this.perWindow + ahead);
  }

  /** When `counted` requests and those answered in the last second leave room for one more under `room`. */
  private freeAt(now: number, counted: number, room: number): number {
    while (this.doneAt.length > 0 && (this.doneAt[0] as number) <= now - WINDOW_MS) this.doneAt.shift();
    const over = counted + this.doneAt.length - room;
    if (over < 0) return 0;
    if (over >= this.doneAt.length) return Number.POSITIVE_INFINITY;
    return (this.doneAt[over] as number) + WINDOW_MS;
  }
}

/**
 * A rate limiter at the pace an AdaptiveRate learns from Teams' answers: take a turn, say when
 * the request goes out (`go`), then hand back what Teams answered (`answered`).
 */
export class AdaptivePace {
  private readonly limiter: RateLimiter;
  private readonly learnt: AdaptiveRate;
  private sentCount = 0;

  /** `assumed`: a limit to hold at until Teams shows another (see AdaptiveRateOptions). */
  constructor(start: number, ceiling: number, now: () => number = () => performance.now(), assumed?: number) {
    this.learnt = new AdaptiveRate({ start, ceiling, now, assumed });
    this.limiter = new RateLimiter(start, SEARCH_BURST, now);
  }

  /** Requests per second now. */
  get rate(): number {
    return this.learnt.rate;
  }

  /** Requests Teams took in one second when it last refused one; undefined before that. */
  get limit(): number | undefined {
    return this.learnt.measuredLimit;
  }

  /** Requests that went out (`go`). */
  get requests(): number {
    return this.sentCount;
  }

  /** Holds at a limit learnt before (see AdaptiveRate.resume). */
  resume(limit: number): void {
    this.learnt.resume(limit);
    this.limiter.setRate(this.learnt.rate, this.learnt.perWindow);
  }

  take(): Promise<boolean> {
    return this.limiter.take();
  }

  /** The turn taken is used now, or after a pause begun since (see RateLimiter.go); undefined once closed. */
  async go(): Promise<number | undefined> {
    const at = await this.limiter.go();
    if (at !== undefined) this.sentCount += 1;
    return at;
  }

  release(): void {
    this.limiter.release();
  }

  pause(ms: number): void {
    this.limiter.pause(ms);
  }

  close(): void {
    this.limiter.close();
  }

  /**
   * What Teams answered the request that went out at `sentAt`; a failed connection (or none: it threw) teaches nothing.
   */
  answered(sentAt: number, outcome: RequestOutcome | undefined): void {
    this.limiter.done();
    if (outcome?.kind !== 'response') return;
    if (outcome.status === 429) this.learnt.throttled(sentAt, this.limiter.sentWithin(sentAt));
    else this.learnt.answered(this.limiter.busy, sentAt, this.limiter.sentWithin(sentAt));
    const { rate, perWindow, holding } = this.learnt;
    // Once Teams has answered at a held limit, a longer stall is made up.
    this.limiter.setRate(rate, perWindow, holding ? HOLDING_BURST : SEARCH_BURST);
  }
}
