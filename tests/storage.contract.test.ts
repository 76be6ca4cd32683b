import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CourseEvent } from '../src/domain/events.js';
import type { Answer } from '../src/domain/progress.js';
import type { Stores } from '../src/storage/interfaces.js';
import { memoryStores } from '../src/storage/memory.js';
import { openLowdbStores, storeFiles } from '../src/storage/lowdb/stores.js';
import { useTempDirs } from './support/tempDirs.js';

interface Harness {
  open(): Promise<Stores>;
  /** Closes the stores and opens them again on the same data. */
  reopen(stores: Stores): Promise<Stores>;
}

const T0 = new Date('2026-11-02T09:00:00Z');
const tempDir = useTempDirs('store');

async function tempFile(): Promise<string> {
  return path.join(await tempDir(), 'data', 'postwise.json');
}

const harnesses: Record<string, () => Promise<Harness>> = {
  memory: async () => ({ open: async () => memoryStores(), reopen: async (s) => s }),
  lowdb: async () => {
    const file = await tempFile();
    return {
      open: () => openLowdbStores(file, T0, 8),
      reopen: async (s) => {
        await s.close();
        return openLowdbStores(file, T0, 8);
      },
    };
  },
};

const answer = (questionId: string, choiceId: string, correct = true): Answer => ({
  questionId,
  choiceId,
  correct,
  at: '2026-11-02T09:05:00.000Z',
  version: 'v1',
});

const event = (id: string, userId: string): CourseEvent => ({
  id,
  type: 'answered',
  userId,
  at: '2026-11-02T09:05:00.000Z',
  version: 'v1',
  questionId: 'q1',
  choiceId: 'a',
  correct: true,
});

