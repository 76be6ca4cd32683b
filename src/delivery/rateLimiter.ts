/**
 * Paces every request to Teams: at most `rate` per second, evenly spaced, in the order asked.
 * After a stall (a busy event loop) it catches up by at most `burst` requests at once, so no
 * one-second window holds more than `rate + burst + 1`. `pause` holds every request until the
 * pause has passed, the way a 429's Retry-After asks.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly waiters: ((go: boolean) => void)[] = [];
  private nextAt = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    rate: number,
    private readonly burst = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(rate > 0)) throw new RangeError(`rate must be above 0 (got ${rate})`);
    this.intervalMs = 1000 / rate;
  }

  /** Resolves true when one request may go, or false once the limiter is closed. */
  take(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  /** Holds every request, waiting or still to come, for `ms` from now; a longer pause already set stays. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.pump();
  }

  /** True while a pause holds requests. */
  get paused(): boolean {
    return this.pausedUntil > this.now();
  }

  /** Answers every waiting and later `take` with false. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter(false);
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiters.length > 0) {
      const now = this.now();
      const at = Math.max(this.nextAt, this.pausedUntil);
      if (at > now) {
        this.timer = setTimeout(() => this.pump(), Math.ceil(at - now));
        return;
      }
      this.nextAt = Math.max(at, now - this.burst * this.intervalMs) + this.intervalMs;
      this.waiters.shift()?.(true);
    }
  }
}
