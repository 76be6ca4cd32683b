/**
 * What came back from one request on the way to a person: an HTTP answer from Teams, a
 * connection that failed, or (with proactive install) an install through Graph that failed.
 */
export type RequestOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly code?: string; readonly retryAfter?: string }
  /** `reached`: false when the request surely never reached the service (refused connection, no token). */
  | { readonly kind: 'network'; readonly code: string; readonly reached: boolean }
  /** `status`: what Graph answered; 0 or absent when no answer came. */
  | { readonly kind: 'install-failed'; readonly status?: number };

/**
 * Why a person was not reached, as HR is told in their own language; `reason` keeps the
 * technical detail (status codes) for the export and the logs.
 */
export type ReachProblem =
  | 'off-roster'
  | 'no-id'
  | 'no-tenant'
  | 'blocked'
  | 'app-disabled'
  | 'not-installed'
  | 'refused'
  | 'install-failed'
  | 'gave-up'
  | 'rejected';

/** What to do with a delivery after an outcome. */
export type Verdict =
  | { readonly kind: 'sent' }
  /** 429: every request waits `pauseMs`; this delivery is tried again after it. */
  | { readonly kind: 'throttled'; readonly pauseMs: number; readonly reason: string }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly reason: string; readonly problem: ReachProblem }
  | { readonly kind: 'failed'; readonly reason: string; readonly problem: ReachProblem }
  /** The message may have arrived: never sent again, so nobody gets it twice. */
  | { readonly kind: 'unconfirmed'; readonly reason: string };

export interface RetryPolicy {
  /** Attempts after which a 412 or 5xx gives up. */
  readonly maxAttempts: number;
  /** Attempts after which repeated 429s give up (they are Teams pacing us, not a fault). */
  readonly maxThrottledAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, maxThrottledAttempts: 20, baseMs: 1000, capMs: 60_000 };

/** The request that had the outcome: a message may have arrived; a new conversation is harmless to ask for again. */
export type RequestKind = 'send' | 'create';

const RETRYABLE = new Set([412, 500, 502, 503, 504]);

const FORBIDDEN: Record<string, { readonly reason: string; readonly problem: ReachProblem }> = {
  ConversationBlockedByUser: { reason: 'blocked or removed the app', problem: 'blocked' },
  MessageWritesBlocked: { reason: 'blocked or removed the app', problem: 'blocked' },
  BotDisabledByAdmin: { reason: 'the app is turned off by an admin', problem: 'app-disabled' },
  BotNotInConversationRoster: { reason: 'the app is not installed for them', problem: 'not-installed' },
};

/**
 * Decides what an outcome means for a delivery on its `attempt`-th attempt (1 for the first).
 * `random` (0..1) jitters the backoff; `now` reads a Retry-After date.
 */
export function classify(
  outcome: RequestOutcome,
  attempt: number,
  request: RequestKind,
  now: Date,
  random: () => number,
  policy = DEFAULT_RETRY,
): Verdict {
  if (outcome.kind === 'install-failed') {
    const what = `installing the app failed (Graph ${outcome.status || 'no answer'})`;
    if (outcome.status === 404)
      return {
        kind: 'unreachable',
        reason: 'the app could not be installed for them (Graph 404: no such user or no Teams licence)',
        problem: 'install-failed',
      };
    // No answer (0 or none: a token or network failure), throttled, or Graph's own trouble: worth another try.
    if (!outcome.status || outcome.status === 429 || outcome.status >= 500)
      return retryOrFail(what, attempt, policy, random);
    return { kind: 'failed', reason: what, problem: 'install-failed' };
  }
  if (outcome.kind === 'network') {
    const what = `connection failed (${outcome.code})`;
    if (request === 'create' || !outcome.reached) return retryOrFail(what, attempt, policy, random);
    return {
      kind: 'unconfirmed',
      reason: `connection lost while sending (${outcome.code}); not sent again so nobody gets it twice`,
    };
  }
  const { status } = outcome;
  const label = `${status}${outcome.code ? ` ${outcome.code}` : ''}`;
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 429) {
    const reason = `Teams asked to slow down (${label})`;
    if (attempt >= policy.maxThrottledAttempts)
      return { kind: 'failed', reason: `gave up after ${attempt} attempts: ${reason}`, problem: 'gave-up' };
    return {
      kind: 'throttled',
      pauseMs: retryAfterMs(outcome.retryAfter, now) ?? backoffMs(attempt, policy, random),
      reason,
    };
  }
  if (status === 403) {
    const known = FORBIDDEN[outcome.code ?? ''] ?? { reason: 'Teams refused to deliver to them', problem: 'refused' };
    return { kind: 'unreachable', reason: `${known.reason} (${label})`, problem: known.problem };
  }
  if (status === 404)
    return {
      kind: 'unreachable',
      reason: `no chat with the bot: the app is not installed for them or the person is gone (${label})`,
      problem: 'not-installed',
    };
  if (RETRYABLE.has(status)) {
    const verdict = retryOrFail(`Teams was unavailable (${label})`, attempt, policy, random);
    const asked = retryAfterMs(outcome.retryAfter, now);
    return verdict.kind === 'retry' && asked !== undefined
      ? { ...verdict, delayMs: Math.max(verdict.delayMs, asked) }
      : verdict;
  }
  return { kind: 'failed', reason: `Teams rejected the message (${label})`, problem: 'rejected' };
}

/** Exponential backoff for the `attempt`-th attempt with "equal jitter": half fixed, half random. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const full = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + random() * (full / 2));
}

/** The longest a Retry-After is honoured: a larger one (a broken header) would stall sending for good. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * A Retry-After header (seconds, or an HTTP date) in milliseconds from `now`, at most
 * MAX_RETRY_AFTER_MS; undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  const at = /^\d+(\.\d+)?$/.test(text) ? now.getTime() + Number(text) * 1000 : Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.round(Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now.getTime())));
}

function retryOrFail(reason: string, attempt: number, policy: RetryPolicy, random: () => number): Verdict {
  if (attempt >= policy.maxAttempts)
    return { kind: 'failed', reason: `gave up after ${attempt} attempts: ${reason}`, problem: 'gave-up' };
  return { kind: 'retry', delayMs: backoffMs(attempt, policy, random), reason };
}

/** Teams' answer when the chat a message went to is no more (the person cleared it). */
export function chatGone(outcome: RequestOutcome): boolean {
  return outcome.kind === 'response' && outcome.status === 404;
}
