import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { AdaptiveRate, CALM_MS } from '../../src/delivery/adaptiveRate.js';
import { AdaptivePace, RateLimiter } from '../../src/delivery/pacing.js';

/** A clock the test moves by hand. */
function handClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Answers while sending flat out, every `everyMs`, for `ms`. */
function answerFor(rate: AdaptiveRate, clock: ReturnType<typeof handClock>, ms: number, everyMs = 20): void {
  for (let t = 0; t < ms; t += everyMs) {
    clock.advance(everyMs);
    rate.answered(true);
  }
}

describe('the learnt rate', () => {
  it('starts at the start rate and rises 10 % a second while sending flat out, never past the ceiling', () => {
    const clock = handClock();
    const rate = new AdaptiveRate({ start: 45, ceiling: 60, now: clock.now });
    expect(rate.rate).toBe(45);
    answerFor(rate, clock, 980);
    expect(rate.rate).toBe(45);
    answerFor(rate, clock, 20);
    expect(rate.rate).toBeCloseTo(49.5);
    answerFor(rate, clock, 1000);
    expect(rate.rate).toBeCloseTo(54.45);
    answerFor(rate, clock, 10_000);
    expect(rate.rate).toBe(60);
  });

  it('does not rise while the work, not the pace, holds sending back', () => {
    const clock = handClock();
    const rate = new AdaptiveRate({ start: 10, ceiling: 60, now: clock.now });
    for (let i = 0; i < 50; i++) {
      clock.advance(500);
      rate.answered(false);
    }
    expect(rate.rate).toBe(10);
  });

  it('drops to the limit a 429 shows, once for every request already on its way', () => {
    const clock = handClock();
    const rate = new AdaptiveRate({ start: 45, ceiling: 60, now: clock.now });
    answerFor(rate, clock, 500);
    const sentBeforeCut = clock.now() - 10;
    // 31 requests had gone out in the second up to the refused one: Teams took 30.
    rate.throttled(clock.now(), 31);
    expect(rate.measuredLimit).toBe(30);
    expect(rate.rate).toBeCloseTo(30);
    expect(rate.perWindow).toBe(30);
    // Two more refusals for requests sent before the cut: the same overload.
    clock.advance(5);
    rate.throttled(sentBeforeCut, 31);
    rate.throttled(sentBeforeCut - 3, 30);
    expect(rate.rate).toBeCloseTo(30);
    // A refusal at the held rate: the limit fell; lowered by at least one.
    clock.advance(2000);
    rate.throttled(clock.now(), 31);
    expect(rate.measuredLimit).toBe(29);
    rate.throttled(clock.now() + 1, 12);
    expect(rate.measuredLimit).toBe(11);
    expect(rate.rate).toBeCloseTo(11);
    // Never under one request a second.
    rate.throttled(clock.now() + 2, 1);
    expect(rate.rate).toBe(1);
  });

  it('takes the fullest second Teams accepted when the refusal counts fewer (requests slowed on their way)', () => {
    const clock = handClock();
    const rate = new AdaptiveRate({ start: 45, ceiling: 60, now: clock.now });
    clock.advance(20);
    rate.answered(true, clock.now(), 40);
    clock.advance(20);
    rate.throttled(clock.now(), 38);
    expect(rate.measuredLimit).toBe(40);
    // Answers to requests sent before the cut do not count for the next measurement.
    rate.answered(true, clock.now() - 5, 44);
    clock.advance(CALM_MS);
    rate.answered(true, clock.now(), 39);
    expect(rate.rate).toBe(41);
    rate.throttled(clock.now(), 41);
    expect(rate.measuredLimit).toBe(40);
  });

  it('after a calm minute tries one request/s above the limit; a refused try waits twice as long next time', () => {
    const clock = handClock();
    const rate = new AdaptiveRate({ start: 45, ceiling: 60, now: clock.now });
    rate.throttled(clock.now(), 51);
    answerFor(rate, clock, CALM_MS - 40);
    expect(rate.rate).toBeCloseTo(50);
    answerFor(rate, clock, 40);
    expect(rate.rate).toBe(51);
    expect(rate.perWindow).toBe(51);
    rate.throttled(clock.now(), 51);
    expect(rate.rate).toBeCloseTo(50);
    answerFor(rate, clock, CALM_MS * 2 - 40);
    expect(rate.rate).toBeCloseTo(50);
    answerFor(rate, clock, 40);
    expect(rate.rate).toBe(51);
    // Taken for two seconds: the limit rose; the search goes on from there.
    answerFor(rate, clock, 2000);
    expect(rate.measuredLimit).toBeUndefined();
    expect(rate.rate).toBeCloseTo(56.1);
  });

  it('rises to an assumed limit and holds there as at a measured one, until Teams shows another', () => {
    const clock = handClock();
    const rate = new AdaptiveRate({ start: 45, ceiling: 60, now: clock.now, assumed: 50 });
    expect(rate.perWindow).toBe(50);
    answerFor(rate, clock, 1000);
    expect(rate.rate).toBeCloseTo(49.5);
    answerFor(rate, clock, 1000);
    expect(rate.rate).toBe(50);
    answerFor(rate, clock, CALM_MS - 40);
    expect(rate.rate).toBe(50);
    expect(rate.measuredLimit).toBeUndefined();
    // A calm minute at it: one request/s more is tried, as above a measured limit.
    answerFor(rate, clock, 40);
    expect(rate.rate).toBe(51);
    rate.throttled(clock.now(), 51);
    expect(rate.measuredLimit).toBe(50);

    // A tenant that takes fewer: its first 429 shows how many.
    const lower = new AdaptiveRate({ start: 45, ceiling: 60, now: clock.now, assumed: 50 });
    answerFor(lower, clock, 300);
    lower.throttled(clock.now(), 31);
    expect(lower.measuredLimit).toBe(30);
    expect(lower.rate).toBe(30);
    // A start above the assumed limit looks for the limit from there.
    const above = new AdaptiveRate({ start: 80, ceiling: 100, now: clock.now, assumed: 50 });
    expect(above.perWindow).toBe(80);
    answerFor(above, clock, 1000);
    expect(above.rate).toBeCloseTo(88);
    // Never above the ceiling.
    const capped = new AdaptiveRate({ start: 30, ceiling: 40, now: clock.now, assumed: 50 });
    answerFor(capped, clock, 10_000);
    expect(capped.rate).toBe(40);
    expect(capped.perWindow).toBe(40);
  });

  it('never tries above the ceiling', () => {
    const clock = handClock();
    const rate = new AdaptiveRate({ start: 45, ceiling: 50, now: clock.now });
    rate.throttled(clock.now(), 51);
    answerFor(rate, clock, 10 * CALM_MS, 100);
    expect(rate.rate).toBeCloseTo(50);
    const low = new AdaptiveRate({ start: 20, ceiling: 25, now: clock.now });
    low.throttled(clock.now(), 40);
    expect(low.rate).toBe(25);
  });
});

