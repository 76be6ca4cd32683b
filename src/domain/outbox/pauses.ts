import type { Log } from '../log.js';

/** The first wait after the receiver was busy; it doubles up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** How long sending waits after a 401 or another refusal: until someone fixes the configuration. */
const REFUSED_PAUSE_MS = 5 * 60_000;
/** The longest Retry-After honoured. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** What sending one person's outbox came to: all delivered, or wait this long before anyone's next. */
export type SendResult = { readonly kind: 'done' } | { readonly kind: 'pause'; readonly ms: number };

/**
 * How an outbox sender waits and reports: the receiver's Retry-After, else a growing backoff with
 * jitter; each refusal logged once until a send works again.
 */
export class Pauses {
  private failures = 0;
  private readonly reported = new Set<string>();

  constructor(
    private readonly log: Log,
    /** 0 ≤ random() < 1, for the jitter of the backoff. */
    private readonly random: () => number = Math.random,
  ) {}

  /** A send worked: the backoff starts over and refusals are reported again. */
  sent(): void {
    this.failures = 0;
    this.reported.clear();
  }

  /** The pause after a busy answer. */
  busy(retryAfterMs: number | undefined): SendResult {
    this.failures += 1;
    if (retryAfterMs !== undefined)
      return { kind: 'pause', ms: Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS) };
    const ceiling = Math.min(FIRST_BACKOFF_MS * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
    return { kind: 'pause', ms: Math.round(ceiling / 2 + (ceiling / 2) * this.random()) };
  }

  /** The pause after a refusal, logged once (no outside text: only the event and numbers). */
  refused(event: string, fields: Record<string, number>): SendResult {
    const key = `${event}:${JSON.stringify(fields)}`;
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.log.info(event, fields);
    }
    return { kind: 'pause', ms: REFUSED_PAUSE_MS };
  }
}
