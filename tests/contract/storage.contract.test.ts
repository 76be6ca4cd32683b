import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/campaigns/campaign.js';
import { deliveryId, type Delivery, type DeliveryState } from '../../src/domain/campaigns/delivery.js';
import type { CourseEvent } from '../../src/domain/course/events.js';
import type { Answer } from '../../src/domain/course/progress.js';
import type { DueEntry } from '../../src/domain/refreshers/ports.js';
import type { XapiEntry } from '../../src/domain/xapi/outboxEntry.js';
import { addDays } from '../../src/domain/time/calendar.js';
import { ENROLMENT_SEND_ID, enrolmentDeliveryId } from '../../src/domain/enrolment/enrolment.js';
import { CampaignService } from '../../src/domain/campaigns/campaignService.js';
import { ScheduleService } from '../../src/domain/campaigns/scheduleService.js';
import { InventoryService } from '../../src/domain/inventory/inventoryService.js';
import type { Member } from '../../src/domain/roster/roster.js';
import type { Stores } from '../../src/storage/stores.js';
import { memoryStores } from '../../src/storage/memory.js';
import { openLowdbStores, storeFiles } from '../../src/storage/lowdb/stores.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { useTempDirs } from '../support/tempDirs.js';
import { answeredEvent } from '../support/events.js';
import { handClock } from '../support/handClock.js';
import { loadCourse, rosterMember } from '../support/hrFixtures.js';

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

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

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
  'azure-tables': async () => {
    const prefix = uniquePrefix();
    const account = { connectionString: azurite.connectionString };
    return {
      open: () => openAzureStores(account, prefix),
      reopen: async (s) => {
        await s.close();
        return openAzureStores(account, prefix);
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
    await s.progress.recordAcknowledgement('u1', {
      version: 'v1',
      at: '2026-11-02T09:09:00.000Z',
      correct: 3,
      total: 4,
    });
    await s.progress.setLanguage('u1', 'nl', '2026-11-02T09:10:00.000Z');
    await s.conversations.put('u1', {
      serviceUrl: 'http://127.0.0.1:1/',
      channelId: 'msteams',
      conversationId: 'a:1',
      botId: '28:b',
    });
    await s.events.append(answeredEvent('u1/answered/q1', 'u1'));
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

  it('keeps review attempts apart from the first answer, in order, one per attempt, until one is right', async () => {
    let s = await open();
    await s.progress.recordAnswer('u1', answer('q1', 'a', false));
    expect((await s.progress.recordReview('u1', 2, answer('q1', 'b'))).created).toBe(false);
    const both = await Promise.all([
      s.progress.recordReview('u1', 1, answer('q1', 'c', false)),
      s.progress.recordReview('u1', 1, answer('q1', 'b')),
    ]);
    expect(both.filter((r) => r.created)).toHaveLength(1);
    const first = both.find((r) => r.created)?.progress.reviews?.q1?.[0];
    if (!first?.correct) expect((await s.progress.recordReview('u1', 2, answer('q1', 'b'))).created).toBe(true);
    const attempts = (await s.progress.get('u1'))?.reviews?.q1 ?? [];
    expect(attempts.at(-1)?.choiceId).toBe('b');
    expect((await s.progress.recordReview('u1', attempts.length + 1, answer('q1', 'c', false))).created).toBe(false);
    await s.progress.recordAnswer('u1', answer('q3', 'a'));
    expect((await s.progress.recordReview('u1', 1, answer('q3', 'a'))).created).toBe(false);
    s = await h.reopen(s);
    const p = await s.progress.get('u1');
    expect(p?.answers.q1).toEqual(answer('q1', 'a', false));
    expect(p?.reviews?.q1).toEqual(attempts);
    expect(p?.reviews?.q3).toBeUndefined();
    await s.close();
  });

  it('acknowledges a version once', async () => {
    const s = await open();
    const ack = { version: 'v1', at: 't1', correct: 1, total: 2 };
    expect((await s.progress.recordAcknowledgement('u1', ack)).created).toBe(true);
    const again = await s.progress.recordAcknowledgement('u1', { ...ack, at: 't2' });
    expect(again.created).toBe(false);
    expect(again.progress.acknowledgements).toEqual([ack]);
  });

  it('keeps a renewal round, changed atomically, and the renewal acknowledgement beside the first, across a reopen', async () => {
    let s = await open();
    const ack = { version: 'v1', at: '2026-10-20T10:00:00.000Z', correct: 2, total: 2 };
    await s.progress.recordAcknowledgement('u1', ack);
    expect((await s.progress.recordRenewal('u1', () => undefined)).created).toBe(false);
    const round = { lapse: '2027-10-20', questions: ['q1', 'q2'], attempts: {} };
    const starts = await Promise.all(
      [1, 2].map(() => s.progress.recordRenewal('u1', (p) => (p.renewal ? undefined : round))),
    );
    expect(starts.filter((r) => r.created)).toHaveLength(1);
    // Attempts at two questions at once: neither is lost.
    const attempt = (id: string, at: string) =>
      s.progress.recordRenewal('u1', (p) =>
        p.renewal
          ? { ...p.renewal, attempts: { ...p.renewal.attempts, [id]: [{ ...answer(id, 'a'), at }] } }
          : undefined,
      );
    await Promise.all([attempt('q1', '2027-10-21T09:00:00.000Z'), attempt('q2', '2027-10-21T09:01:00.000Z')]);
    const renewed = { ...ack, at: '2027-10-21T09:02:00.000Z', renews: '2027-10-20' };
    expect((await s.progress.recordAcknowledgement('u1', renewed)).created).toBe(true);
    expect((await s.progress.recordAcknowledgement('u1', { ...renewed, at: 'later' })).created).toBe(false);
    await s.assignments.update('k1', () => ({
      key: 'k1',
      due: '2027-11-03',
      renewal: '2027-10-20',
      renewalSentAt: '2027-10-20T07:00:00.000Z',
    }));
    s = await h.reopen(s);
    const p = await s.progress.get('u1');
    expect(p?.renewal?.lapse).toBe('2027-10-20');
    expect(Object.keys(p?.renewal?.attempts ?? {}).sort()).toEqual(['q1', 'q2']);
    expect(p?.acknowledgements).toEqual([ack, renewed]);
    expect(p?.lastActivityAt).toBe('2027-10-21T09:02:00.000Z');
    expect(await s.assignments.get('k1')).toMatchObject({
      renewal: '2027-10-20',
      renewalSentAt: '2027-10-20T07:00:00.000Z',
    });
    await s.close();
  });

  it("keeps each lesson's text hash per revision, returning the one before, across a reopen", async () => {
    let s = await open();
    expect(await s.lessonTexts.record('the-party', 1, 'h1')).toBeUndefined();
    expect(await s.lessonTexts.record('the-party', 1, 'h1')).toBe('h1');
    expect(await s.lessonTexts.record('the-party', 2, 'h2')).toBeUndefined();
    expect(await s.lessonTexts.record('other', 1, 'h9')).toBeUndefined();
    s = await h.reopen(s);
    expect(await s.lessonTexts.record('the-party', 1, 'h3')).toBe('h1');
    expect(await s.lessonTexts.record('the-party', 1, 'h3')).toBe('h3');
    expect(await s.lessonTexts.record('the-party', 2, 'h2')).toBe('h2');
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
    const ref = {
      serviceUrl: 'http://127.0.0.1:1/',
      channelId: 'msteams',
      conversationId: 'a:1',
      botId: '28:b',
      tenantId: 't',
    };
    await s.conversations.put('u1', ref);
    await s.conversations.put('u1', { ...ref, conversationId: 'a:2' });
    expect(await s.conversations.get('u1')).toEqual({ ...ref, conversationId: 'a:2' });
  });

  it('keeps the later last turn of a conversation, also when a reference without one replaces it', async () => {
    const s = await open();
    const ref = { serviceUrl: 'http://127.0.0.1:1/', channelId: 'msteams', conversationId: 'a:1', botId: '28:b' };
    await s.conversations.put('u1', { ...ref, lastTurn: '2026-11-09' });
    await s.conversations.put('u1', { ...ref, lastTurn: '2026-11-02' });
    expect((await s.conversations.get('u1'))?.lastTurn).toBe('2026-11-09');
    await s.conversations.put('u1', { ...ref, conversationId: 'a:2' });
    expect(await s.conversations.get('u1')).toEqual({ ...ref, conversationId: 'a:2', lastTurn: '2026-11-09' });
    await s.conversations.put('u1', { ...ref, conversationId: 'a:2', lastTurn: '2026-11-10' });
    expect((await s.conversations.get('u1'))?.lastTurn).toBe('2026-11-10');
  });

  it('lists every personal chat with its user id, a page at a time, after a reopen too', async () => {
    let s = await open();
    const ids = Array.from({ length: 7 }, (_, i) => `u${i}`).concat(['a/b', '50% #?\\x', 'A1']);
    const ref = (id: string) => ({
      serviceUrl: 'http://127.0.0.1:1/',
      channelId: 'msteams',
      conversationId: `a:${id}`,
      botId: '28:b',
    });
    for (const id of ids) await s.conversations.put(id, ref(id));
    await s.conversations.put('u1', { ...ref('u1'), conversationId: 'a:again' });
    s = await h.reopen(s);
    const pages: (readonly (readonly [string, unknown])[])[] = [];
    for await (const page of s.conversations.chats?.(4) ?? []) pages.push(page);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((page) => page.length <= 4)).toBe(true);
    expect(new Map(pages.flat())).toEqual(
      new Map(ids.map((id) => [id, id === 'u1' ? { ...ref(id), conversationId: 'a:again' } : ref(id)])),
    );
    await s.close();
  });

  it('appends events in order, once per id, and filters by user', async () => {
    const s = await open();
    await s.events.append(answeredEvent('u1/a', 'u1'));
    await s.events.append(answeredEvent('u2/a', 'u2'));
    await s.events.append(answeredEvent('u1/a', 'u1'));
    await s.events.append(answeredEvent('u1/b', 'u1'));
    expect((await s.events.list()).map((e) => e.id)).toEqual(['u1/a', 'u2/a', 'u1/b']);
    expect((await s.events.list({ userId: 'u1' })).map((e) => e.id)).toEqual(['u1/a', 'u1/b']);
  });

  it('reads the events of one type a page at a time, each stored event once', async () => {
    const s = await open();
    const acknowledged = (id: string, userId: string): CourseEvent => ({
      id,
      type: 'acknowledged',
      userId,
      at: '2026-11-02T09:06:00.000Z',
      version: 'v1',
      correct: 5,
      total: 5,
    });
    for (let i = 0; i < 7; i += 1) {
      await s.events.append(answeredEvent(`u${i}/answered`, `u${i}`));
      await s.events.append(acknowledged(`u${i}/acknowledged`, `u${i}`));
    }
    await s.events.append(acknowledged('u3/acknowledged', 'u3'));
    const pages: (readonly CourseEvent[])[] = [];
    for await (const page of s.events.pages({ type: 'acknowledged' }, 3)) pages.push(page);
    expect(pages.every((page) => page.length >= 1 && page.length <= 3)).toBe(true);
    const ids = pages.flat().map((e) => e.id);
    expect(ids.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `u${i}/acknowledged`));
    expect(pages.flat().find((e) => e.id === 'u2/acknowledged')).toEqual(acknowledged('u2/acknowledged', 'u2'));
    let all = 0;
    for await (const page of s.events.pages({}, 100)) all += page.length;
    expect(all).toBe(14);
  });
  it('numbers tickets uniquely, even when asked at once, and finds them by thread after a reopen', async () => {
    let s = await open();
    const numbers = await Promise.all(Array.from({ length: 10 }, () => s.tickets.nextNumber()));
    expect(new Set(numbers).size).toBe(10);
    const number = Math.max(...numbers);
    await s.tickets.put({
      number,
      kind: 'question',
      askerId: 'u1',
      anonymous: true,
      language: 'en',
      text: 'Q?',
      category: 'policy',
      status: 'open',
      createdAt: 't',
    });
    await s.tickets.setThread(number, { conversationId: '19:c@thread.tacv2;messageid=5', rootActivityId: '5' });
    await s.tickets.update(number, (t) => ({ ...t, status: 'claimed', claimedBy: 'Sanne' }));
    s = await h.reopen(s);
    expect(await s.tickets.byThread('19:c@thread.tacv2;messageid=5')).toMatchObject({
      number,
      status: 'claimed',
      claimedBy: 'Sanne',
    });
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
    expect([await s.tickets.remembered('k'), await s.tickets.remembered('unknown')]).toEqual([7, undefined]);
    const raced = await Promise.all([s.tickets.remember('r', 1), s.tickets.remember('r', 2)]);
    expect(raced[0]).toBe(raced[1]);
  });

  it('keeps the contact channel and published FAQ entries, once per id', async () => {
    let s = await open();
    const channel = {
      teamId: 'team',
      channelId: '19:c@thread.tacv2',
      serviceUrl: 'http://127.0.0.1:1/',
      setBy: 'hr',
      setAt: 't',
    };
    await s.settings.setContactChannel(channel);
    await s.faq.publish({
      id: 'ticket-2',
      language: 'nl',
      question: 'V?',
      answer: 'A.',
      publishedAt: '2026-11-02T10:00:00Z',
    });
    await s.faq.publish({
      id: 'ticket-1',
      language: 'en',
      question: 'Q?',
      answer: 'A.',
      publishedAt: '2026-11-02T09:00:00Z',
    });
    await s.faq.publish({
      id: 'ticket-1',
      language: 'en',
      question: 'Changed?',
      answer: 'B.',
      publishedAt: '2026-11-02T11:00:00Z',
    });
    s = await h.reopen(s);
    expect(await s.settings.contactChannel()).toEqual(channel);
    expect((await s.faq.list()).map((e) => [e.id, e.question])).toEqual([
      ['ticket-1', 'Q?'],
      ['ticket-2', 'V?'],
    ]);
  });
});

