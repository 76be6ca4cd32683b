import { LANGUAGES, type Course, type Language } from '../course/course.js';
import type { Log } from '../log.js';
import { Pauses, type SendResult } from '../outbox/pauses.js';
import type { VivaEntry } from './activity.js';
import type { VivaLearning, VivaOutboxStore, VivaOutcome } from './ports.js';
import { contentBody, contentIdOf, createBody, updateBody } from './requests.js';

export interface VivaSenderDeps {
  readonly outbox: VivaOutboxStore;
  readonly viva: VivaLearning;
  readonly providerId: string;
  /** The course per language, published as learning content. */
  readonly courses: Readonly<Record<Language, Course>>;
  /** What the learning content opens: the chat with Postwise. */
  readonly contentUrl: string;
  /** Waits between two requests to Graph, to keep within its limits. */
  readonly pace: () => Promise<void>;
  readonly log: Log;
  readonly random?: () => number;
}

/**
 * Brings each person's activities in Viva Learning up to date, one entry at a time, taking each out
 * once Graph holds it. The course is published (once per sender) before the first activity. A new
 * activity is created, then updated by Graph's id; a create that meets an existing one (409, a retry
 * after a stop) finds it by its external id and updates it, so nothing is made twice.
 */
export class VivaSender {
  private readonly pauses: Pauses;
  private contents: Partial<Record<Language, string>> | undefined;
  private publishing: Promise<VivaOutcome> | undefined;

  constructor(private readonly deps: VivaSenderDeps) {
    this.pauses = new Pauses(deps.log, deps.random);
  }

  async sendFor(userId: string): Promise<SendResult> {
    const { outbox } = this.deps;
    const published = await this.publish();
    if (published.kind !== 'stored') return this.pause(published);
    let record = await outbox.get(userId);
    for (;;) {
      const entry = record?.entries[0];
      if (!record || !entry) return { kind: 'done' };
      const outcome = await this.send(userId, entry, record.created?.[entry.externalId]);
      if (outcome.kind !== 'stored') return this.pause(outcome);
      this.pauses.sent();
      // The record as the update found it: what was added meanwhile comes with it.
      record = await outbox.delivered(userId, entry.id, entry.externalId, outcome.id);
    }
  }

  /** Sends one entry; `stored` carries Graph's id of the activity. */
  private async send(userId: string, entry: VivaEntry, known: string | undefined): Promise<VivaOutcome> {
    const { viva, providerId, pace } = this.deps;
    if (known !== undefined) {
      await pace();
      const updated = await viva.updateActivity(known, updateBody(entry));
      // Deleted in Viva Learning meanwhile: made again below.
      if (updated.kind !== 'missing') return updated.kind === 'stored' ? { kind: 'stored', id: known } : updated;
    }
    const contentId = this.contents?.[entry.language] ?? '';
    await pace();
    const created = await viva.createActivity(createBody(userId, entry, contentId, providerId));
    if (created.kind !== 'conflict') return created;
    await pace();
    const found = await viva.findActivity(entry.externalId);
    if (found.kind !== 'stored' || found.id === undefined) return found.kind === 'stored' ? refused(404) : found;
    await pace();
    const updated = await viva.updateActivity(found.id, updateBody(entry));
    return updated.kind === 'stored' ? { kind: 'stored', id: found.id } : updated;
  }

  /**
   * Publishes the course in every language, once: its learning content ids are what activities refer to. The
   * senders working at once share one publishing; after a failure the next call tries again.
   */
  private publish(): Promise<VivaOutcome> {
    if (this.contents) return Promise.resolve({ kind: 'stored' });
    this.publishing ??= this.publishAll().finally(() => (this.publishing = undefined));
    return this.publishing;
  }

  private async publishAll(): Promise<VivaOutcome> {
    const { viva, courses, contentUrl, pace } = this.deps;
    const ids: Partial<Record<Language, string>> = {};
    for (const language of LANGUAGES) {
      await pace();
      const outcome = await viva.putContent(contentIdOf(language), contentBody(courses[language], contentUrl));
      if (outcome.kind !== 'stored') return outcome;
      if (outcome.id === undefined) return refused(200);
      ids[language] = outcome.id;
    }
    this.contents = ids;
    return { kind: 'stored' };
  }

  private pause(outcome: Exclude<VivaOutcome, { kind: 'stored' }>): SendResult {
    switch (outcome.kind) {
      case 'busy':
        return this.pauses.busy(outcome.retryAfterMs);
      case 'unauthorized':
        return this.pauses.refused('viva.unauthorized', { status: outcome.status });
      case 'refused':
        return this.pauses.refused('viva.refused', { status: outcome.status });
      case 'conflict':
      case 'missing':
        return this.pauses.refused('viva.refused', { status: outcome.kind === 'conflict' ? 409 : 404 });
    }
  }
}

function refused(status: number): VivaOutcome {
  return { kind: 'refused', status };
}