describe('the rate limiter (fake clock)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** Takes `n` turns one after another, sending on each; resolves with the times they went. */
  async function sendMany(limiter: RateLimiter, n: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!(await limiter.take())) break;
      times.push((await limiter.go()) as number);
    }
    return times;
  }
  const within = (times: number[], from: number, ms: number) => times.filter((t) => t >= from && t < from + ms).length;

  it('spaces requests evenly at the rate, and a new rate applies from the next request', async () => {
    const limiter = new RateLimiter(50, 2, () => Date.now());
    const times: number[] = [];
    const done = (async () => {
      for (let i = 0; i < 13; i++) {
        await limiter.take();
        times.push((await limiter.go()) as number);
        if (i === 9) limiter.setRate(10, 50);
      }
    })();
    await vi.advanceTimersByTimeAsync(2000);
    await done;
    const start = times[0] as number;
    // The first three go at once (the burst of two), then one every 20 ms; at 10/s, one every 100 ms.
    expect(times.map((t) => t - start)).toEqual([0, 0, 0, 20, 40, 60, 80, 100, 120, 140, 240, 340, 440]);
  });

  it('never lets more than the window allows reach Teams in any second, counting each request until a second after its answer', async () => {
    const limiter = new RateLimiter(1000, 2, () => Date.now());
    limiter.setRate(1000, 5);
    const times: number[] = [];
    const takers = Array.from({ length: 12 }, () =>
      limiter.take().then(async (go) => {
        if (!go) return;
        times.push((await limiter.go()) as number);
        limiter.done();
      }),
    );
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all(takers);
    expect(times).toHaveLength(12);
    for (const t of times) expect(within(times, t, 1000)).toBeLessThanOrEqual(5);
    // Five turns taken but never used hold the sixth until one is released.
    const held = new RateLimiter(1000, 2, () => Date.now());
    held.setRate(1000, 5);
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1).then(() => held.take());
    let sixth = false;
    void held.take().then(() => (sixth = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(sixth).toBe(false);
    held.release();
    await vi.advanceTimersByTimeAsync(1);
    expect(sixth).toBe(true);
    // A request that went and whose answer is slow may reach Teams any time until the answer:
    // the next one fits only a second after that answer, not a second after it went.
    const slow = new RateLimiter(1000, 2, () => Date.now());
    slow.setRate(1000, 1);
    await slow.take();
    const wentAt = (await slow.go()) as number;
    let next: number | undefined;
    void slow.take().then(() => (next = Date.now()));
    await vi.advanceTimersByTimeAsync(300);
    slow.done();
    await vi.advanceTimersByTimeAsync(2000);
    expect(next).toBe(wentAt + 1300);
  });

  it('keeps the pace when each turn is held before its request goes (a store write first), and never more in any second', async () => {
    const limiter = new RateLimiter(50, 2, () => Date.now());
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const arrivals: number[] = [];
    const end = Date.now() + 20_000;
    let n = 0;
    const sender = async () => {
      while (Date.now() < end && (await limiter.take())) {
        // The delivery is marked as being sent before its message goes: 60 to 100 ms.
        await wait(60 + ((n++ * 13) % 41));
        const wentAt = await limiter.go();
        if (wentAt === undefined) return;
        // Teams sees it 0 to 4 ms after it went; the answer is back at 5 ms.
        arrivals.push(wentAt + (n % 5));
        await wait(5);
        limiter.done();
      }
    };
    const senders = Promise.all(Array.from({ length: 32 }, sender));
    await vi.advanceTimersByTimeAsync(20_000);
    limiter.close();
    await vi.advanceTimersByTimeAsync(200);
    await senders;
    arrivals.sort((a, b) => a - b);
    for (const t of arrivals) expect(within(arrivals, t, 1000)).toBeLessThanOrEqual(50);
    expect(arrivals.length / 20).toBeGreaterThanOrEqual(0.95 * 50);
  });

  it('holds every waiting and new request for the whole pause (Retry-After), and answers false once closed', async () => {
    const limiter = new RateLimiter(100, 2, () => Date.now());
    await sendMany(limiter, 1);
    const paused = Date.now();
    limiter.pause(2000);
    limiter.pause(500);
    const waited: number[] = [];
    const both = [limiter.take(), limiter.take()].map((p) => p.then(() => waited.push(Date.now() - paused)));
    await vi.advanceTimersByTimeAsync(1999);
    expect(waited).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(both);
    expect(waited[0]).toBe(2000);
    // A turn taken before a pause began does not go out during it: it goes first once the pause is over.
    const taken = await limiter.take();
    const later = limiter.take();
    const pausedAgain = Date.now();
    limiter.pause(1000);
    const wentAt = limiter.go();
    await vi.advanceTimersByTimeAsync(999);
    expect(await Promise.race([wentAt, Promise.resolve('held')])).toBe('held');
    await vi.advanceTimersByTimeAsync(1);
    expect(taken).toBe(true);
    expect(await wentAt).toBe(pausedAgain + 1000);
    expect(await later).toBe(true);
    await limiter.go();
    limiter.pause(10_000);
    const waiting = limiter.take();
    limiter.close();
    expect(await waiting).toBe(false);
    expect(await limiter.take()).toBe(false);
  });
});

