import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent, type Content } from '../../src/content/load.js';
import { LANGUAGES, type Question } from '../../src/domain/course/course.js';
import { memoryStores } from '../../src/storage/memory.js';
import type { Stores } from '../../src/storage/stores.js';
import { FakeVivaGraph } from '../support/fakeVivaGraph.js';
import { startHarness, type BotHarness, type TestUser } from '../support/harness.js';
import { rosterMember } from '../support/hrFixtures.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';
import { sendCampaignToEveryone } from '../support/sharedCampaign.js';
import { CONTENT_DIR, DEFAULT_ORG, shippedContent } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('viva');
const CHAT = 'https://teams.microsoft.com/l/chat/0/0?users=28:0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f';
const credential = { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) };
let h: BotHarness | undefined;
let graph: FakeVivaGraph | undefined;
afterEach(async () => {
  await h?.close();
  await graph?.close();
  h = graph = undefined;
});

const right = (q: Question) => q.choices.find((c) => c.correct)?.id ?? '';

async function start(options: { stores?: Stores; env?: Record<string, string> } = {}) {
  graph ??= await FakeVivaGraph.start();
  h = await startHarness({
    stores: options.stores,
    clock: { now: () => new Date('2026-11-02T09:00:00Z') }, // Monday 10:00 in Amsterdam
    graphCredential: credential,
    env: {
      POSTWISE_HR_USERS: HR_ID,
      POSTWISE_GRAPH_URL: graph.url,
      POSTWISE_VIVA_PROVIDER_ID: graph.providerId,
      POSTWISE_VIVA_CONTENT_URL: CHAT,
      ...options.env,
    },
  });
  return { h, graph };
}

/** Answers the questions from `from` up to `to` (every one by default) right; acknowledges after the last. */
async function walk(user: TestUser, to?: number, from = 0, content?: Content): Promise<void> {
  const { courses, version } = content ?? (await shippedContent());
  const questions = courses.en.lessons.flatMap((l) => l.questions.map((q) => ({ lesson: l.id, q })));
  for (const [n, { lesson, q }] of questions.entries()) {
    if (n < from) continue;
    if (n === to) return;
    if (n === 0 || questions[n - 1]?.lesson !== lesson) await user.click('open', { lesson });
    expect((await user.click('answer', { question: q.id, choice: right(q) })).status).toBe(200);
  }
  expect((await user.click('acknowledge', { version, agree: 'yes' })).status).toBe(200);
}

async function questionCount(): Promise<number> {
  return (await shippedContent()).courses.en.lessons.reduce((n, l) => n + l.questions.length, 0);
}

