const WINDOW_MS = 1000;

/**
 * Paces every request to Teams, in the order asked: evenly spaced at `rate` per second, and
 * never more than `rate` in any one second. After a stall (a busy event loop) it catches up by
 * at most `burst` requests at once. `pause` holds every request until the pause has passed, the
 * way a 429's Retry-After asks.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly waiters: ((go: boolean) => void)[] = [];
  /** When the last `perWindow` requests went, oldest at `oldest`. */
  private readonly recent: number[] = [];
  private readonly perWindow: number;
  private oldest = 0;
  private nextAt = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    rate: number,
    private readonly burst = 2,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(rate >= 1)) throw new RangeError(`rate must be at least 1 per second (got ${rate})`);
    this.intervalMs = WINDOW_MS / rate;
    this.perWindow = Math.floor(rate);
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
      const windowFull = this.recent.length === this.perWindow ? (this.recent[this.oldest] as number) + WINDOW_MS : 0;
      const at = Math.max(this.nextAt, this.pausedUntil, windowFull);
      if (at > now) {
        this.timer = setTimeout(() => this.pump(), Math.ceil(at - now));
        return;
      }
      this.nextAt = Math.max(at, now - this.burst * this.intervalMs) + this.intervalMs;
      if (this.recent.length < this.perWindow) this.recent.push(now);
      else {
        this.recent[this.oldest] = now;
        this.oldest = (this.oldest + 1) % this.perWindow;
      }
      this.waiters.shift()?.(true);
    }
  }
}
