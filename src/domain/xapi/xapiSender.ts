import type { Log } from '../log.js';
import { Pauses, type SendResult } from '../outbox/pauses.js';
import type { RefresherStore } from '../refreshers/ports.js';
import type { RefresherAnswer } from '../refreshers/refresher.js';
import type { Clock } from '../time/clock.js';
import { entryOfRefresher, type XapiEntry } from './outboxEntry.js';
import type { LrsClient, XapiOutboxStore } from './ports.js';
import { statementOf, type StatementContext } from './statements.js';

/** A refresher answer noted this long ago and not in the outbox yet was cut short by a stop: its note is settled. */
const REFRESHER_NOTE_STALE_MS = 30_000;

export interface XapiSenderDeps {
  readonly outbox: XapiOutboxStore;
  readonly lrs: LrsClient;
  readonly statements: StatementContext;
  readonly refreshers: Pick<RefresherStore, 'get'>;
  /** The course version refresher answers are recorded on. */
  readonly version: string;
  /** The person's e-mail when the organisation sends it as the actor; undefined otherwise. */
  readonly emailOf: (userId: string) => Promise<string | undefined>;
  readonly clock: Clock;
  readonly log: Log;
  /** 0 ≤ random() < 1, for the jitter of the backoff. */
  readonly random?: () => number;
}

/**
 * Sends each person's waiting statements in order, one at a time, taking each out once the
 * learning record store holds it. A busy store pauses sending (its Retry-After, else a growing
 * backoff); a 401 is a configuration problem, logged once until sending works again.
 */
export class XapiSender {
  private readonly pauses: Pauses;
  private readonly startedAt: number;

  constructor(private readonly deps: XapiSenderDeps) {
    this.startedAt = deps.clock.now().getTime();
    this.pauses = new Pauses(deps.log, deps.random);
  }

  async sendFor(userId: string): Promise<SendResult> {
    const { outbox, lrs, statements } = this.deps;
    let record = await outbox.get(userId);
    if (record?.refresherPending !== undefined && this.isStale(record.refresherPending)) {
      await this.settleRefresher(userId);
      record = await outbox.get(userId);
    }
    for (const entry of record?.entries ?? []) {
      const outcome = await lrs.send(statementOf(userId, entry, statements));
      switch (outcome.kind) {
        case 'stored':
        case 'conflict':
          this.pauses.sent();
          await outbox.remove(userId, entry.id);
          continue;
        case 'busy':
          return this.pauses.busy(outcome.retryAfterMs);
        case 'unauthorized':
          return this.pauses.refused('xapi.unauthorized', {});
        case 'refused':
          return this.pauses.refused(`xapi.refused`, { status: outcome.status });
      }
    }
    return { kind: 'done' };
  }

  /** Puts the refresher answers a stop cut off from the outbox in it, from what the refreshers store holds. */
  private async settleRefresher(userId: string): Promise<void> {
    const { refreshers, outbox, version, emailOf } = this.deps;
    const answers = (await refreshers.get(userId))?.answers ?? [];
    const email = await emailOf(userId);
    await outbox.addRefresherAnswers(userId, answers, (a: RefresherAnswer): XapiEntry =>
      entryOfRefresher(userId, a, version, email),
    );
  }

  /** Noted before this sender started (a stop came between), or long enough ago. */
  private isStale(noted: string): boolean {
    const at = Date.parse(noted);
    return at < this.startedAt || this.deps.clock.now().getTime() - at > REFRESHER_NOTE_STALE_MS;
  }
}