describe('the adaptive pace against a throttling Teams (fake clock)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /**
   * Sends flat out for `seconds` to a Teams that takes `limit` requests in any sliding second
   * (refused ones count too) and answers 429 with Retry-After: 1 beyond it. Each request reaches
   * Teams 0 to 40 ms after it went (a busy event loop, the network), unevenly, and its answer
   * comes back 5 ms after that.
   */
  async function run(
    limit: number,
    seconds: number,
    assumed?: number,
    stallMs = 0,
  ): Promise<{ accepted: number[]; refused: number; rate: number }> {
    const pace = new AdaptivePace(45, 60, () => Date.now(), assumed);
    const arrivals: number[] = [];
    const accepted: number[] = [];
    let refused = 0;
    let n = 0;
    const end = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < end && (await pace.take())) {
        const sentAt = await pace.go();
        if (sentAt === undefined) break;
        await new Promise((resolve) => setTimeout(resolve, (n++ * 17) % 41));
        const at = Date.now();
        const over = arrivals.filter((t) => t > at - 1000).length >= limit;
        arrivals.push(at);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (over) {
          refused += 1;
          pace.answered(sentAt, { kind: 'response', status: 429, retryAfter: '1' });
          pace.pause(1000);
        } else {
          accepted.push(at);
          pace.answered(sentAt, { kind: 'response', status: 201 });
        }
      }
    };
    const workers = Promise.all(Array.from({ length: 8 }, worker));
    for (let second = 0; second < seconds; second += 1) {
      await vi.advanceTimersByTimeAsync(1000 - stallMs);
      // The event loop stalls: the clock moves on, nothing runs.
      if (stallMs > 0) vi.setSystemTime(Date.now() + stallMs);
    }
    await vi.advanceTimersByTimeAsync(100);
    pace.close();
    await vi.advanceTimersByTimeAsync(100);
    await workers;
    return { accepted, refused, rate: pace.rate };
  }

  it.each([50, 30])(
    'finds a limit of %i/s it is not told: at least 95 % of it, and 429s for under 1 % of requests',
    async (limit) => {
      const { accepted, refused, rate } = await run(limit, 60);
      expect(accepted.length / 60).toBeGreaterThanOrEqual(0.95 * limit);
      expect(refused / (accepted.length + refused)).toBeLessThanOrEqual(0.01);
      expect(rate).toBeLessThanOrEqual(limit);
    },
  );

  it('at the limit Microsoft documents, sends without a 429 (none to learn from): at least 97 % of it', async () => {
    const { accepted, refused } = await run(50, 30, 50);
    expect(refused).toBe(0);
    // Looking for it above (no assumed limit): 94 %, and 429s.
    expect(accepted.length / 30).toBeGreaterThanOrEqual(0.97 * 50);
  });

  it('makes up a stall of 150 ms every second at the limit it holds: at least 94 % of it, no 429', async () => {
    const { accepted, refused } = await run(50, 30, 50, 150);
    expect(refused).toBe(0);
    // Catching up by 2 requests, as while it looks for a limit: 89 %.
    expect(accepted.length / 30).toBeGreaterThanOrEqual(0.94 * 50);
  });
});

describe('the pacing settings', () => {
  it('start at 45 requests/s and may rise to 60, or to the start rate if that is higher', () => {
    expect(loadConfig({})).toMatchObject({ sendRate: 45, sendRateMax: 60 });
    expect(loadConfig({ POSTWISE_SEND_RATE: '80' })).toMatchObject({ sendRate: 80, sendRateMax: 80 });
    expect(loadConfig({ POSTWISE_SEND_RATE: '20', POSTWISE_SEND_RATE_MAX: '100' })).toMatchObject({
      sendRate: 20,
      sendRateMax: 100,
    });
  });

  it.each([
    [{ POSTWISE_SEND_RATE: '0' }, 'POSTWISE_SEND_RATE'],
    [{ POSTWISE_SEND_RATE: 'fast' }, 'POSTWISE_SEND_RATE'],
    [{ POSTWISE_SEND_RATE_MAX: '5000' }, 'POSTWISE_SEND_RATE_MAX'],
    [{ POSTWISE_SEND_RATE: '50', POSTWISE_SEND_RATE_MAX: '40' }, 'POSTWISE_SEND_RATE_MAX'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration error: ${variable} `));
  });
});