describe('course activities in Viva Learning', () => {
  it('publishes the course per language; a campaign assigns it with its due date; progress and the acknowledgement follow', async () => {
    const { h, graph } = await start();
    const anna = h.user();
    await h.stores.roster.put(rosterMember('Anna', { aad: anna.aadObjectId }));
    await sendCampaignToEveryone(hrUser(h));
    await h.app.vivaIdle();

    expect([...graph.contents.keys()].sort()).toEqual(LANGUAGES.map((l) => `postwise-course-${l}`).sort());
    const en = graph.contents.get('postwise-course-en')?.body;
    expect(en).toMatchObject({ contentWebUrl: CHAT, languageTag: 'en-us' });
    expect(en?.title).toBe((await shippedContent()).courses.en.title);
    const [assignment, ...others] = graph.of(anna.aadObjectId);
    expect(others).toEqual([]);
    expect(assignment?.body).toMatchObject({
      '@odata.type': '#microsoft.graph.learningAssignment',
      assignmentType: 'required',
      learnerUserId: anna.aadObjectId,
      learningContentId: graph.contents.get('postwise-course-en')?.id,
      dueDateTime: { dateTime: '2026-12-18T23:59:59', timeZone: 'UTC' },
      status: 'notStarted',
      completionPercentage: 0,
    });

    await walk(anna, 2);
    await h.app.vivaIdle();
    const questions = await questionCount();
    expect(assignment?.body).toMatchObject({
      status: 'inProgress',
      completionPercentage: Math.floor(200 / (questions + 1)),
    });
    expect(assignment?.body.completedDateTime).toBeUndefined();

    await walk(anna, undefined, 2);
    await h.app.vivaIdle();
    expect(graph.of(anna.aadObjectId)).toHaveLength(1);
    expect(assignment?.body).toMatchObject({ status: 'completed', completionPercentage: 100 });
    expect(Date.parse(assignment?.body.completedDateTime)).not.toBeNaN();
    expect([...graph.creations().values()]).toEqual([1]);
    expect(await h.stores.vivaOutbox.waiting()).toEqual([]);
    // Each waiting state replaces the one before: far fewer requests than events.
    expect(graph.requests.filter((r) => r.method === 'PATCH').length).toBeLessThanOrEqual(questions + 3);
  });

  it('someone who starts without a campaign gets a self-initiated course', async () => {
    const { h, graph } = await start();
    const bert = h.user({ name: 'Bert' });
    await walk(bert, 1);
    await h.app.vivaIdle();
    const [course, ...others] = graph.of(bert.aadObjectId);
    expect(others).toEqual([]);
    expect(course?.body).toMatchObject({
      '@odata.type': '#microsoft.graph.learningSelfInitiatedCourse',
      status: 'inProgress',
      completionPercentage: Math.floor(100 / ((await questionCount()) + 1)),
    });
    expect(course?.body.assignmentType).toBeUndefined();
    expect(Date.parse(course?.body.startedDateTime)).not.toBeNaN();
  });

  it('a new policy version that sends people back opens a new assignment', async () => {
    const dir = path.join(await tempDir(), 'content');
    await cp(CONTENT_DIR, dir, { recursive: true });
    const stores = memoryStores();
    const { h: first, graph } = await start({ stores, env: { POSTWISE_CONTENT_DIR: dir } });
    const anna = first.user();
    await stores.roster.put(rosterMember('Anna', { aad: anna.aadObjectId }));
    await sendCampaignToEveryone(hrUser(first));
    await walk(anna);
    await first.app.vivaIdle();
    await first.close();
    h = undefined;
    expect(graph.of(anna.aadObjectId).map((a) => a.body.status)).toEqual(['completed']);

    for (const language of LANGUAGES) {
      const at = path.join(dir, language, 'lessons', '04-the-party.json');
      const lesson = JSON.parse(await readFile(at, 'utf8'));
      lesson.revision = Number(lesson.revision ?? 1) + 1;
      await writeFile(at, JSON.stringify(lesson));
    }
    const { h: second } = await start({ stores, env: { POSTWISE_CONTENT_DIR: dir } });
    const again = Object.assign(second.user(), { aadObjectId: anna.aadObjectId });
    await walk(again, undefined, 0, await loadContent(dir, DEFAULT_ORG));
    await second.app.vivaIdle();
    const activities = graph.of(anna.aadObjectId);
    expect(activities).toHaveLength(2);
    expect(activities.map((a) => a.body['@odata.type'])).toEqual([
      '#microsoft.graph.learningAssignment',
      '#microsoft.graph.learningAssignment',
    ]);
    expect(new Set(activities.map((a) => a.body.externalCourseActivityId)).size).toBe(2);
    expect(activities[1]?.body).toMatchObject({ status: 'completed', completionPercentage: 100 });
    expect(activities[1]?.body.dueDateTime).toEqual(activities[0]?.body.dueDateTime);
  });

  it('waits as long as Graph’s Retry-After says on 429, then delivers', async () => {
    const { h, graph } = await start();
    graph.mode = { kind: 'throttled', status: 429, retryAfter: 1 };
    const cor = h.user({ name: 'Cor' });
    await walk(cor, 1);
    while (!graph.requests.some((r) => r.status === 429)) await new Promise((r) => setTimeout(r, 20));
    const throttledAt = Date.now();
    graph.mode = { kind: 'normal' };
    await h.app.vivaIdle();
    const firstAfter = graph.requests.findIndex((r) => r.status !== 429);
    expect(firstAfter).toBeGreaterThan(0);
    expect(Date.now() - throttledAt).toBeGreaterThanOrEqual(900);
    expect(graph.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(graph.of(cor.aadObjectId)).toHaveLength(1);
  });

  it('keeps everything through an outage (503) and delivers it after', async () => {
    const { h, graph } = await start();
    graph.mode = { kind: 'throttled', status: 503, retryAfter: 1 };
    const dirk = h.user({ name: 'Dirk' });
    await walk(dirk);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(graph.activities.size).toBe(0);
    expect(await h.stores.vivaOutbox.waiting()).toEqual([dirk.aadObjectId]);
    graph.mode = { kind: 'normal' };
    await h.app.vivaIdle();
    const [course] = graph.of(dirk.aadObjectId);
    expect(course?.body).toMatchObject({ status: 'completed', completionPercentage: 100 });
    expect(await h.stores.vivaOutbox.waiting()).toEqual([]);
  });

  it('is off without POSTWISE_VIVA_PROVIDER_ID: no Graph call and nothing written', async () => {
    graph = await FakeVivaGraph.start();
    h = await startHarness({ graphCredential: credential, env: { POSTWISE_GRAPH_URL: graph.url } });
    const erik = h.user({ name: 'Erik' });
    await walk(erik);
    await h.app.vivaIdle();
    expect(graph.requests).toEqual([]);
    expect(await h.stores.vivaOutbox.get(erik.aadObjectId)).toBeUndefined();
    expect(await h.stores.vivaOutbox.waiting()).toEqual([]);
  });
});