describe.each(Object.keys(harnesses))('store contract: %s', (name) => {
  let h: Harness;
  const open = async () => {
    h = await (harnesses[name] as () => Promise<Harness>)();
    return h.open();
  };

  it('knows nothing about a user it has never seen', async () => {
    const s = await open();
    expect(await s.progress.get('u1')).toBeUndefined();
    expect(await s.conversations.get('u1')).toBeUndefined();
    expect(await s.events.list()).toEqual([]);
  });

  it('keeps progress, references and events across a reopen', async () => {
    let s = await open();
    await s.progress.openLesson('u1', 'l1', '2026-11-02T09:01:00.000Z');
    await s.progress.recordAnswer('u1', answer('q1', 'b', false));
    await s.progress.recordAcknowledgement('u1', { version: 'v1', at: '2026-11-02T09:09:00.000Z', correct: 3, total: 4 });
    await s.progress.setLanguage('u1', 'nl', '2026-11-02T09:10:00.000Z');
    await s.conversations.put('u1', { serviceUrl: 'http://127.0.0.1:1/', channelId: 'msteams', conversationId: 'a:1', botId: '28:b' });
    await s.events.append(event('u1/answered/q1', 'u1'));
    s = await h.reopen(s);
    const p = await s.progress.get('u1');
    expect(p?.lessonsOpened).toEqual(['l1']);
    expect(p?.answers.q1).toEqual(answer('q1', 'b', false));
    expect(p?.acknowledgements).toEqual([{ version: 'v1', at: '2026-11-02T09:09:00.000Z', correct: 3, total: 4 }]);
    expect(p?.language).toBe('nl');
    expect(await s.progress.language('u1')).toBe('nl');
    expect(await s.progress.language('nobody')).toBeUndefined();
    expect(p?.lastActivityAt).toBe('2026-11-02T09:10:00.000Z');
    expect((await s.conversations.get('u1'))?.conversationId).toBe('a:1');
    expect((await s.events.list()).map((e) => e.id)).toEqual(['u1/answered/q1']);
    await s.close();
  });

  it('opens a lesson once however often it is opened', async () => {
    const s = await open();
    await s.progress.openLesson('u1', 'l1', 'x');
    await s.progress.openLesson('u1', 'l1', 'y');
    expect((await s.progress.get('u1'))?.lessonsOpened).toEqual(['l1']);
  });

  it('keeps the first answer to a question and reports a repeat as not created', async () => {
    const s = await open();
    const first = await s.progress.recordAnswer('u1', answer('q1', 'a'));
    const second = await s.progress.recordAnswer('u1', answer('q1', 'c', false));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.progress.answers.q1?.choiceId).toBe('a');
  });

  it('lets exactly one of two simultaneous answers to the same question win', async () => {
    const s = await open();
    const results = await Promise.all([
      s.progress.recordAnswer('u1', answer('q1', 'a')),
      s.progress.recordAnswer('u1', answer('q1', 'b')),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)?.progress.answers.q1?.choiceId;
    expect((await s.progress.get('u1'))?.answers.q1?.choiceId).toBe(winner);
  });

  it('loses no answer when one user answers many questions at once', async () => {
    const s = await open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.progress.recordAnswer('u1', answer(`q${i}`, 'a'))));
    expect(Object.keys((await s.progress.get('u1'))?.answers ?? {})).toHaveLength(20);
  });

  it('acknowledges a version once', async () => {
    const s = await open();
    const ack = { version: 'v1', at: 't1', correct: 1, total: 2 };
    expect((await s.progress.recordAcknowledgement('u1', ack)).created).toBe(true);
    const again = await s.progress.recordAcknowledgement('u1', { ...ack, at: 't2' });
    expect(again.created).toBe(false);
    expect(again.progress.acknowledgements).toEqual([ack]);
  });

  it('hands out copies: changing a returned record changes nothing stored', async () => {
    const s = await open();
    await s.progress.openLesson('u1', 'l1', 'x');
    const p = await s.progress.get('u1');
    (p?.lessonsOpened as string[]).push('tampered');
    expect((await s.progress.get('u1'))?.lessonsOpened).toEqual(['l1']);
  });

  it('replaces a conversation reference', async () => {
    const s = await open();
    const ref = { serviceUrl: 'http://127.0.0.1:1/', channelId: 'msteams', conversationId: 'a:1', botId: '28:b', tenantId: 't' };
    await s.conversations.put('u1', ref);
    await s.conversations.put('u1', { ...ref, conversationId: 'a:2' });
    expect(await s.conversations.get('u1')).toEqual({ ...ref, conversationId: 'a:2' });
  });

  it('appends events in order, once per id, and filters by user', async () => {
    const s = await open();
    await s.events.append(event('u1/a', 'u1'));
    await s.events.append(event('u2/a', 'u2'));
    await s.events.append(event('u1/a', 'u1'));
    await s.events.append(event('u1/b', 'u1'));
    expect((await s.events.list()).map((e) => e.id)).toEqual(['u1/a', 'u2/a', 'u1/b']);
    expect((await s.events.list({ userId: 'u1' })).map((e) => e.id)).toEqual(['u1/a', 'u1/b']);
  });
  it('numbers tickets uniquely, even when asked at once, and finds them by thread after a reopen', async () => {
    let s = await open();
    const numbers = await Promise.all(Array.from({ length: 10 }, () => s.tickets.nextNumber()));
    expect(new Set(numbers).size).toBe(10);
    const number = Math.max(...numbers);
    await s.tickets.put({ number, kind: 'question', askerId: 'u1', anonymous: true, language: 'en', text: 'Q?', category: 'policy', status: 'open', createdAt: 't' });
    await s.tickets.setThread(number, { conversationId: '19:c@thread.tacv2;messageid=5', rootActivityId: '5' });
    await s.tickets.update(number, (t) => ({ ...t, status: 'claimed', claimedBy: 'Sanne' }));
    s = await h.reopen(s);
    expect(await s.tickets.byThread('19:c@thread.tacv2;messageid=5')).toMatchObject({ number, status: 'claimed', claimedBy: 'Sanne' });
    expect(await s.tickets.byThread('19:c@thread.tacv2;messageid=6')).toBeUndefined();
    expect((await s.tickets.unresolved()).map((t) => t.number)).toEqual([number]);
    await s.tickets.update(number, (t) => ({ ...t, status: 'resolved' }));
    expect(await s.tickets.unresolved()).toEqual([]);
    expect(await s.tickets.nextNumber()).toBe(11);
  });

  it('remembers the first value stored under a request key', async () => {
    const s = await open();
    expect(await s.tickets.remember('k', 7)).toBe(7);
    expect(await s.tickets.remember('k', 8)).toBe(7);
    const raced = await Promise.all([s.tickets.remember('r', 1), s.tickets.remember('r', 2)]);
    expect(raced[0]).toBe(raced[1]);
  });

  it('keeps the contact channel and published FAQ entries, once per id', async () => {
    let s = await open();
    const channel = { teamId: 'team', channelId: '19:c@thread.tacv2', serviceUrl: 'http://127.0.0.1:1/', setBy: 'hr', setAt: 't' };
    await s.settings.setContactChannel(channel);
    await s.faq.publish({ id: 'ticket-2', language: 'nl', question: 'V?', answer: 'A.', publishedAt: '2026-11-02T10:00:00Z' });
    await s.faq.publish({ id: 'ticket-1', language: 'en', question: 'Q?', answer: 'A.', publishedAt: '2026-11-02T09:00:00Z' });
    await s.faq.publish({ id: 'ticket-1', language: 'en', question: 'Changed?', answer: 'B.', publishedAt: '2026-11-02T11:00:00Z' });
    s = await h.reopen(s);
    expect(await s.settings.contactChannel()).toEqual(channel);
    expect((await s.faq.list()).map((e) => [e.id, e.question])).toEqual([
      ['ticket-1', 'Q?'],
      ['ticket-2', 'V?'],
    ]);
  });
});