const member = (name: string, change: Partial<Member> = {}): Member => ({
  key: `${name.toLowerCase()}@contoso.example`,
  name,
  email: `${name.toLowerCase()}@contoso.example`,
  department: 'Facilities',
  role: 'Office manager',
  active: true,
  source: 'csv',
  updatedAt: '2026-11-01T08:00:00.000Z',
  ...change,
});

const campaign = (id: string, createdAt: string, change: Partial<Campaign> = {}): Campaign => ({
  id,
  createdBy: 'hr-1',
  createdAt,
  audience: { kind: 'everyone' },
  due: '2026-11-30',
  recipients: 3,
  ...change,
});

const delivery = (sendId: string, memberKey: string, state: DeliveryState = 'pending'): Delivery => ({
  id: deliveryId(sendId, memberKey),
  sendId,
  kind: 'campaign',
  campaignId: sendId,
  memberKey,
  state,
  attempts: 0,
  updatedAt: '2026-11-02T09:00:00.000Z',
});

describe.each(Object.keys(harnesses))('HR store contract: %s', (name) => {
  let h: Harness;
  const open = async () => {
    h = await (harnesses[name] as () => Promise<Harness>)();
    return h.open();
  };

  it('keeps roster members by key and finds them by Entra object id, across a reopen', async () => {
    let s = await open();
    expect(await s.roster.get('ann@contoso.example')).toBeUndefined();
    expect(await s.roster.byAadObjectId('aad-ann')).toBeUndefined();
    await s.roster.put(member('Ann', { aadObjectId: 'aad-ann' }));
    await s.roster.put(member('Bob', { department: 'Sales', role: 'Receptionist' }));
    await s.roster.put(member('Bob', { department: 'Sales', role: 'Receptionist', active: false }));
    s = await h.reopen(s);
    expect(await s.roster.get('ann@contoso.example')).toEqual(member('Ann', { aadObjectId: 'aad-ann' }));
    expect((await s.roster.byAadObjectId('AAD-ANN'))?.key).toBe('ann@contoso.example');
    expect((await s.roster.list()).map((m) => [m.key, m.active]).sort()).toEqual([
      ['ann@contoso.example', true],
      ['bob@contoso.example', false],
    ]);
    expect((await s.roster.scan((m) => `${m.name}/${m.role}`)).sort()).toEqual([
      'Ann/Office manager',
      'Bob/Receptionist',
    ]);
    const copy = await s.roster.get('ann@contoso.example');
    (copy as { name: string }).name = 'tampered';
    expect((await s.roster.get('ann@contoso.example'))?.name).toBe('Ann');
    await s.close();
  });

  it('reads the roster a page at a time: every member once, pages no larger than asked, as scan() reads them', async () => {
    const s = await open();
    const names = Array.from({ length: 23 }, (_, i) => `Person ${String(i).padStart(2, '0')}`);
    for (const name of names) await s.roster.put(member(name));
    const pages: (readonly string[])[] = [];
    for await (const page of s.roster.scanPages?.((m) => m.name, 5) ?? []) pages.push(page);
    expect(pages.flat().sort()).toEqual(names);
    expect(Math.max(...pages.map((page) => page.length))).toBeLessThanOrEqual(5);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(pages.flat().sort()).toEqual((await s.roster.scan((m) => m.name)).sort());
    await s.close();
  });

  it("keeps a member's manager across a reopen, and a scan finds a manager's reports", async () => {
    let s = await open();
    await s.roster.put(member('Ann', { aadObjectId: 'aad-ann', manager: 'mia@contoso.example' }));
    await s.roster.put(member('Bob', { manager: 'aad-mia' }));
    s = await h.reopen(s);
    expect(await s.roster.get('ann@contoso.example')).toEqual(
      member('Ann', { aadObjectId: 'aad-ann', manager: 'mia@contoso.example' }),
    );
    expect((await s.roster.scan((m) => (m.manager === 'aad-mia' ? m.key : undefined))).filter(Boolean)).toEqual([
      'bob@contoso.example',
    ]);
    await s.close();
  });

  it('follows a member whose Entra object id changes, and an id that moves to another member', async () => {
    let s = await open();
    await s.roster.put(member('Ann', { aadObjectId: 'aad-old' }));
    await s.roster.put(member('Ann', { aadObjectId: 'aad-new' }));
    await s.roster.put(member('Bob', { aadObjectId: 'aad-shared' }));
    await s.roster.put(member('Cem', { aadObjectId: 'aad-shared' }));
    s = await h.reopen(s);
    expect((await s.roster.byAadObjectId('aad-new'))?.key).toBe('ann@contoso.example');
    expect(await s.roster.byAadObjectId('aad-old')).toBeUndefined();
    expect((await s.roster.byAadObjectId('aad-shared'))?.key).toBe('cem@contoso.example');
    await s.close();
  });

  it('creates a campaign once however often it is confirmed, even at the same moment', async () => {
    let s = await open();
    const first = await s.campaigns.create(campaign('card-1', '2026-11-02T10:00:00.000Z'));
    const again = await s.campaigns.create(campaign('card-1', '2026-11-02T10:00:05.000Z', { recipients: 99 }));
    expect(first).toEqual({ campaign: campaign('card-1', '2026-11-02T10:00:00.000Z'), created: true });
    expect(again).toEqual({ campaign: campaign('card-1', '2026-11-02T10:00:00.000Z'), created: false });
    const raced = await Promise.all([
      s.campaigns.create(campaign('card-2', '2026-11-03T10:00:00.000Z')),
      s.campaigns.create(campaign('card-2', '2026-11-03T10:00:00.000Z')),
    ]);
    expect(raced.filter((r) => r.created)).toHaveLength(1);
    await s.campaigns.create(campaign('card-0', '2026-11-01T10:00:00.000Z'));
    s = await h.reopen(s);
    expect((await s.campaigns.list()).map((c) => c.id)).toEqual(['card-0', 'card-1', 'card-2']);
    expect((await s.campaigns.get('card-1'))?.recipients).toBe(3);
    expect(await s.campaigns.get('card-9')).toBeUndefined();
    await s.close();
  });

  it('adds each delivery once, lists them per send, and keeps them across a reopen', async () => {
    let s = await open();
    expect(await s.deliveries.add([delivery('c1', 'ann'), delivery('c1', 'bob'), delivery('c1', 'bob')])).toBe(2);
    expect(await s.deliveries.add([delivery('c1', 'bob', 'sent'), delivery('c1', 'cem'), delivery('r1', 'ann')])).toBe(
      2,
    );
    s = await h.reopen(s);
    expect((await s.deliveries.get(deliveryId('c1', 'bob')))?.state).toBe('pending');
    expect((await s.deliveries.forSend('c1')).map((d) => d.memberKey).sort()).toEqual(['ann', 'bob', 'cem']);
    expect((await s.deliveries.forSend('r1')).map((d) => d.memberKey)).toEqual(['ann']);
    expect(await s.deliveries.forSend('nothing')).toEqual([]);
    await s.close();
  });

  it('keeps the enrolment rule, changed atomically, when members became active and enrolment deliveries, across a reopen', async () => {
    let s = await open();
    const rule = { sendAfterDays: 3, dueDays: 14, since: 'T0', paused: false, changedBy: 'hr', changedAt: 'T0' };
    expect(await s.enrolment.enrolmentRule()).toBeUndefined();
    expect(await s.enrolment.updateEnrolmentRule((current) => (current ? undefined : rule))).toEqual(rule);
    const paused = await Promise.all(
      [1, 2].map(() => s.enrolment.updateEnrolmentRule((c) => (c && !c.paused ? { ...c, paused: true } : undefined))),
    );
    expect(paused.map((r) => r?.paused)).toEqual([true, true]);
    const joined = { ...member('Cas'), activeSince: '2026-11-02T10:00:00.000Z' };
    await s.roster.put(joined);
    const id = enrolmentDeliveryId(joined.key, joined.activeSince);
    const enrol = { ...delivery(ENROLMENT_SEND_ID, joined.key), id, campaignId: ENROLMENT_SEND_ID };
    expect(await s.deliveries.add([enrol, enrol])).toBe(1);
    s = await h.reopen(s);
    expect(await s.enrolment.enrolmentRule()).toEqual({ ...rule, paused: true });
    expect(await s.roster.get(joined.key)).toEqual(joined);
    expect(await s.deliveries.add([enrol])).toBe(0);
    expect((await s.deliveries.forSend(ENROLMENT_SEND_ID)).map((d) => d.id)).toEqual([id]);
    await s.close();
  });

  it('updates a delivery atomically: no change is lost when many happen at once', async () => {
    const s = await open();
    await s.deliveries.add([delivery('c1', 'ann')]);
    const id = deliveryId('c1', 'ann');
    await Promise.all(
      Array.from({ length: 25 }, () => s.deliveries.update(id, (d) => ({ ...d, attempts: d.attempts + 1 }))),
    );
    expect((await s.deliveries.get(id))?.attempts).toBe(25);
    const claims = await Promise.all(
      Array.from({ length: 5 }, () =>
        s.deliveries.update(id, (d) => (d.state === 'pending' ? { ...d, state: 'sending' } : undefined)),
      ),
    );
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    expect(await s.deliveries.update('c1/nobody', (d) => ({ ...d, state: 'sent' }))).toBeUndefined();
    expect(await s.deliveries.get('c1/nobody')).toBeUndefined();
    await s.close();
  });

  it('lists as open only the deliveries that are not final', async () => {
    let s = await open();
    const states: DeliveryState[] = ['pending', 'sending', 'retrying', 'sent', 'unreachable', 'failed', 'unconfirmed'];
    await s.deliveries.add(states.map((state) => delivery(state === 'pending' ? 'c2' : 'c1', state, state)));
    s = await h.reopen(s);
    expect((await s.deliveries.open()).map((d) => d.state).sort()).toEqual(['pending', 'retrying', 'sending']);
    await s.deliveries.update(deliveryId('c1', 'retrying'), (d) => ({ ...d, state: 'sent' }));
    expect((await s.deliveries.open()).map((d) => d.state).sort()).toEqual(['pending', 'sending']);
    await s.close();
  });

  it('keeps assignments, changed atomically, across a reopen', async () => {
    let s = await open();
    expect(await s.assignments.update('ann', (a) => a)).toBeUndefined();
    expect(await s.assignments.get('ann')).toBeUndefined();
    await s.assignments.update('ann', () => ({ key: 'ann', due: '2026-11-30', campaignId: 'c1' }));
    await Promise.all([
      s.assignments.update('ann', (a) =>
        a ? { ...a, reach: { ok: false, reason: '403 ConversationBlockedByUser', at: 't1' } } : undefined,
      ),
      s.assignments.update('ann', (a) => (a ? { ...a, lastReminderAt: 't2' } : undefined)),
    ]);
    await s.assignments.update('bob', () => ({ key: 'bob', due: '2026-12-15', campaignId: 'c2' }));
    s = await h.reopen(s);
    expect(await s.assignments.get('ann')).toEqual({
      key: 'ann',
      due: '2026-11-30',
      campaignId: 'c1',
      reach: { ok: false, reason: '403 ConversationBlockedByUser', at: 't1' },
      lastReminderAt: 't2',
    });
    expect((await s.assignments.scan((a) => `${a.key}:${a.due}`)).sort()).toEqual(['ann:2026-11-30', 'bob:2026-12-15']);
    await s.close();
  });

  it('takes one inventory answer per person, counts each platform once per answer, and keeps the published totals, across a reopen', async () => {
    let s = await open();
    expect(await s.inventory.totals()).toEqual({ respondents: 0, counts: {} });
    expect(await s.inventory.answer('u1', ['linkedin', 'x'])).toBe(1);
    expect(await s.inventory.answer('u1', ['tiktok'])).toBeUndefined();
    const raced = await Promise.all([
      s.inventory.answer('u2', ['linkedin']),
      s.inventory.answer('u2', ['linkedin', 'blog']),
    ]);
    expect(raced.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await s.inventory.answer('u3', ['instagram', 'instagram'])).toBe(3);
    expect(await s.inventory.answer('u4', [])).toBe(4);
    s = await h.reopen(s);
    expect(await s.inventory.answered('u1')).toBe(true);
    expect(await s.inventory.answered('u9')).toBe(false);
    expect(await s.inventory.totals()).toEqual({ respondents: 0, counts: {} });
    expect(await s.inventory.answer('u5', ['none'])).toBe(5);
    const counts = await s.inventory.counts();
    expect(counts).toEqual({ linkedin: 2, x: 1, instagram: 1, none: 1 });
    await s.inventory.publish({ respondents: 5, counts });
    // An older reading published late changes nothing.
    await s.inventory.publish({ respondents: 4, counts: {} });
    s = await h.reopen(s);
    expect(await s.inventory.totals()).toEqual({ respondents: 5, counts });
    await s.close();
  });

  it('publishes inventory totals only in steps of five answers (InventoryService on this store), across a reopen', async () => {
    let s = await open();
    const people = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    for (const id of people)
      await s.progress.recordAcknowledgement(id, {
        version: 'v1',
        at: '2026-11-02T09:09:00.000Z',
        correct: 1,
        total: 1,
      });
    const inventory = (stores: Stores) => new InventoryService(stores.inventory, stores.progress);
    expect(await inventory(s).answer('u1', 'linkedin,x')).toEqual({ kind: 'recorded' });
    expect(await inventory(s).answer('u1', 'tiktok')).toEqual({ kind: 'already' });
    const raced = await Promise.all([
      inventory(s).answer('u2', 'linkedin'),
      inventory(s).answer('u2', 'linkedin,blog'),
    ]);
    expect(raced.filter((r) => r.kind === 'recorded')).toHaveLength(1);
    expect(await inventory(s).answer('u3', 'instagram,instagram')).toEqual({ kind: 'recorded' });
    expect(await inventory(s).answer('u4', 'none')).toEqual({ kind: 'recorded' });
    s = await h.reopen(s);
    expect(await inventory(s).totals()).toEqual({ respondents: 0, counts: {} });
    expect(await inventory(s).answer('u5', 'none')).toEqual({ kind: 'recorded' });
    const published = await inventory(s).totals();
    expect(published.respondents).toBe(5);
    // Either of u2's racing answers may be the one kept: blog is counted when the second was.
    const blog = raced[1]?.kind === 'recorded' ? { blog: 1 } : {};
    expect(published.counts).toEqual({ linkedin: 2, x: 1, instagram: 1, none: 2, ...blog });
    expect(await inventory(s).answer('u6', 'tiktok')).toEqual({ kind: 'recorded' });
    expect(await inventory(s).totals()).toEqual(published);
    await s.close();
  });

  it('makes one link secret and keeps it, and keeps the last Teams place', async () => {
    let s = await open();
    const secrets = await Promise.all([s.settings.secret(), s.settings.secret()]);
    expect(secrets[0]).toBe(secrets[1]);
    expect(Buffer.from(secrets[0] ?? '', 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(await s.settings.teamsPlace()).toBeUndefined();
    const place = { serviceUrl: 'https://smba.trafficmanager.net/emea/', tenantId: 'tenant-1', botId: '28:bot' };
    await s.settings.setTeamsPlace(place);
    await s.settings.setTeamsPlace({ ...place });
    s = await h.reopen(s);
    expect(await s.settings.secret()).toBe(secrets[0]);
    expect(await s.settings.teamsPlace()).toEqual(place);
    await s.settings.setTeamsPlace({ ...place, serviceUrl: 'https://smba.trafficmanager.net/amer/' });
    expect((await s.settings.teamsPlace())?.serviceUrl).toBe('https://smba.trafficmanager.net/amer/');
    await s.close();
  });

  it('welcomes a chat once within the window, even when asked at the same moment, and again once the window passed or was ended', async () => {
    let s = await open();
    const at = Date.parse('2026-11-02T09:00:00Z');
    expect(
      (
        await Promise.all([s.settings.claimWelcome('a:1', at, 10_000), s.settings.claimWelcome('a:1', at + 1, 10_000)])
      ).sort(),
    ).toEqual([false, true]);
    s = await h.reopen(s);
    expect(await s.settings.claimWelcome('a:1', at + 9_000, 10_000)).toBe(false);
    expect(await s.settings.claimWelcome('a:2', at + 9_000, 10_000)).toBe(true);
    expect(await s.settings.claimWelcome('a:1', at + 10_000, 10_000)).toBe(true);
    await s.settings.endWelcome('a:1');
    expect(await s.settings.claimWelcome('a:1', at + 10_001, 10_000)).toBe(true);
    await s.close();
  });

  it('lets a download link be used once, also across a restart and when used twice at the same moment', async () => {
    let s = await open();
    expect(
      (
        await Promise.all([
          s.settings.useLink('l1', '2026-11-02T09:00:00Z'),
          s.settings.useLink('l1', '2026-11-02T09:00:00Z'),
        ])
      ).sort(),
    ).toEqual([false, true]);
    s = await h.reopen(s);
    expect(await s.settings.useLink('l1', '2026-11-02T09:01:00Z')).toBe(false);
    expect(await s.settings.useLink('l2', '2026-11-02T09:01:00Z')).toBe(true);
    await s.close();
  });
});

/** Keys that are also names of JavaScript object properties: each must be an ordinary key. */
const PROPERTY_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'] as const;

describe.each(Object.keys(harnesses))('property-name keys: %s', (name) => {
  let h: Harness;
  const open = async () => {
    h = await (harnesses[name] as () => Promise<Harness>)();
    return h.open();
  };

  it('keeps course progress, references and events of users with such ids, and nothing for the others', async () => {
    let s = await open();
    for (const key of PROPERTY_KEYS) {
      expect(await s.progress.get(key)).toBeUndefined();
      expect(await s.progress.language(key)).toBeUndefined();
      expect(await s.conversations.get(key)).toBeUndefined();
    }
    for (const key of PROPERTY_KEYS) {
      expect((await s.progress.openLesson(key, `l-${key}`, 't')).lessonsOpened).toEqual([`l-${key}`]);
      expect((await s.progress.recordAnswer(key, answer('q1', 'a'))).created).toBe(true);
      await s.progress.setLanguage(key, 'nl', 't');
      await s.conversations.put(key, {
        serviceUrl: 'http://127.0.0.1:1/',
        channelId: 'msteams',
        conversationId: `a:${key}`,
        botId: '28:b',
      });
      await s.events.append(answeredEvent(`${key}/answered/q1`, key));
    }
    s = await h.reopen(s);
    for (const key of PROPERTY_KEYS) {
      const p = await s.progress.get(key);
      expect(p?.userId).toBe(key);
      expect(p?.lessonsOpened).toEqual([`l-${key}`]);
      expect(p?.answers.q1?.choiceId).toBe('a');
      expect((await s.progress.recordAnswer(key, answer('q1', 'b'))).created).toBe(false);
      expect(await s.progress.language(key)).toBe('nl');
      expect((await s.conversations.get(key))?.conversationId).toBe(`a:${key}`);
      expect((await s.events.list({ userId: key })).map((e) => e.id)).toEqual([`${key}/answered/q1`]);
    }
    expect((await s.progress.scan((p) => p.userId)).sort()).toEqual([...PROPERTY_KEYS].sort());
    await s.close();
  });

  it('keeps tickets, request keys, threads and FAQ entries under such keys', async () => {
    let s = await open();
    for (const key of PROPERTY_KEYS) {
      expect(await s.tickets.byThread(key)).toBeUndefined();
      const number = await s.tickets.nextNumber();
      expect(await s.tickets.remember(key, number)).toBe(number);
      await s.tickets.put({
        number,
        kind: 'question',
        askerId: key,
        anonymous: false,
        language: 'en',
        text: 'Q?',
        status: 'open',
        createdAt: 't',
      });
      await s.tickets.setThread(number, { conversationId: key, rootActivityId: '1' });
      await s.faq.publish({ id: key, language: 'en', question: `${key}?`, answer: 'A.', publishedAt: 't' });
    }
    s = await h.reopen(s);
    for (const [i, key] of PROPERTY_KEYS.entries()) {
      expect(await s.tickets.remember(key, 99)).toBe(i + 1);
      expect((await s.tickets.byThread(key))?.askerId).toBe(key);
    }
    expect((await s.faq.list()).map((e) => e.question).sort()).toEqual(PROPERTY_KEYS.map((k) => `${k}?`).sort());
    await s.close();
  });

  it('keeps roster members, campaigns, deliveries, assignments, uploads and inventory answers under such keys', async () => {
    let s = await open();
    for (const key of PROPERTY_KEYS) {
      expect(await s.roster.get(key)).toBeUndefined();
      expect(await s.roster.byAadObjectId(key)).toBeUndefined();
      expect(await s.campaigns.get(key)).toBeUndefined();
      expect(await s.deliveries.get(deliveryId(key, key))).toBeUndefined();
      expect(await s.assignments.get(key)).toBeUndefined();
      expect(await s.uploads.get(key)).toBeUndefined();
      expect(await s.inventory.answered(key)).toBe(false);
    }
    for (const key of PROPERTY_KEYS) {
      await s.roster.put({ ...member('Ann'), key, aadObjectId: key.toLowerCase() });
      expect((await s.campaigns.create(campaign(key, 't'))).created).toBe(true);
      expect(await s.deliveries.add([delivery(key, key)])).toBe(1);
      await s.assignments.update(key, () => ({ key, due: '2026-11-30' }));
      await s.uploads.put({
        id: key,
        uploadedBy: key,
        fileName: 'r.csv',
        rows: [],
        problems: [],
        keep: [],
        uploadedAt: 't',
      });
      expect(await s.inventory.answer(key, [key])).toBeDefined();
    }
    s = await h.reopen(s);
    for (const key of PROPERTY_KEYS) {
      expect((await s.roster.get(key))?.key).toBe(key);
      expect((await s.roster.byAadObjectId(key))?.key).toBe(key);
      expect((await s.campaigns.create(campaign(key, 'later'))).created).toBe(false);
      expect((await s.campaigns.get(key))?.createdAt).toBe('t');
      expect((await s.deliveries.update(deliveryId(key, key), (d) => ({ ...d, state: 'sent' })))?.memberKey).toBe(key);
      expect((await s.assignments.get(key))?.due).toBe('2026-11-30');
      expect(await s.uploads.markImported(key, 't2')).toBe(true);
      expect(await s.uploads.markImported(key, 't3')).toBe(false);
      expect(await s.inventory.answered(key)).toBe(true);
      expect(await s.inventory.answer(key, ['x'])).toBeUndefined();
    }
    expect((await s.roster.list()).map((m) => m.key).sort()).toEqual([...PROPERTY_KEYS].sort());
    expect((await s.campaigns.list()).map((c) => c.id).sort()).toEqual([...PROPERTY_KEYS].sort());
    for (const key of PROPERTY_KEYS) expect((await s.deliveries.forSend(key)).map((d) => d.memberKey)).toEqual([key]);
    expect(Object.entries(await s.inventory.counts()).sort()).toEqual(PROPERTY_KEYS.map((k) => [k, 1]).sort());
    await s.close();
  });
});

describe.each(Object.keys(harnesses))('refresher store contract: %s', (name) => {
  const open = async () => {
    const h = await (harnesses[name] as () => Promise<Harness>)();
    return { h, s: await h.open() };
  };
  const person = (userId: string) => ({ userId, start: '2026-11-02', due: '2026-11-05', cards: {}, answers: [] });

  it('keeps refreshers, changed atomically, and their due index and day counts across a reopen', async () => {
    const opened = await open();
    let s = opened.s;
    await Promise.all(['u1', 'u2', 'u3'].map((id) => s.refreshers.update(id, (current) => current ?? person(id))));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.refreshers.update(
          'u1',
          (r) =>
            r && {
              ...r,
              answers: [...r.answers, { n: i, questionId: 'q', choiceId: 'a', correct: true, at: T0.toISOString() }],
            },
        ),
      ),
    );
    await s.refreshers.file('2026-11-05', 'u1');
    await s.refreshers.file('2026-11-05', 'u1');
    await s.refreshers.file('2026-11-06', 'u2');
    await s.refreshers.file('2026-11-20', 'u3');
    await Promise.all(Array.from({ length: 7 }, (_, i) => s.refreshers.count('2026-11-05', 'l1', i % 2 === 0)));
    s = await opened.h.reopen(s);
    expect((await s.refreshers.get('u1'))?.answers).toHaveLength(20);
    expect((await s.refreshers.userIds()).sort()).toEqual(['u1', 'u2', 'u3']);
    expect(await s.refreshers.dueBy('2026-11-04', 10)).toEqual([]);
    expect(await s.refreshers.dueBy('2026-11-06', 10)).toEqual([
      { day: '2026-11-05', userId: 'u1' },
      { day: '2026-11-06', userId: 'u2' },
    ]);
    expect(await s.refreshers.dueBy('2026-11-06', 1)).toEqual([{ day: '2026-11-05', userId: 'u1' }]);
    await s.refreshers.unfile([{ day: '2026-11-05', userId: 'u1' }]);
    expect(await s.refreshers.dueBy('2026-11-06', 10)).toEqual([{ day: '2026-11-06', userId: 'u2' }]);
    expect(await s.refreshers.days('2026-11-01', '2026-11-30')).toEqual([
      { day: '2026-11-05', lessons: { l1: [7, 4] } },
    ]);
    await s.close();
  });

  it('finds someone filed under an earlier day than anyone before, and under property-name keys', async () => {
    const { s } = await open();
    await s.refreshers.file('2026-11-20', 'u3');
    expect(await s.refreshers.dueBy('2026-11-25', 10)).toEqual([{ day: '2026-11-20', userId: 'u3' }]);
    for (const key of PROPERTY_KEYS) await s.refreshers.file('2026-11-10', key);
    await s.refreshers.update('__proto__', () => person('__proto__'));
    expect((await s.refreshers.dueBy('2026-11-25', 100)).map((e) => e.userId).sort()).toEqual(
      [...PROPERTY_KEYS, 'u3'].sort(),
    );
    expect((await s.refreshers.get('__proto__'))?.userId).toBe('__proto__');
    await s.close();
  });

  it('counts the days of a range, both ends in it, earliest first', async () => {
    const { s } = await open();
    for (const day of ['2026-12-01', '2026-11-30', '2026-11-05', '2026-11-01', '2026-10-31'])
      await s.refreshers.count(day, 'l1', day !== '2026-11-05');
    expect(await s.refreshers.days('2026-11-01', '2026-11-30')).toEqual([
      { day: '2026-11-01', lessons: { l1: [1, 1] } },
      { day: '2026-11-05', lessons: { l1: [1, 0] } },
      { day: '2026-11-30', lessons: { l1: [1, 1] } },
    ]);
    expect(await s.refreshers.days('2026-11-02', '2026-11-04')).toEqual([]);
    await s.close();
  });

  it('finds everyone due over more days than one read of the index takes, earliest day first', async () => {
    const { s } = await open();
    const first = '2026-09-01';
    const days = Array.from({ length: 60 }, (_, i) => addDays(first, i));
    const last = days.at(-1) as string;
    const filed = days.flatMap((day) => Array.from({ length: 30 }, (_, i) => ({ day, userId: `${day}-u${i}` })));
    for (const day of days)
      await Promise.all(filed.filter((e) => e.day === day).map((e) => s.refreshers.file(e.day, e.userId)));
    const byDay = (entries: readonly DueEntry[]) => entries.map((e) => e.day);
    const sorted = (entries: readonly DueEntry[]) => [...entries].sort((a, b) => a.userId.localeCompare(b.userId));
    const all = await s.refreshers.dueBy(last, 5000);
    expect(byDay(all)).toEqual(byDay(filed));
    expect(sorted(all)).toEqual(sorted(filed));
    expect(byDay(await s.refreshers.dueBy(last, 45))).toEqual([...byDay(filed.slice(0, 45))]);
    await s.refreshers.unfile(filed.slice(0, 40 * 30));
    expect(sorted(await s.refreshers.dueBy(last, 5000))).toEqual(sorted(filed.slice(40 * 30)));
    await s.refreshers.file(days[3] as string, 'late');
    expect((await s.refreshers.dueBy(last, 5000))[0]).toEqual({ day: days[3], userId: 'late' });
    await s.close();
  }, 120_000);
});

