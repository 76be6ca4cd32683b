import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourseEvent } from '../../../src/domain/course/events.js';
import { entriesOfEvent } from '../../../src/domain/xapi/outboxEntry.js';
import { statementOf, type StatementContext } from '../../../src/domain/xapi/statements.js';
import { XapiSender } from '../../../src/domain/xapi/xapiSender.js';
import { HttpLrs } from '../../../src/lrs/httpLrs.js';
import { memoryStores } from '../../../src/storage/memory.js';
import type { Stores } from '../../../src/storage/stores.js';
import { FakeLrs } from '../../support/fakeLrs.js';
import { collectingLog } from '../../support/harness.js';
import { shippedContent } from '../../support/shippedContent.js';
import { TENANT } from '../../support/tenants.js';

const USER = '0b6f3c1e-2d4a-4e8f-9a1b-3c5d7e9f1a2b';
const NOW = new Date('2026-11-02T10:00:00Z');

let lrs: FakeLrs;
let stores: Stores;
let context: StatementContext;
let version: string;

beforeEach(async () => {
  lrs = await FakeLrs.start();
  stores = memoryStores();
  const content = await shippedContent();
  context = { courses: content.courses, homePage: `https://login.microsoftonline.com/${TENANT}` };
  version = content.version;
});
afterEach(() => lrs.close());

function sender(log = collectingLog(), options: { secret?: string; timeoutMs?: number } = {}) {
  const client = new HttpLrs({
    endpoint: lrs.endpoint,
    key: lrs.key,
    secret: options.secret ?? lrs.secret,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  return new XapiSender({
    outbox: stores.xapiOutbox,
    lrs: client,
    statements: context,
    refreshers: stores.refreshers,
    version,
    emailOf: async () => undefined,
    clock: { now: () => NOW },
    log,
    random: () => 0.5,
  });
}

/** Three answers of the person's, as the course would append them. */
async function threeAnswers(): Promise<string[]> {
  const questions = context.courses.en.lessons.flatMap((l) => l.questions).slice(0, 3);
  const events: CourseEvent[] = questions.map((q, i) => ({
    id: `${USER}/answered/${q.id}`,
    type: 'answered',
    userId: USER,
    at: `2026-11-02T09:0${i}:00.000Z`,
    version,
    questionId: q.id,
    choiceId: q.choices[0]?.id ?? '',
    correct: q.choices[0]?.correct ?? false,
  }));
  const entries = events.flatMap((e) => entriesOfEvent(e));
  await stores.xapiOutbox.add(USER, entries);
  return entries.map((e) => e.id);
}

describe('sending xAPI statements', () => {
  it('sends a person’s statements in order and takes each out; 409 for an id the store holds counts as delivered', async () => {
    const ids = await threeAnswers();
    // The first was delivered before a stop, but not yet taken out of the outbox.
    const first = (await stores.xapiOutbox.get(USER))?.entries[0];
    await new HttpLrs({ endpoint: lrs.endpoint, key: lrs.key, secret: lrs.secret }).send(
      statementOf(USER, first!, context),
    );
    expect(await sender().sendFor(USER)).toEqual({ kind: 'done' });
    expect(lrs.held.map((h) => h.id)).toEqual(ids);
    expect(lrs.requests.map((r) => r.status)).toEqual([200, 409, 200, 200]);
    expect(lrs.differing).toBe(0);
    expect((await stores.xapiOutbox.get(USER))?.entries).toEqual([]);
    expect(await stores.xapiOutbox.waiting()).toEqual([]);
  });

  it('a busy store (503 with Retry-After) pauses sending for that long and keeps every statement', async () => {
    const ids = await threeAnswers();
    lrs.mode = { kind: 'busy', retryAfter: 7 };
    const s = sender();
    expect(await s.sendFor(USER)).toEqual({ kind: 'pause', ms: 7_000 });
    expect((await stores.xapiOutbox.get(USER))?.entries.map((e) => e.id)).toEqual(ids);
    lrs.mode = { kind: 'normal' };
    expect(await s.sendFor(USER)).toEqual({ kind: 'done' });
    expect(lrs.held.map((h) => h.id)).toEqual(ids);
  });

  it('a store that never answers counts as busy after the time limit, with a growing backoff', async () => {
    const ids = await threeAnswers();
    lrs.mode = { kind: 'black-hole' };
    const s = sender(collectingLog(), { timeoutMs: 200 });
    expect(await s.sendFor(USER)).toEqual({ kind: 'pause', ms: 750 });
    expect(await s.sendFor(USER)).toEqual({ kind: 'pause', ms: 1_500 });
    expect((await stores.xapiOutbox.get(USER))?.entries.map((e) => e.id)).toEqual(ids);
    expect(lrs.held).toEqual([]);
  });

  it('401 is a configuration problem: logged once, without the store’s text, and nothing is lost', async () => {
    const ids = await threeAnswers();
    const log = collectingLog();
    const s = sender(log, { secret: 'wrong' });
    expect(await s.sendFor(USER)).toEqual({ kind: 'pause', ms: 300_000 });
    expect(await s.sendFor(USER)).toEqual({ kind: 'pause', ms: 300_000 });
    expect(log.lines).toEqual([JSON.stringify({ event: 'xapi.unauthorized' })]);
    expect(log.lines.join('\n')).not.toContain('secret LRS detail');
    expect((await stores.xapiOutbox.get(USER))?.entries.map((e) => e.id)).toEqual(ids);
  });

  it('a refresher answer noted before a stop is taken from the refreshers store and sent once', async () => {
    const question = context.courses.en.lessons[1]?.questions[0];
    const answer = { n: 1, questionId: question!.id, choiceId: 'a', correct: true, at: '2026-11-02T09:30:00.000Z' };
    await stores.xapiOutbox.expectRefresher(USER, '2026-11-02T09:30:00.000Z');
    await stores.refreshers.update(USER, () => ({
      userId: USER,
      start: '2026-11-01',
      due: '2026-11-09',
      cards: {},
      answers: [answer],
    }));
    const s = sender();
    expect(await s.sendFor(USER)).toEqual({ kind: 'done' });
    expect(await s.sendFor(USER)).toEqual({ kind: 'done' });
    expect(lrs.held).toHaveLength(1);
    expect(lrs.held[0]?.statement.result).toEqual({ success: true, response: 'a' });
    expect(await stores.xapiOutbox.get(USER)).toMatchObject({ entries: [], refresherN: 1 });
    expect(await stores.xapiOutbox.waiting()).toEqual([]);
  });
});