describe('lowdb store files', () => {
  it('creates the data file on first open and spreads users over shard files', async () => {
    const file = await tempFile();
    const s = await openLowdbStores(file, T0, 4);
    for (let i = 0; i < 20; i++) await s.progress.openLesson(`user-${i}`, 'l1', 'x');
    await s.close();
    const meta = JSON.parse(await readFile(file, 'utf8'));
    expect(meta).toMatchObject({ format: 1, shards: 4 });
    expect((await readdir(storeFiles(file).shards)).length).toBeGreaterThan(1);
  });

  it('keeps the shard count of an existing store', async () => {
    const file = await tempFile();
    const first = await openLowdbStores(file, T0, 4);
    await first.progress.openLesson('u1', 'l1', 'x');
    await first.close();
    const second = await openLowdbStores(file, T0, 64);
    expect((await second.progress.get('u1'))?.lessonsOpened).toEqual(['l1']);
  });

  it('cuts off an event line torn by a crash and goes on appending', async () => {
    const file = await tempFile();
    const s = await openLowdbStores(file, T0, 2);
    await s.events.append(event('u1/a', 'u1'));
    await s.close();
    await appendFile(storeFiles(file).events, '{"id":"u1/b","ty');
    const again = await openLowdbStores(file, T0, 2);
    await again.events.append(event('u1/c', 'u1'));
    expect((await again.events.list()).map((e) => e.id)).toEqual(['u1/a', 'u1/c']);
  });

  it('keeps a change in a small journal, folds big journals into the shard, and replays both on open', async () => {
    const file = await tempFile();
    const s = await openLowdbStores(file, T0, 1);
    const shard = path.join(storeFiles(file).shards, '0000');
    await s.progress.openLesson('u0', 'l1', 'x');
    expect((await readFile(`${shard}.journal.jsonl`, 'utf8')).split('\n')).toHaveLength(2);
    for (let i = 1; i < 200; i++) await s.progress.recordAnswer(`u${i}`, answer(`q-${'x'.repeat(400)}`, 'a'));
    await s.close();
    const snapshot = (await readFile(`${shard}.json`, 'utf8')).length;
    const journal = (await readFile(`${shard}.journal.jsonl`, 'utf8')).length;
    expect(snapshot).toBeGreaterThan(64 * 1024);
    expect(journal).toBeLessThan(snapshot + 1024);
    await appendFile(`${shard}.journal.jsonl`, '{"t":"progress","k":"u0","v":{"use');
    const again = await openLowdbStores(file, T0, 1);
    expect((await again.progress.get('u0'))?.lessonsOpened).toEqual(['l1']);
    expect(Object.keys((await again.progress.get('u199'))?.answers ?? {})).toHaveLength(1);
    await again.progress.openLesson('u0', 'l2', 'y');
    const third = await openLowdbStores(file, T0, 1);
    expect((await third.progress.get('u0'))?.lessonsOpened).toEqual(['l1', 'l2']);
  });

  it('refuses a file that is not a Postwise store, naming it', async () => {
    const file = await tempFile();
    const s = await openLowdbStores(file, T0, 2);
    await s.close();
    await writeFile(file, '{"hello":"world"}');
    await expect(openLowdbStores(file, T0, 2)).rejects.toThrow(file);
  });
});