describe.each(Object.keys(harnesses))('schedule store contract: %s', (name) => {
  const request = (id: string) => ({
    id,
    createdBy: 'hr',
    audience: 'everyone',
    departments: undefined,
    due: '2026-12-01',
    note: '',
    date: '2026-11-03',
    time: '10:00',
  });

  it('keeps a scheduled campaign across a restart, starts it once, and lets a cancel or a start win, never both', async () => {
    const h = await (harnesses[name] as () => Promise<Harness>)();
    const course = await loadCourse();
    const clock = handClock('2026-11-02T09:00:00Z');
    const service = (stores: Stores) =>
      new ScheduleService(
        new CampaignService(course, stores, clock, 'Europe/Amsterdam'),
        stores.schedules,
        clock,
        'Europe/Amsterdam',
      );
    let s = await h.open();
    await s.roster.put(rosterMember('Ann', { aad: 'a1' }));
    await s.roster.put(rosterMember('Bob', { aad: 'b1' }));
    const raced = await Promise.all([service(s).schedule(request('s-1')), service(s).schedule(request('s-1'))]);
    expect(raced.map((r) => r.kind).sort()).toEqual(['replayed', 'scheduled']);
    await service(s).schedule(request('s-2'));
    s = await h.reopen(s);
    expect((await s.schedules.list()).map((x) => [x.id, x.state, x.at])).toEqual([
      ['s-1', 'scheduled', '2026-11-03T09:00:00.000Z'],
      ['s-2', 'scheduled', '2026-11-03T09:00:00.000Z'],
    ]);
    clock.set('2026-11-03T09:00:00Z');
    const [cancel] = await Promise.all([service(s).cancel('s-2'), service(s).startDue()]);
    const s2 = await s.schedules.get('s-2');
    expect(cancel.kind === 'cancelled').toBe(s2?.state === 'cancelled');
    expect(s2?.state === 'started').toBe((await s.deliveries.forSend('s-2')).length === 2);
    s = await h.reopen(s);
    expect(await service(s).startDue()).toBe(0);
    expect(await s.schedules.get('s-1')).toMatchObject({ state: 'started', recipients: 2 });
    expect((await s.deliveries.forSend('s-1')).map((d) => d.memberKey).sort()).toEqual([
      'ann@contoso.example',
      'bob@contoso.example',
    ]);
    expect((await s.campaigns.list()).length).toBe(s2?.state === 'started' ? 2 : 1);
    await s.close();
  });
});

