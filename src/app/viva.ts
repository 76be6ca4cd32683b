import type { Content } from '../content/load.js';
import type { Assignment } from '../domain/campaigns/assignment.js';
import type { AssignmentStore } from '../domain/campaigns/ports.js';
import type { Language } from '../domain/course/course.js';
import type { EventLog } from '../domain/course/ports.js';
import type { Log } from '../domain/log.js';
import type { Clock } from '../domain/time/clock.js';
import { VivaSender } from '../domain/viva/vivaSender.js';
import type { GraphCredential } from '../directory/graph.js';
import { GraphVivaLearning } from '../directory/vivaLearning.js';
import { OutboxSending } from '../jobs/outboxSending.js';
import { beforeAppend } from './beforeAppend.js';
import type { Stores } from '../storage/stores.js';
import type { VivaConfig } from '../vivaConfig.js';

/** At most this many requests a second to Viva Learning, well within Graph's limits for one app. */
const REQUESTS_PER_SECOND = 5;

/** What the app needs to keep course activities in Viva Learning. */
export interface VivaRecords {
  /** The event log, each event's progress put in the outbox before the event is appended. */
  readonly events: (events: EventLog) => EventLog;
  /** The assignments, each new one put in the outbox before it is written. */
  readonly assignments: AssignmentStore;
  /** The leader's sending, started and stopped with the lead. */
  readonly sending: OutboxSending;
}

export interface VivaDeps {
  readonly config: VivaConfig;
  readonly graphUrl: string;
  readonly credential: GraphCredential;
  readonly content: Content;
  readonly stores: Stores;
  readonly defaultLanguage: Language;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Wires Viva Learning: assignments and course events go into the durable outbox before they are
 * written themselves (so what is stored always has its activity waiting), and the leader sends them.
 */
export function vivaRecords(deps: VivaDeps): VivaRecords {
  const { config, content, stores, clock, log } = deps;
  const outbox = stores.vivaOutbox;
  const questions = content.courses.en.lessons.reduce((n, l) => n + l.questions.length, 0);
  const viva = new GraphVivaLearning({ baseUrl: deps.graphUrl, credential: deps.credential, ...config });
  const sender = new VivaSender({
    outbox,
    viva,
    providerId: config.providerId,
    courses: content.courses,
    contentUrl: config.contentUrl,
    pace: paced(REQUESTS_PER_SECOND),
    log,
  });
  const sending = new OutboxSending({ name: 'viva', sendFor: (userId) => sender.sendFor(userId), outbox, log });
  const languageOf = async (userId: string): Promise<Language> =>
    (await stores.progress.get(userId))?.language ?? deps.defaultLanguage;

  const scanPages = stores.assignments.scanPages?.bind(stores.assignments);
  const assignments: AssignmentStore = {
    get: (key) => stores.assignments.get(key),
    scan: (pick) => stores.assignments.scan(pick),
    ...(scanPages ? { scanPages } : {}),
    async update(key, change, person) {
      const before = await stores.assignments.get(key);
      const after = change(before);
      const source = after && sourceOf(after);
      if (after && source && (source !== (before && sourceOf(before)) || after.due !== before?.due)) {
        // Who it is for as the caller found them; read only when the caller did not say.
        const userId = person ? person.aadObjectId : (await stores.roster.get(key))?.aadObjectId;
        if (userId !== undefined) {
          const at = clock.now().toISOString();
          const language = person ? (person.language ?? deps.defaultLanguage) : await languageOf(userId);
          await outbox.assign(userId, { source, due: after.due, at, version: content.version, language }, questions);
          sending.notify(userId);
        }
      }
      return stores.assignments.update(key, change, person);
    },
  };

  const events = (inner: EventLog): EventLog =>
    beforeAppend(inner, async (event) => {
      if (event.type !== 'answered' && event.type !== 'acknowledged') return;
      const record = await outbox.get(event.userId);
      const language = record?.current?.language ?? (await languageOf(event.userId));
      await outbox.event(event, language, questions);
      sending.notify(event.userId);
    });
  return { events, assignments, sending };
}

/** What an assignment asks for: the campaign's id, or the renewal of a lapsed acknowledgement. */
function sourceOf(assignment: Assignment): string | undefined {
  if (assignment.campaignId !== undefined) return assignment.campaignId;
  return assignment.renewal === undefined ? undefined : `renewal:${assignment.renewal}`;
}

/** Spaces calls to at most `perSecond` a second, in the order they come. */
function paced(perSecond: number): () => Promise<void> {
  const gap = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + gap;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}
