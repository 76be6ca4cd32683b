/** How long a rate is kept, sending flat out, before it rises. */
export const STEP_MS = 1000;
/** The rise per step while no limit is known: 10 %. */
export const RISE = 1.1;
/**
 * Flat-out sending under a measured limit before one request/s more is tried; doubled after each try that Teams
 * refuses.
 */
export const CALM_MS = 60_000;
export const MAX_CALM_MS = 16 * 60_000;

/** Requests/s Microsoft documents Teams takes from an app in a tenant. */
export const DOCUMENTED_LIMIT = 50;

export interface AdaptiveRateOptions {
  /** Requests/s at first (POSTWISE_SEND_RATE). */
  readonly start: number;
  /** Never more than this (POSTWISE_SEND_RATE_MAX). */
  readonly ceiling: number;
  /**
   * A limit to hold at, as if measured, until Teams shows another (DOCUMENTED_LIMIT), when the start is
   * at or under it: the pace rises to it and does not look for the limit above it with a 429 first.
   */
  readonly assumed?: number;
  /** Milliseconds, the clock `throttled`'s `sentAt` comes from. */
  readonly now: () => number;
}

/**
 * The pace of requests to Teams, learnt from its answers. Until Teams first refuses a request
 * (429) the rate rises 10 % a second while sending flat out, up to the ceiling, or up to an
 * assumed limit and holds there as at a measured one. A 429 tells how
 * many requests Teams took in the second before it: the limit. The pace holds at it (the
 * limiter keeps every second at Teams within it, however late requests reach Teams), so the
 * only margin is what 429s teach: one while holding means the limit is lower than measured (or
 * fell), and it is measured again and lowered by at least one. After a calm minute it tries one
 * request/s above the limit; if that goes through for two seconds the limit has risen and the
 * search starts again, and if Teams refuses it the next try waits twice as long.
 */
export class AdaptiveRate {
  private current: number;
  /** Requests Teams took in one second when it last refused one, or the assumed limit. */
  private limit: number | undefined;
  /** The limit held is the assumed one: nothing measured yet. */
  private assumed = false;
  private probing = false;
  private calmMs = CALM_MS;
  private changedAt: number;
  private cutAt = Number.NEGATIVE_INFINITY;
  /** The most requests Teams took in one second since the last cut. */
  private peak = 0;

  constructor(private readonly options: AdaptiveRateOptions) {
    if (!(options.start >= 1 && options.ceiling >= options.start))
      throw new RangeError(`need 1 <= start <= ceiling (got ${options.start}, ${options.ceiling})`);
    this.current = options.start;
    this.changedAt = options.now();
    if (options.assumed !== undefined && options.start <= options.assumed) {
      this.limit = Math.min(options.assumed, options.ceiling);
      this.assumed = true;
    }
  }

  /** Requests per second. */
  get rate(): number {
    return this.current;
  }

  /** The most requests to let go in any one second: the measured limit while under it. */
  get perWindow(): number {
    return this.holding ? (this.limit as number) : Math.ceil(this.current);
  }

  /** A limit is held (measured or assumed, not probed above): the limiter keeps every second within it. */
  get holding(): boolean {
    return this.limit !== undefined && !this.probing;
  }

  /** Requests Teams took in one second when it last refused one; undefined before that. */
  get measuredLimit(): number | undefined {
    return this.assumed ? undefined : this.limit;
  }

  /** Holds at a limit learnt before (by a process that stopped), as if Teams had just refused a request above it. */
  resume(limit: number): void {
    const now = this.options.now();
    this.limit = Math.max(1, Math.floor(limit));
    this.assumed = false;
    this.probing = false;
    this.peak = 0;
    this.set(Math.max(1, Math.min(this.options.ceiling, this.limit)), now);
  }

  /**
   * Teams answered a request (not with 429) sent at `sentAt`, when `inWindow` requests (that one
   * included) had gone out in the second up to it. `busy`: requests were waiting for their
   * turn, so the pace held sending back; only then does time count towards a rise.
   */
  answered(busy: boolean, sentAt = Number.POSITIVE_INFINITY, inWindow = 0): void {
    const now = this.options.now();
    if (sentAt >= this.cutAt) this.peak = Math.max(this.peak, inWindow);
    if (!busy) {
      this.changedAt = now;
      return;
    }
    const held = now - this.changedAt;
    const { ceiling } = this.options;
    if (this.limit === undefined) {
      if (held >= STEP_MS && this.current < ceiling) this.set(Math.min(ceiling, this.current * RISE), now);
    } else if (this.probing) {
      if (held >= 2 * STEP_MS) {
        // A request/s above the old limit went through: it has risen; search again.
        this.limit = undefined;
        this.assumed = false;
        this.probing = false;
        this.calmMs = CALM_MS;
        this.set(Math.min(ceiling, this.current * RISE), now);
      }
    } else if (this.current < Math.min(this.limit, ceiling)) {
      // Under the assumed limit (a start below it): rising to it.
      if (held >= STEP_MS) this.set(Math.min(this.limit, ceiling, this.current * RISE), now);
    } else if (held >= this.calmMs && this.limit + 1 <= ceiling) {
      this.probing = true;
      this.set(this.limit + 1, now);
    }
  }

  /**
   * Teams answered 429 to a request sent at `sentAt`, when `inWindow` requests (that one
   * included) had gone out in the second up to it. Refusals of requests sent before the last
   * cut belong to the same overload and change nothing.
   */
  throttled(sentAt: number, inWindow: number): void {
    if (sentAt < this.cutAt) return;
    const now = this.options.now();
    // The requests before the refused one in its second; a second Teams took in full before it
    // counts too, as the way to Teams makes either count a request or two short.
    let measured = Math.max(1, inWindow - 1, this.peak);
    if (this.probing) this.calmMs = Math.min(MAX_CALM_MS, this.calmMs * 2);
    else if (this.limit !== undefined) measured = Math.max(1, Math.min(inWindow - 1, this.limit - 1));
    this.peak = 0;
    this.limit = measured;
    this.assumed = false;
    this.probing = false;
    this.cutAt = now;
    this.set(Math.max(1, Math.min(this.options.ceiling, measured)), now);
  }

  private set(rate: number, now: number): void {
    this.current = rate;
    this.changedAt = now;
  }
}