describe.each(Object.keys(harnesses))('xAPI outbox store contract: %s', (name) => {
  const entry = (id: string): XapiEntry => ({
    id,
    kind: 'acknowledged',
    at: '2026-11-02T09:05:00.000Z',
    version: 'v1',
  });
  const refresher = (n: number) => ({
    n,
    questionId: 'q1',
    choiceId: 'a',
    correct: true,
    at: `2026-11-0${n}T09:00:00Z`,
  });
  const ofRefresher = (a: { n: number }) => entry(`r${a.n}`);

  it('keeps each person’s statements in order across a reopen, once each, and takes delivered ones out', async () => {
    const h = await (harnesses[name] as () => Promise<Harness>)();
    let s = await h.open();
    await Promise.all([s.xapiOutbox.add('a1', [entry('e1'), entry('e2')]), s.xapiOutbox.add('b1', [entry('f1')])]);
    await s.xapiOutbox.add('a1', [entry('e2'), entry('e3')]);
    s = await h.reopen(s);
    expect((await s.xapiOutbox.get('a1'))?.entries.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect((await s.xapiOutbox.waiting()).sort()).toEqual(['a1', 'b1']);
    await s.xapiOutbox.remove('a1', 'e1');
    await s.xapiOutbox.remove('a1', 'e1');
    await s.xapiOutbox.remove('b1', 'f1');
    s = await h.reopen(s);
    expect((await s.xapiOutbox.get('a1'))?.entries.map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(await s.xapiOutbox.waiting()).toEqual(['a1']);
    await s.close();
  });

  it('notes a refresher answer before it is written and takes each answer once, after the last one taken', async () => {
    const h = await (harnesses[name] as () => Promise<Harness>)();
    let s = await h.open();
    await s.xapiOutbox.expectRefresher('a1', '2026-11-02T09:00:00Z');
    s = await h.reopen(s);
    expect(await s.xapiOutbox.waiting()).toEqual(['a1']);
    await s.xapiOutbox.addRefresherAnswers('a1', [refresher(2), refresher(1)], ofRefresher);
    await s.xapiOutbox.addRefresherAnswers('a1', [refresher(1), refresher(2), refresher(3)], ofRefresher);
    s = await h.reopen(s);
    const outbox = await s.xapiOutbox.get('a1');
    expect(outbox?.entries.map((e) => e.id)).toEqual(['r1', 'r2', 'r3']);
    expect(outbox).toMatchObject({ refresherN: 3 });
    expect(outbox?.refresherPending).toBeUndefined();
    await s.close();
  });
});

describe.each(Object.keys(harnesses))('Viva Learning outbox store contract: %s', (name) => {
  const assignment = {
    source: 'c1',
    due: '2026-12-18',
    at: '2026-11-02T09:00:00Z',
    version: 'v1',
    language: 'en',
  } as const;
  const answer = (id: string, questionId: string) => ({ ...answeredEvent(id, 'a1'), questionId }) as CourseEvent;

  it('keeps one waiting state per activity across a reopen, and the id Graph gave it once sent', async () => {
    const h = await (harnesses[name] as () => Promise<Harness>)();
    let s = await h.open();
    await s.vivaOutbox.assign('a1', assignment, 9);
    await s.vivaOutbox.assign('a1', assignment, 9);
    await s.vivaOutbox.event(answer('e1', 'q1'), 'nl', 9);
    await s.vivaOutbox.event(answer('e1', 'q1'), 'nl', 9);
    s = await h.reopen(s);
    const record = await s.vivaOutbox.get('a1');
    expect(record?.entries).toHaveLength(1);
    expect(record?.entries[0]).toMatchObject({ kind: 'assignment', due: '2026-12-18', percent: 10, language: 'en' });
    expect(await s.vivaOutbox.waiting()).toEqual(['a1']);
    const sent = record?.entries[0];
    if (!sent) throw new Error('no entry');
    // A state added while the one before is on its way stays; the activity's Graph id is kept.
    await s.vivaOutbox.event(answer('e2', 'q2'), 'en', 9);
    await s.vivaOutbox.delivered('a1', sent.id, sent.externalId, 'g1');
    s = await h.reopen(s);
    const after = await s.vivaOutbox.get('a1');
    expect(after?.entries.map((e) => e.percent)).toEqual([20]);
    expect(after?.created).toEqual({ [sent.externalId]: 'g1' });
    const last = after?.entries[0];
    if (!last) throw new Error('no entry');
    await s.vivaOutbox.delivered('a1', last.id, last.externalId);
    await s.vivaOutbox.delivered('a1', last.id, last.externalId);
    s = await h.reopen(s);
    expect(await s.vivaOutbox.waiting()).toEqual([]);
    expect((await s.vivaOutbox.get('a1'))?.created).toEqual({ [sent.externalId]: 'g1' });
    await s.close();
  });
});

async function reopened(s: Stores, file: string): Promise<Stores> {
  await s.close();
  return openLowdbStores(file, T0, 1);
}

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
    await s.events.append(answeredEvent('u1/a', 'u1'));
    await s.close();
    await appendFile(storeFiles(file).events, '{"id":"u1/b","ty');
    const again = await openLowdbStores(file, T0, 2);
    await again.events.append(answeredEvent('u1/c', 'u1'));
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

  it('keeps no record on disk that links a person to an inventory answer', async () => {
    const file = await tempFile();
    const s = await openLowdbStores(file, T0, 1);
    const people = ['aad-ann', 'aad-bob', 'aad-cem'];
    await s.inventory.answer('aad-ann', ['linkedin', 'tiktok']);
    await s.inventory.answer('aad-bob', ['youtube']);
    await s.inventory.answer('aad-cem', ['linkedin', 'blog']);
    await s.close();
    const shards = storeFiles(file).shards;
    const records: { table: string; key: string; value: unknown }[] = [];
    for (const name of await readdir(shards)) {
      const text = await readFile(path.join(shards, name), 'utf8');
      if (name.endsWith('.jsonl')) {
        for (const line of text.split('\n').filter((l) => l !== '')) {
          const { t, k, v } = JSON.parse(line) as { t: string; k: string; v: unknown };
          records.push({ table: t, key: k, value: v });
        }
      } else {
        for (const [table, rows] of Object.entries(JSON.parse(text) as Record<string, Record<string, unknown>>)) {
          for (const [key, value] of Object.entries(rows)) records.push({ table, key, value });
        }
      }
    }
    const answers = records.filter((r) => r.table.startsWith('inventory') && r.table !== 'inventoryRespondents');
    expect(answers.length).toBeGreaterThan(0);
    for (const r of answers) for (const person of people) expect(JSON.stringify(r)).not.toContain(person);
    // Only running counts (one per platform, and how many answered) until five answers publish totals.
    for (const r of answers.filter((r) => r.key !== '*respondents')) {
      expect(['linkedin', 'tiktok', 'youtube', 'blog'].filter((p) => JSON.stringify(r).includes(p))).toHaveLength(1);
    }
    for (const r of records.filter((r) => r.table === 'inventoryRespondents')) expect(r.value).toBe(true);
  });

  it('reports a record, also a repeat of its write, only once it is on disk', async () => {
    const file = await tempFile();
    const s = await openLowdbStores(file, T0, 2);
    const done: string[] = [];
    const first = s.progress.recordAnswer('u1', answer('q1', 'a')).then((r) => done.push(`first:${r.created}`));
    const repeat = s.progress
      .recordAnswer('u1', answer('q1', 'b'))
      .then((r) => done.push(`repeat:${r.created}:${r.progress.answers.q1?.choiceId}`));
    // While the first write is on its way to disk, readers see the user as they are on disk.
    expect(await s.progress.get('u1')).toBeUndefined();
    expect(await s.progress.scan((p) => p.userId)).toEqual([]);
    await Promise.all([first, repeat]);
    expect(done).toEqual(['first:true', 'repeat:false:a']);
    expect((await s.progress.get('u1'))?.answers.q1?.choiceId).toBe('a');
    await s.close();
  });

  it('keeps records under property-name keys in the journal and in the snapshot it is folded into', async () => {
    const file = await tempFile();
    let s = await openLowdbStores(file, T0, 1);
    for (const key of PROPERTY_KEYS) await s.progress.openLesson(key, 'l1', 'x');
    s = await reopened(s, file);
    for (const key of PROPERTY_KEYS) expect((await s.progress.get(key))?.lessonsOpened).toEqual(['l1']);
    // Enough big records to fold the journal into the snapshot.
    for (let i = 0; i < 200; i++) await s.progress.recordAnswer(`u${i}`, answer(`q-${'x'.repeat(400)}`, 'a'));
    for (const key of PROPERTY_KEYS) await s.progress.openLesson(key, 'l2', 'y');
    s = await reopened(s, file);
    const snapshot = JSON.parse(await readFile(path.join(storeFiles(file).shards, '0000.json'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.hasOwn(snapshot.progress ?? {}, '__proto__')).toBe(true);
    for (const key of PROPERTY_KEYS) expect((await s.progress.get(key))?.lessonsOpened).toEqual(['l1', 'l2']);
    expect(await s.progress.get('hasOwnProperty2')).toBeUndefined();
    expect(await s.progress.scan((p) => p.userId)).toHaveLength(200 + PROPERTY_KEYS.length);
    await s.close();
  });

  it('refuses a file that is not a Postwise store, naming it', async () => {
    const file = await tempFile();
    const s = await openLowdbStores(file, T0, 2);
    await s.close();
    await writeFile(file, '{"hello":"world"}');
    await expect(openLowdbStores(file, T0, 2)).rejects.toThrow(file);
  });
});
