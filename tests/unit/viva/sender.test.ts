import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourseEvent } from '../../../src/domain/course/events.js';
import { VivaSender } from '../../../src/domain/viva/vivaSender.js';
import { GraphVivaLearning } from '../../../src/directory/vivaLearning.js';
import { memoryStores } from '../../../src/storage/memory.js';
import type { Stores } from '../../../src/storage/stores.js';
import { FakeVivaGraph } from '../../support/fakeVivaGraph.js';
import { collectingLog } from '../../support/harness.js';
import { shippedContent } from '../../support/shippedContent.js';

const USER = '0b6f3c1e-2d4a-4e8f-9a1b-3c5d7e9f1a2b';
let graph: FakeVivaGraph;
let stores: Stores;
beforeEach(async () => {
  graph = await FakeVivaGraph.start();
  stores = memoryStores();
});
afterEach(() => graph.close());

const answered = (questionId: string): CourseEvent => ({
  id: `e-${questionId}`,
  type: 'answered',
  userId: USER,
  at: '2026-11-03T09:00:00Z',
  version: 'v1',
  questionId,
  choiceId: 'a',
  correct: true,
});

async function sender(log = collectingLog(), token = graph.token) {
  const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  return new VivaSender({
    outbox: stores.vivaOutbox,
    viva: new GraphVivaLearning({ baseUrl: graph.url, credential, providerId: graph.providerId }),
    providerId: graph.providerId,
    courses: (await shippedContent()).courses,
    contentUrl: 'https://teams.microsoft.com/l/chat/0/0?users=28:x',
    pace: async () => {},
    log,
    random: () => 0.5,
  });
}

describe('sending course activities to Viva Learning', () => {
  it('creates an activity deleted in Viva Learning again', async () => {
    const send = await sender();
    await stores.vivaOutbox.event(answered('q1'), 'en', 9);
    expect(await send.sendFor(USER)).toEqual({ kind: 'done' });
    graph.activities.clear();
    await stores.vivaOutbox.event(answered('q2'), 'en', 9);
    expect(await send.sendFor(USER)).toEqual({ kind: 'done' });
    expect(graph.requests.map((r) => `${r.method} ${r.status}`).slice(-2)).toEqual(['PATCH 404', 'POST 201']);
    expect(graph.of(USER)[0]?.body.completionPercentage).toBe(20);
  });

  it('logs a refused token once, without Graph’s text, and keeps the activity waiting', async () => {
    const log = collectingLog();
    const send = await sender(log, 'wrong');
    await stores.vivaOutbox.event(answered('q1'), 'en', 9);
    expect(await send.sendFor(USER)).toEqual({ kind: 'pause', ms: 300_000 });
    expect(await send.sendFor(USER)).toEqual({ kind: 'pause', ms: 300_000 });
    expect(log.lines.filter((l) => l.includes('viva.unauthorized'))).toHaveLength(1);
    expect(log.lines.join('\n')).not.toMatch(/Access token/);
    expect(await stores.vivaOutbox.waiting()).toEqual([USER]);
  });

  it('waits for Retry-After on 503 before the course is even published', async () => {
    graph.mode = { kind: 'throttled', status: 503, retryAfter: 7 };
    const send = await sender();
    await stores.vivaOutbox.event(answered('q1'), 'en', 9);
    expect(await send.sendFor(USER)).toEqual({ kind: 'pause', ms: 7_000 });
    graph.mode = { kind: 'normal' };
    expect(await send.sendFor(USER)).toEqual({ kind: 'done' });
    expect(graph.contents.size).toBe(2);
  });
});
