import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { deliveryId, type Delivery } from '../../src/domain/campaigns/delivery.js';
import type { Answer, Progress } from '../../src/domain/course/progress.js';
import { AzureTable } from '../../src/storage/azure/azureTable.js';
import { ownPartition } from '../../src/storage/azure/keys.js';
import { RecordTooLargeError } from '../../src/storage/azure/records.js';
import { openAzureStores, TablesConnection } from '../../src/storage/azure/stores.js';
import { connectionStringTo, freePort, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';
import { shippedContent } from '../support/shippedContent.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

const account = () => ({ connectionString: azurite.connectionString });

/**
 * Every question of the shipped course missed on each of several lesson revisions, reviewed wrong many times, then
 * right.
 */
async function largestProgress(userId: string): Promise<Progress> {
  const course = (await shippedContent()).courses.nl;
  const questions = course.lessons.flatMap((l) => l.questions.map((q) => ({ lesson: l.id, question: q })));
  const at = '2026-11-02T09:05:00.000Z';
  const answerOf = (questionId: string, choiceId: string, correct: boolean, revision: number): Answer => ({
    questionId,
    choiceId,
    correct,
    at,
    version: '2026-11-01-revision-with-a-long-name',
    revision,
  });
  const REVISIONS = 6;
  const WRONG_REVIEWS = 12;
  const answers: Record<string, Answer> = {};
  const reviews: Record<string, Answer[]> = {};
  const earlier: Record<string, Answer[]> = {};
  for (const { question } of questions) {
    const wrong = question.choices.find((c) => !c.correct)?.id ?? 'x';
    const right = question.choices.find((c) => c.correct)?.id ?? 'y';
    const round = (revision: number) => [
      answerOf(question.id, wrong, false, revision),
      ...Array.from({ length: WRONG_REVIEWS }, () => answerOf(question.id, wrong, false, revision)),
      answerOf(question.id, right, true, revision),
    ];
    earlier[question.id] = Array.from({ length: REVISIONS - 1 }, (_, r) => round(r + 1)).flat();
    const [first, ...rest] = round(REVISIONS);
    answers[question.id] = first as Answer;
    reviews[question.id] = rest;
  }
  const lessonRevisions = Object.fromEntries(course.lessons.map((l) => [l.id, REVISIONS]));
  return {
    userId,
    language: 'nl',
    lessonsOpened: course.lessons.map((l) => l.id),
    lessonRevisions,
    answers,
    reviews,
    earlier,
    acknowledgements: Array.from({ length: 24 }, (_, i) => ({
      version: `2026-${i}-policy`,
      at,
      correct: 12,
      total: 12,
      revisions: lessonRevisions,
    })),
    lastActivityAt: at,
  };
}

describe('Azure Tables store', () => {
  it('keeps the largest progress record the course can produce, split over properties of one entity', async () => {
    const connection = new TablesConnection(account(), uniquePrefix());
    await connection.createTables();
    const client = connection.client('progress');
    const table = new AzureTable<Progress>(client, 'progress', ownPartition);
    const big = await largestProgress('aad-1');
    const size = JSON.stringify(big).length;
    expect(size).toBeGreaterThan(64 * 1024);
    await table.update('aad-1', () => big);
    expect(await table.get('aad-1')).toEqual(big);
    const entity = await client.getEntity<Record<string, unknown>>('aad-1', '');
    expect(entity.n).toBeGreaterThan(2);
  });

  it('refuses a record bigger than one entity, names the table, and writes nothing', async () => {
    const connection = new TablesConnection(account(), uniquePrefix());
    await connection.createTables();
    const table = new AzureTable<{ text: string }>(connection.client('faq'), 'faq', ownPartition);
    const error = await table
      .update('huge', () => ({ text: 'secret words '.repeat(100_000) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect((error as Error).message).toContain('faq');
    expect((error as Error).message).not.toContain('secret');
    expect(await table.get('huge')).toBeUndefined();
  });

  it('keeps records under keys with characters Tables refuses, and very long keys, apart', async () => {
    const s = await openAzureStores(account(), uniquePrefix());
    const keys = [
      'a/b',
      'a%2Fb',
      'a\\b',
      '#1',
      'why?',
      'tab\there',
      '\u0085',
      '%',
      '',
      'x'.repeat(600),
      `${'x'.repeat(600)}y`,
    ];
    for (const key of keys) await s.progress.openLesson(key, `lesson of ${key.slice(-3)}`, 't');
    for (const key of keys) expect((await s.progress.get(key))?.lessonsOpened).toEqual([`lesson of ${key.slice(-3)}`]);
    expect(await s.progress.scan((p) => p.userId)).toHaveLength(keys.length);
    expect(await s.tickets.remember('user/key/with#odd?parts', 3)).toBe(3);
    expect(await s.tickets.remembered('user/key/with#odd?parts')).toBe(3);
    expect(await s.tickets.remembered('user/key')).toBeUndefined();
  });

  it('adds a send of 250 deliveries in batches, and a repeat of it adds nothing', async () => {
    const s = await openAzureStores(account(), uniquePrefix());
    const send = (state: Delivery['state']) =>
      Array.from({ length: 250 }, (_, i): Delivery => ({
        id: deliveryId('c1', `m${i}`),
        sendId: 'c1',
        kind: 'campaign',
        campaignId: 'c1',
        memberKey: `m${i}`,
        state,
        attempts: 0,
        updatedAt: 't',
      }));
    expect(await s.deliveries.add(send('pending'))).toBe(250);
    expect(
      await s.deliveries.add([
        ...send('sent').slice(200),
        { ...(send('pending')[0] as Delivery), id: deliveryId('c1', 'new'), memberKey: 'new' },
      ]),
    ).toBe(1);
    expect(await s.deliveries.forSend('c1')).toHaveLength(251);
    expect((await s.deliveries.open()).every((d) => d.state === 'pending')).toBe(true);
  });

  it('keeps every change when two instances change the same records at once', async () => {
    const prefix = uniquePrefix();
    const [a, b] = await Promise.all([openAzureStores(account(), prefix), openAzureStores(account(), prefix)]);
    const answer = (questionId: string): Answer => ({
      questionId,
      choiceId: 'a',
      correct: true,
      at: 't',
      version: 'v1',
    });
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).progress.recordAnswer('u1', answer(`q${i}`))),
    );
    expect(Object.keys((await a.progress.get('u1'))?.answers ?? {})).toHaveLength(16);
    const numbers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).tickets.nextNumber()));
    expect(new Set(numbers).size).toBe(12);
    const raced = await Promise.all([
      a.campaigns.create({
        id: 'card-1',
        createdBy: 'hr',
        createdAt: 't1',
        audience: { kind: 'everyone' },
        due: '2026-11-30',
        recipients: 1,
      }),
      b.campaigns.create({
        id: 'card-1',
        createdBy: 'hr',
        createdAt: 't2',
        audience: { kind: 'everyone' },
        due: '2026-11-30',
        recipients: 1,
      }),
    ]);
    expect(raced.filter((r) => r.created)).toHaveLength(1);
  });

  it('writes an assignment again on the ETag this process last wrote, reading first only once another moved it', async () => {
    const prefix = uniquePrefix();
    const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
    try {
      const a = await openAzureStores({ connectionString: connectionStringTo(proxy.url) }, prefix);
      const b = await openAzureStores(account(), prefix);
      const assignmentRequests = () => proxy.tally.now().byTable.assignments ?? 0;
      await a.assignments.update('ann', () => ({ key: 'ann', due: '2026-11-30', campaignId: 'c1' }));
      const before = assignmentRequests();
      await a.assignments.update('ann', (x) => x && { ...x, reach: { ok: true, at: 't1' } });
      expect(assignmentRequests() - before).toBe(1);
      await b.assignments.update('ann', (x) => x && { ...x, lastReminderAt: 't2' });
      await a.assignments.update('ann', (x) => x && { ...x, reach: { ok: false, reason: 'blocked', at: 't3' } });
      expect(await b.assignments.get('ann')).toEqual({
        key: 'ann',
        due: '2026-11-30',
        campaignId: 'c1',
        lastReminderAt: 't2',
        reach: { ok: false, reason: 'blocked', at: 't3' },
      });
      await Promise.all([a.close(), b.close()]);
    } finally {
      await proxy.close();
    }
  });

  it('reads the assignments of many updates asked for together in one read of their key range', async () => {
    const prefix = uniquePrefix();
    const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
    try {
      const a = await openAzureStores({ connectionString: connectionStringTo(proxy.url) }, prefix);
      const b = await openAzureStores(account(), prefix);
      const keys = Array.from({ length: 60 }, (_, i) => `p${String(i).padStart(2, '0')}@x.example`).concat(['p/%#?']);
      // Some have an assignment already, and someone between them is no recipient.
      for (const key of [...keys.filter((_, i) => i % 3 === 0), 'p30a@x.example'])
        await b.assignments.update(key, () => ({ key, due: '2026-11-30', campaignId: 'c1', lastReminderAt: 't0' }));
      const before = proxy.tally.now().byTable.assignments ?? 0;
      await Promise.all(
        keys.map((key) => a.assignments.update(key, (x) => ({ ...x, key, due: '2026-12-18', campaignId: 'c2' }))),
      );
      expect((proxy.tally.now().byTable.assignments ?? 0) - before).toBeLessThanOrEqual(keys.length + 2);
      const read = new Map(await b.assignments.scan((x) => [x.key, x] as const));
      for (const [i, key] of keys.entries())
        expect(read.get(key)).toEqual({
          key,
          due: '2026-12-18',
          campaignId: 'c2',
          ...(i % 3 === 0 ? { lastReminderAt: 't0' } : {}),
        });
      expect(read.get('p30a@x.example')?.campaignId).toBe('c1');
      await Promise.all([a.close(), b.close()]);
    } finally {
      await proxy.close();
    }
  });

  it('stops the start with a message naming the variable when the account cannot be reached or refuses the key', async () => {
    const nobody = azurite.connectionString.replace(`:${azurite.port}/`, `:${await freePort()}/`);
    const unreachable = await openAzureStores({ connectionString: nobody }, uniquePrefix()).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(ConfigError);
    expect((unreachable as Error).message).toBe(
      'Configuration error: POSTWISE_TABLES_CONNECTION_STRING names an account that could not be reached',
    );
    const wrongKey = azurite.connectionString.replace(
      /AccountKey=[^;]+/,
      `AccountKey=${Buffer.from('not the key').toString('base64')}`,
    );
    const refused = await openAzureStores({ connectionString: wrongKey }, uniquePrefix()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toMatch(
      /^Configuration error: POSTWISE_TABLES_CONNECTION_STRING names an account that refused access \(HTTP 403\)/,
    );
    const garbage = await openAzureStores({ connectionString: 'not a connection string' }, uniquePrefix()).catch(
      (e: unknown) => e,
    );
    expect((garbage as Error).message).toContain(
      'POSTWISE_TABLES_CONNECTION_STRING is not a storage account connection string',
    );
  }, 30_000);
});
