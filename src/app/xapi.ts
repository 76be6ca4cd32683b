import type { Content } from '../content/load.js';
import type { EventLog } from '../domain/course/ports.js';
import type { Log } from '../domain/log.js';
import type { RefresherAnswerLog } from '../domain/refreshers/ports.js';
import type { Clock } from '../domain/time/clock.js';
import { entriesOfEvent, entryOfRefresher } from '../domain/xapi/outboxEntry.js';
import { XapiSender } from '../domain/xapi/xapiSender.js';
import { OutboxSending } from '../jobs/outboxSending.js';
import { beforeAppend } from './beforeAppend.js';
import { HttpLrs } from '../lrs/httpLrs.js';
import type { Stores } from '../storage/stores.js';
import type { XapiConfig } from '../xapiConfig.js';

/** What the app needs to keep learning records in a learning record store. */
export interface XapiRecords {
  /** The event log, each event's statements put in the outbox before the event is appended. */
  readonly events: EventLog;
  /** Refresher answers into the outbox, around their write. */
  readonly refresherAnswers: RefresherAnswerLog;
  /** The leader's sending, started and stopped with the lead. */
  readonly sending: OutboxSending;
}

export interface XapiDeps {
  readonly config: XapiConfig;
  readonly content: Content;
  readonly stores: Stores;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Wires xAPI: statements go into the durable outbox in the same step that records what they say
 * (before the event is appended, so an event in the log always has its statements in the outbox, and
 * the events recovered at start-up bring theirs), and the leader sends them.
 */
export function xapiRecords(deps: XapiDeps): XapiRecords {
  const { config, content, stores, clock, log } = deps;
  const outbox = stores.xapiOutbox;
  const emailOf = async (userId: string): Promise<string | undefined> =>
    config.actor === 'email' ? (await stores.roster.byAadObjectId(userId))?.email.toLowerCase() : undefined;
  const sender = new XapiSender({
    outbox,
    lrs: new HttpLrs(config),
    statements: { courses: content.courses, homePage: config.homePage },
    refreshers: stores.refreshers,
    version: content.version,
    emailOf,
    clock,
    log,
  });
  const sending = new OutboxSending({ name: 'xapi', sendFor: (userId) => sender.sendFor(userId), outbox, log });
  return {
    events: beforeAppend(stores.events, async (event) => {
      await outbox.add(event.userId, entriesOfEvent(event, await emailOf(event.userId)));
      sending.notify(event.userId);
    }),
    refresherAnswers: {
      expect: (userId, at) => outbox.expectRefresher(userId, at),
      async written(userId, answers) {
        try {
          const email = await emailOf(userId);
          await outbox.addRefresherAnswers(userId, answers, (a) => entryOfRefresher(userId, a, content.version, email));
        } catch (error) {
          // The answer is stored; the note made before it lets the sender take it from the refreshers later.
          log.error('xapi.refresher-later', error);
        }
        sending.notify(userId);
      },
    },
    sending,
  };
}
