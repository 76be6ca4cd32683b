import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

/** One activity to POST to /api/messages, and what a right reply looks like. */
export interface BotRequest {
  readonly body: string;
  /** Counts right replies per kind in LoadResult.replies. */
  readonly kind: string;
  /** Text a right reply's body contains; any 2xx reply is right when absent. */
  readonly replyContains?: string;
  /** Told each answer to this request: its status and body (not timeouts or connection errors). */
  readonly onReply?: (status: number, body: string) => void;
}

/** Hands out the next request to send. */
export interface Traffic {
  next(): BotRequest;
}

/** What one measurement saw; latencies are in milliseconds. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly completed: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** 2xx replies without the text the request should have got back. */
  readonly wrongReplies: number;
  /** Right replies by request kind. */
  readonly replies: Readonly<Record<string, number>>;
  readonly latency: { readonly p50: number; readonly p99: number; readonly p999: number };
}

interface Tally {
  readonly latencies: number[];
  readonly replies: Record<string, number>;
  wrongReplies: number;
  non2xx: number;
  errors: number;
}

/** Closed-loop load: `connections` clients each send the next request as soon as the last is answered. */
export async function saturate(
  url: string,
  traffic: Traffic,
  options: { connections: number; warmupSeconds: number; seconds: number },
): Promise<LoadResult> {
  const warmup = newTally();
  await run(url, traffic, { connections: options.connections, duration: options.warmupSeconds }, warmup);
  // The warm-up's failures and replies count, its latencies do not.
  const tally: Tally = { ...warmup, latencies: [] };
  const result = await run(url, traffic, { connections: options.connections, duration: options.seconds }, tally);
  return summary(tally, result.requests.average);
}

/**
 * Open-loop load at a steady `rate` requests/s. A single autocannon instance with overallRate
 * sends each connection's share back to back at the start of every second; to spread requests
 * evenly, this runs `rate` one-connection instances at overallRate 1, started 1/rate s apart.
 * With several URLs, the instances take them in turn.
 */
export async function paced(
  url: string | readonly string[],
  traffic: Traffic,
  options: { rate: number; seconds: number },
): Promise<LoadResult> {
  const tally = newTally();
  const running: Promise<autocannon.Result>[] = [];
  const urls = typeof url === 'string' ? [url] : url;
  for (let i = 0; i < options.rate; i++) {
    running.push(
      run(
        urls[i % urls.length] as string,
        traffic,
        { connections: 1, overallRate: 1, duration: options.seconds },
        tally,
      ),
    );
    await sleep(1000 / options.rate);
  }
  const results = await Promise.all(running);
  return summary(
    tally,
    results.reduce((sum, r) => sum + r.requests.total / r.duration, 0),
  );
}

/**
 * autocannon's own fixed rate: `rate` requests/s over `connections`, each connection's share sent back to back every
 * second.
 */
export async function bursts(
  url: string,
  traffic: Traffic,
  options: { rate: number; connections: number; seconds: number },
): Promise<LoadResult> {
  const tally = newTally();
  const result = await run(
    url,
    traffic,
    { connections: options.connections, overallRate: options.rate, duration: options.seconds },
    tally,
  );
  return summary(tally, result.requests.total / result.duration);
}

async function run(
  url: string,
  traffic: Traffic,
  options: Pick<autocannon.Options, 'connections' | 'duration' | 'overallRate'>,
  tally: Tally,
): Promise<autocannon.Result> {
  const instance = autocannon({
    ...options,
    url: new URL('/api/messages', url).toString(),
    // With a rate, autocannon "corrects" latencies for 1/rate ms between requests (not 1000/rate);
    // the latencies taken below are the measured ones.
    ...(options.overallRate ? { ignoreCoordinatedOmission: true } : {}),
    requests: [
      {
        method: 'POST',
        path: '/api/messages',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request, context) => {
          const next = traffic.next();
          context.sent = next;
          return { ...request, body: next.body };
        },
        onResponse: (status, body, context) => {
          const sent = context.sent as BotRequest;
          sent.onReply?.(status, body);
          if (status < 200 || status >= 300) return;
          if (sent.replyContains !== undefined && !body.includes(sent.replyContains)) tally.wrongReplies += 1;
          else tally.replies[sent.kind] = (tally.replies[sent.kind] ?? 0) + 1;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => tally.latencies.push(ms));
  const result = await instance;
  tally.non2xx += result.non2xx;
  tally.errors += result.errors;
  return result;
}

function newTally(): Tally {
  return { latencies: [], replies: {}, wrongReplies: 0, non2xx: 0, errors: 0 };
}

function summary(tally: Tally, requestsPerSecond: number): LoadResult {
  const sorted = Float64Array.from(tally.latencies).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return {
    requestsPerSecond,
    completed: sorted.length,
    non2xx: tally.non2xx,
    errors: tally.errors,
    wrongReplies: tally.wrongReplies,
    replies: tally.replies,
    latency: { p50: at(0.5), p99: at(0.99), p999: at(0.999) },
  };
}
