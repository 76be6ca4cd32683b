import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/time/clock.js';
import { deliveryId, type Delivery } from '../../src/domain/campaigns/delivery.js';
import {
  classify,
  DEFAULT_RETRY,
  MAX_RETRY_AFTER_MS,
  retryAfterMs,
  type RequestOutcome,
} from '../../src/domain/campaigns/deliveryPolicy.js';
import type { Member } from '../../src/domain/roster/roster.js';
import { DeliveryWorker, type DeliveryWorkerDeps } from '../../src/delivery/worker.js';
import type { Log } from '../../src/log.js';
import type { Stores } from '../../src/storage/stores.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { memoryStores } from '../../src/storage/memory.js';
import { ConnectorRequests, type AppInstaller } from '../../src/teams/connectorRequests.js';
import { FakeConnector, type FakeConnectorOptions } from '../support/fakeConnector.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('delivery');
const T0 = new Date('2026-11-02T09:00:00Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const BOT = '28:00000000-0000-4000-8000-0000000000b0';
const SEND = 'campaign-1';
const BLOCKED = 'blocked or removed the app (403 ConversationBlockedByUser)';
const NO_ID = 'no Entra object id and no chat with the bot yet';
const NO_ROSTER = 'no longer on the roster';

const aad = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const key = (i: number) => `person${i}@contoso.example`;
const name = (i: number) => `Person ${i}`;

/** How one roster member is set up, and what the fake connector does with them. */
interface Person {
  readonly i: number;
  /** Has an Entra object id on the roster (default true). */
  readonly aad?: boolean;
  /** The id of a stored personal chat, if the bot has one. */
  readonly stored?: string;
  readonly active?: boolean;
  /** Not on the roster at all (a delivery for someone since removed). */
  readonly missing?: boolean;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function connector(options: FakeConnectorOptions): Promise<FakeConnector> {
  const fake = await FakeConnector.start(options);
  closers.push(() => fake.close());
  return fake;
}

/** A log that keeps its lines, to check they hold no personal data. */
function keptLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (event, fields = {}) => lines.push(JSON.stringify({ event, ...fields })),
    error: (event, error) => lines.push(JSON.stringify({ event, error: String(error) })),
  };
}

/** Puts the people on the roster (with their stored chats) and one pending delivery each. */
async function seed(stores: Stores, fake: FakeConnector, people: readonly Person[]): Promise<void> {
  await stores.settings.setTeamsPlace({ serviceUrl: fake.url, tenantId: TENANT, botId: BOT });
  for (const p of people) {
    if (!p.missing) {
      const member: Member = {
        key: key(p.i),
        name: name(p.i),
        email: key(p.i),
        department: p.i % 2 ? 'Sales' : 'Office',
        role: 'Clerk',
        ...(p.aad === false ? {} : { aadObjectId: aad(p.i) }),
        active: p.active ?? true,
        source: 'csv',
        updatedAt: T0.toISOString(),
      };
      await stores.roster.put(member);
    }
    if (p.stored)
      await stores.conversations.put(aad(p.i), {
        serviceUrl: fake.url,
        channelId: 'msteams',
        conversationId: p.stored,
        botId: BOT,
        tenantId: TENANT,
      });
  }
  const deliveries: Delivery[] = people.map((p) => ({
    id: deliveryId(SEND, key(p.i)),
    sendId: SEND,
    kind: 'campaign',
    campaignId: SEND,
    memberKey: key(p.i),
    state: 'pending',
    attempts: 0,
    updatedAt: T0.toISOString(),
  }));
  expect(await stores.deliveries.add(deliveries)).toBe(people.length);
}

function worker(stores: Stores, fake: FakeConnector, options: Partial<DeliveryWorkerDeps> = {}): DeliveryWorker {
  return new DeliveryWorker({
    ...stores,
    sender: new ConnectorRequests(async () => undefined, stores.conversations),
    messages: {
      compose: async (delivery, member) => ({
        type: 'message',
        text: `Hello ${member.name}`,
        value: { campaign: delivery.campaignId },
      }),
    },
    clock: systemClock,
    log: keptLog(),
    rate: 100,
    serviceUrl: fake.url,
    random: () => 0.5,
    retry: { baseMs: 100 },
    ...options,
  });
}

/** Runs a worker until no delivery is open. */
async function deliverAll(w: DeliveryWorker): Promise<void> {
  await w.start();
  await w.idle();
  await w.stop();
}

/** The conversation id each person's message should land in. */
const chatOf = (p: Person) => (p.stored && !p.stored.startsWith('gone:') ? p.stored : `a:${aad(p.i)}`);

function range(from: number, to: number, make: (i: number) => Person): Person[] {
  return Array.from({ length: to - from }, (_, k) => make(from + k));
}

describe('delivery policy', () => {
  const now = new Date('2026-11-02T09:00:00Z');
  const at = (outcome: RequestOutcome, attempt = 1, random = 0.5) =>
    classify(outcome, attempt, 'send', now, () => random);
  const status = (s: number, code?: string, retryAfter?: string): RequestOutcome => ({
    kind: 'response',
    status: s,
    ...(code ? { code } : {}),
    ...(retryAfter ? { retryAfter } : {}),
  });

  it('tells HR in plain words why a person cannot be reached, and never retries a 403 or 404', () => {
    expect(at(status(201))).toEqual({ kind: 'sent' });
    expect(at(status(403, 'ConversationBlockedByUser'))).toEqual({
      kind: 'unreachable',
      reason: BLOCKED,
      problem: 'blocked',
    });
    expect(at(status(403, 'MessageWritesBlocked'))).toEqual({
      kind: 'unreachable',
      reason: 'blocked or removed the app (403 MessageWritesBlocked)',
      problem: 'blocked',
    });
    expect(at(status(403, 'BotDisabledByAdmin'))).toEqual({
      kind: 'unreachable',
      reason: 'the app is turned off by an admin (403 BotDisabledByAdmin)',
      problem: 'app-disabled',
    });
    expect(at(status(403, 'Forbidden'))).toEqual({
      kind: 'unreachable',
      reason: 'Teams refused to deliver to them (403 Forbidden)',
      problem: 'refused',
    });
    expect(at(status(404, 'ConversationNotFound'))).toMatchObject({
      kind: 'unreachable',
      reason: expect.stringContaining('(404 ConversationNotFound)'),
      problem: 'not-installed',
    });
    expect(at(status(400, 'BadArgument'))).toEqual({
      kind: 'failed',
      reason: 'Teams rejected the message (400 BadArgument)',
      problem: 'rejected',
    });
  });

  it('retries 412 and 5xx with jittered exponential backoff, a bounded number of times', () => {
    for (const s of [412, 502, 503, 504]) expect(at(status(s))).toMatchObject({ kind: 'retry' });
    expect(at(status(503), 1, 0)).toMatchObject({ delayMs: 500 });
    expect(at(status(503), 1, 1)).toMatchObject({ delayMs: 1000 });
    expect(at(status(503), 3, 0)).toMatchObject({ delayMs: 2000 });
    expect(at(status(503), 3, 1)).toMatchObject({ delayMs: 4000 });
    const capped = classify(status(503), 9, 'send', now, () => 1, { ...DEFAULT_RETRY, maxAttempts: 20 });
    expect(capped).toMatchObject({ kind: 'retry', delayMs: 60_000 });
    expect(at(status(503, 'ServiceUnavailable'), DEFAULT_RETRY.maxAttempts)).toEqual({
      kind: 'failed',
      reason: 'gave up after 5 attempts: Teams was unavailable (503 ServiceUnavailable)',
      problem: 'gave-up',
    });
    expect(at(status(503, undefined, '10'))).toMatchObject({ kind: 'retry', delayMs: 10_000 });
  });

  it('pauses everything for a 429 as long as Retry-After says, in seconds or as a date', () => {
    expect(at(status(429, 'TooManyRequests', '2'))).toEqual({
      kind: 'throttled',
      pauseMs: 2000,
      reason: 'Teams asked to slow down (429 TooManyRequests)',
    });
    expect(at(status(429, undefined, 'Mon, 02 Nov 2026 09:00:03 GMT'))).toMatchObject({
      kind: 'throttled',
      pauseMs: 3000,
    });
    expect(at(status(429), 1, 0)).toMatchObject({ kind: 'throttled', pauseMs: 500 });
    expect(at(status(429), DEFAULT_RETRY.maxThrottledAttempts)).toMatchObject({ kind: 'failed' });
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('99999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('never resends a message whose connection broke after it went out', () => {
    expect(at({ kind: 'network', code: 'ECONNRESET', reached: true })).toMatchObject({ kind: 'unconfirmed' });
    expect(at({ kind: 'network', code: 'ECONNREFUSED', reached: false })).toMatchObject({
      kind: 'retry',
      reason: 'connection failed (ECONNREFUSED)',
    });
    expect(classify({ kind: 'network', code: 'ECONNRESET', reached: true }, 1, 'create', now, () => 0.5)).toMatchObject(
      { kind: 'retry' },
    );
  });

  it('treats a failed install by its Graph status', () => {
    expect(at({ kind: 'install-failed', status: 404 })).toMatchObject({ kind: 'unreachable' });
    expect(at({ kind: 'install-failed', status: 503 })).toMatchObject({ kind: 'retry' });
    expect(at({ kind: 'install-failed' })).toMatchObject({ kind: 'retry' });
    expect(at({ kind: 'install-failed', status: 0 })).toMatchObject({ kind: 'retry' });
    expect(at({ kind: 'install-failed', status: 403 })).toEqual({
      kind: 'failed',
      reason: 'installing the app failed (Graph 403)',
      problem: 'install-failed',
    });
  });
});

describe.each(['memory', 'lowdb'] as const)('a campaign to 200 people (%s store)', (kind) => {
  it('reaches everyone reachable exactly once, lists the others with reasons, and keeps under the limit', async () => {
    const fake = await connector({ throttle: { requests: 150, windowMs: 1000 } });
    const stores =
      kind === 'memory' ? memoryStores() : await openLowdbStores(path.join(await tempDir(), 'postwise.json'), T0, 8);
    closers.push(() => stores.close());
    const groups = {
      stored: range(0, 110, (i) => ({ i, stored: `a:stored-${i}` })),
      created: range(110, 150, (i) => ({ i })),
      blockedStored: range(150, 155, (i) => ({ i, stored: `a:stored-${i}` })),
      blockedNew: range(155, 160, (i) => ({ i })),
      noId: range(160, 170, (i) => ({ i, aad: false })),
      flakyStored: range(170, 175, (i) => ({ i, stored: `a:stored-${i}` })),
      flakyNew: range(175, 180, (i) => ({ i })),
      gone: range(180, 185, (i) => ({ i, stored: `gone:${i}` })),
      inactive: range(185, 190, (i) => ({ i, stored: `a:stored-${i}`, active: false })),
      missing: range(190, 195, (i) => ({ i, missing: true })),
      late: range(195, 200, (i) => ({ i, stored: `a:stored-${i}` })),
    };
    for (const p of groups.blockedStored) fake.blocked.add(p.stored as string);
    for (const p of groups.blockedNew) fake.blocked.add(aad(p.i));
    for (const p of groups.flakyStored) fake.unavailable.set(p.stored as string, 2);
    for (const p of groups.flakyNew) fake.unavailable.set(aad(p.i), 1);
    for (const p of groups.gone) fake.gone.add(p.stored as string);
    const everyone = Object.values(groups).flat();
    expect(everyone).toHaveLength(200);
    await seed(stores, fake, everyone);
    const log = keptLog();
    const w = worker(stores, fake, { log });

    await deliverAll(w);

    const reachable = [
      ...groups.stored,
      ...groups.created,
      ...groups.flakyStored,
      ...groups.flakyNew,
      ...groups.gone,
      ...groups.late,
    ];
    expect(reachable).toHaveLength(170);
    for (const p of reachable) expect(fake.delivered.get(chatOf(p)), name(p.i)).toBe(1);
    expect([...fake.delivered.keys()].sort()).toEqual(reachable.map(chatOf).sort());
    const texts = new Map(
      fake.calls.filter((c) => c.method === 'POST' && c.activity.text).map((c) => [c.conversationId, c.activity.text]),
    );
    for (const p of reachable) expect(texts.get(chatOf(p))).toBe(`Hello ${name(p.i)}`);

    const byKey = new Map((await stores.deliveries.forSend(SEND)).map((d) => [d.memberKey, d]));
    const expectState = (people: Person[], state: string, reason?: string) => {
      for (const p of people)
        expect(byKey.get(key(p.i)), name(p.i)).toMatchObject({ state, ...(reason ? { reason } : {}) });
    };
    expectState(reachable, 'sent');
    expectState([...groups.blockedStored, ...groups.blockedNew], 'unreachable', BLOCKED);
    expectState(groups.noId, 'unreachable', NO_ID);
    expectState([...groups.inactive, ...groups.missing], 'unreachable', NO_ROSTER);
    for (const p of groups.flakyStored) expect(byKey.get(key(p.i))?.attempts).toBe(3);
    for (const p of groups.flakyNew) expect(byKey.get(key(p.i))?.attempts).toBe(2);
    for (const p of groups.stored) expect(byKey.get(key(p.i))?.attempts).toBe(1);

    // New chats are kept for next time, under the person's Entra object id; gone ones replaced.
    for (const p of [...groups.created, ...groups.gone])
      expect((await stores.conversations.get(aad(p.i)))?.conversationId).toBe(`a:${aad(p.i)}`);
    const created = fake.calls.find((c) => c.conversationId === `a:${aad(110)}` && c.parameters)?.parameters;
    expect(created).toEqual({
      isGroup: false,
      bot: { id: BOT },
      members: [{ id: aad(110) }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });

    expect(await stores.assignments.get(key(0))).toMatchObject({ reach: { ok: true } });
    expect(await stores.assignments.get(key(150))).toMatchObject({ reach: { ok: false, reason: BLOCKED } });
    expect(await stores.assignments.get(key(160))).toMatchObject({ reach: { ok: false, reason: NO_ID } });

    // Paced at two thirds of the limit, no request was refused; the worker counted each one the connector saw.
    expect(fake.throttled).toBe(0);
    expect(w.progress).toMatchObject({
      sent: 170,
      unreachable: 30,
      failed: 0,
      unconfirmed: 0,
      throttled: 0,
      requests: fake.received,
    });
    const logged = log.lines.join('\n');
    for (const p of everyone) {
      expect(logged).not.toContain(aad(p.i));
      expect(logged).not.toContain(key(p.i));
    }
  });
});

describe('Teams throttling', () => {
  it('after a 429 sends nothing at all until Retry-After has passed, and still reaches everyone once', async () => {
    const fake = await connector({ throttle: { requests: 30, windowMs: 1000, retryAfterSeconds: 1 } });
    const stores = memoryStores();
    const people = range(0, 60, (i) => ({ i, stored: `a:stored-${i}` }));
    await seed(stores, fake, people);
    const w = worker(stores, fake, { rate: 60 });

    await deliverAll(w);

    expect(fake.throttled).toBeGreaterThan(0);
    expect(w.progress.throttled).toBe(fake.throttled);
    // Requests already on their way when the 429 came back may arrive just after it; then nothing until Retry-After.
    for (const refused of fake.requests.filter((r) => r.status === 429)) {
      const during = fake.requests.filter((r) => r.at > refused.at + 250 && r.at < refused.at + 1000);
      expect(during).toEqual([]);
    }
    for (const p of people) expect(fake.delivered.get(chatOf(p))).toBe(1);
    const deliveries = await stores.deliveries.forSend(SEND);
    expect(deliveries.every((d) => d.state === 'sent')).toBe(true);
    expect(deliveries.some((d) => d.attempts > 1)).toBe(true);
  });
});

describe("the pace at the tenant's real limit", () => {
  it('logs the rate it rose to as people write it (33, not 33.000000000000004)', async () => {
    const fake = await connector({});
    const stores = memoryStores();
    const people = range(0, 90, (i) => ({ i, stored: `a:stored-${i}` }));
    await seed(stores, fake, people);
    const log = keptLog();
    const w = worker(stores, fake, { rate: 30, maxRate: 80, log });
    await deliverAll(w);
    expect(w.progress.rate).toBeGreaterThan(30);
    const idle = log.lines
      .map((line) => JSON.parse(line) as { event: string; rate?: unknown })
      .find((e) => e.event === 'delivery.idle');
    expect(idle?.rate).toBe(w.progress.rate);
    expect(String(idle?.rate)).toMatch(/^\d+(\.\d)?$/);
  });

  it('rises from the start rate until Teams refuses, then holds at the limit it found, each message once', async () => {
    // Teams takes 40 requests in any second here; the worker starts at 30/s and is not told.
    const fake = await connector({ throttle: { requests: 40, windowMs: 1000, retryAfterSeconds: 1 } });
    const stores = memoryStores();
    const people = range(0, 240, (i) => (i % 10 === 0 ? { i } : { i, stored: `a:stored-${i}` }));
    await seed(stores, fake, people);
    const log = keptLog();
    const w = worker(stores, fake, { rate: 30, maxRate: 80, log });

    await deliverAll(w);

    for (const p of people) expect(fake.delivered.get(chatOf(p)), name(p.i)).toBe(1);
    // Creating a chat and sending both count: 24 chats, 240 messages, and the refused ones again.
    expect(fake.received).toBe(240 + 24 + fake.throttled);
    expect(w.progress.requests).toBe(fake.received);
    // It found the limit with a refusal or a few (a request slow on its way can make it look one higher), then kept
    // under it.
    expect(fake.throttled).toBeGreaterThanOrEqual(1);
    expect(fake.throttled).toBeLessThanOrEqual(4);
    expect(w.progress.rate).toBeGreaterThan(35);
    expect(w.progress.rate).toBeLessThanOrEqual(40);
    expect(log.lines.some((line) => line.includes('"event":"delivery.throttled"'))).toBe(true);
    // What it learnt is kept for the next worker, with when.
    const learnt = await stores.settings.learntLimit();
    expect(learnt?.limit).toBe(w.progress.rate);
    expect(Date.now() - Date.parse(learnt?.at ?? '')).toBeLessThan(60_000);
  });

  it('rises to the 50 a second Microsoft documents and holds there: no 429 to find it, nothing learnt', async () => {
    const fake = await connector({ throttle: { requests: 50, windowMs: 1000, retryAfterSeconds: 1 } });
    const stores = memoryStores();
    const people = range(0, 200, (i) => ({ i, stored: `a:stored-${i}` }));
    await seed(stores, fake, people);
    const w = worker(stores, fake, { rate: 45, maxRate: 60 });

    await deliverAll(w);

    for (const p of people) expect(fake.delivered.get(chatOf(p)), name(p.i)).toBe(1);
    expect(fake.throttled).toBe(0);
    expect(w.progress.rate).toBe(50);
    expect(await stores.settings.learntLimit()).toBeUndefined();
  });

  it('a restarted worker starts at the limit learnt in the last day, not at POSTWISE_SEND_RATE; an older one is learnt again', async () => {
    const run = async (learntAgoMs: number) => {
      const fake = await connector({ throttle: { requests: 20, windowMs: 1000, retryAfterSeconds: 1 } });
      const stores = memoryStores();
      const people = range(0, 30, (i) => ({ i, stored: `a:stored-${i}` }));
      await seed(stores, fake, people);
      await stores.settings.setLearntLimit({ limit: 20, at: new Date(Date.now() - learntAgoMs).toISOString() });
      await deliverAll(worker(stores, fake, { rate: 45, maxRate: 60 }));
      for (const p of people) expect(fake.delivered.get(chatOf(p)), name(p.i)).toBe(1);
      return fake.throttled;
    };
    expect(await run(60 * 60_000)).toBe(0);
    expect(await run(25 * 60 * 60_000)).toBeGreaterThan(0);
  });
});

describe('the delivery queue', () => {
  it('wakes a sleeping worker: what a campaign adds goes out at once, not at the next look a minute later', async () => {
    const fake = await connector({});
    const stores = memoryStores();
    await seed(stores, fake, []);
    const people = range(0, 3, (i) => ({ i, stored: `a:stored-${i}` }));
    for (const p of people)
      await stores.conversations.put(aad(p.i), {
        serviceUrl: fake.url,
        channelId: 'msteams',
        conversationId: `a:stored-${p.i}`,
        botId: BOT,
        tenantId: TENANT,
      });
    for (const p of people)
      await stores.roster.put({
        key: key(p.i),
        name: name(p.i),
        email: key(p.i),
        department: 'Office',
        role: 'Clerk',
        aadObjectId: aad(p.i),
        active: true,
        source: 'csv',
        updatedAt: T0.toISOString(),
      });
    const w = worker(stores, fake);
    await w.start();
    closers.push(() => w.stop());
    // Nothing open: the worker sleeps for up to a minute.
    await sleep(100);
    const added = await w.queue.add(
      people.map((p): Delivery => ({
        id: deliveryId(SEND, key(p.i)),
        sendId: SEND,
        kind: 'campaign',
        campaignId: SEND,
        memberKey: key(p.i),
        state: 'pending',
        attempts: 0,
        updatedAt: T0.toISOString(),
      })),
    );
    expect(added).toBe(3);
    for (let waited = 0; waited < 3000 && (await w.queue.forSend(SEND)).some((d) => d.state !== 'sent'); waited += 50)
      await sleep(50);
    expect((await w.queue.forSend(SEND)).map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
    for (const p of people) expect(fake.delivered.get(chatOf(p))).toBe(1);
  });
});

describe('a stopped or killed worker', () => {
  it('resumes on the same store: still exactly once for everyone, and what was in flight is never resent', async () => {
    const fake = await connector({ throttle: { requests: 150, windowMs: 1000 } });
    const file = path.join(await tempDir(), 'postwise.json');
    let stores = await openLowdbStores(file, T0, 8);
    const people = range(0, 120, (i) => (i % 4 === 0 ? { i } : { i, stored: `a:stored-${i}` }));
    await seed(stores, fake, people);
    const first = worker(stores, fake);
    await first.start();
    while (first.progress.sent < 40) await sleep(10);
    await first.stop();
    const sentFirst = first.progress.sent;
    expect(sentFirst).toBeLessThan(120);
    await stores.close();

    stores = await openLowdbStores(file, T0, 8);
    closers.push(() => stores.close());
    const open = await stores.deliveries.open();
    expect(open.filter((d) => d.state === 'sending')).toEqual([]);
    expect(open.length).toBe(120 - sentFirst);
    // What a process killed mid-request leaves behind: one delivery marked `sending`.
    const inFlight = open[0] as Delivery;
    await stores.deliveries.update(inFlight.id, (d) => ({ ...d, state: 'sending', attempts: d.attempts + 1 }));
    const second = worker(stores, fake);
    await deliverAll(second);

    const killed = people.find((p) => key(p.i) === inFlight.memberKey) as Person;
    expect(fake.delivered.get(chatOf(killed))).toBeUndefined();
    expect(await stores.deliveries.get(inFlight.id)).toMatchObject({
      state: 'unconfirmed',
      reason: expect.stringContaining('not sent again'),
    });
    for (const p of people) if (p !== killed) expect(fake.delivered.get(chatOf(p)), name(p.i)).toBe(1);
    expect(second.progress).toMatchObject({ sent: 120 - sentFirst - 1, unconfirmed: 1 });
    expect((await stores.deliveries.open()).length).toBe(0);
  });
});

describe('proactive install', () => {
  it('installs the app before creating a chat, and says who it could not be installed for', async () => {
    const fake = await connector({});
    const stores = memoryStores();
    closers.push(() => stores.close());
    const people = range(0, 6, (i) => (i < 2 ? { i, stored: `a:stored-${i}` } : { i }));
    await seed(stores, fake, people);
    const installed: string[] = [];
    let flaky = 1;
    /** Stands in for Microsoft Graph's installedApps endpoint: 404 for a user without Teams, one 503. */
    const graph: AppInstaller = {
      install: async (id) => {
        if (id === aad(4)) throw Object.assign(new Error('Not Found'), { status: 404 });
        if (id === aad(5) && flaky-- > 0) throw Object.assign(new Error('Service Unavailable'), { status: 503 });
        installed.push(id);
      },
    };
    await deliverAll(
      worker(stores, fake, { sender: new ConnectorRequests(async () => undefined, stores.conversations, graph) }),
    );

    expect(installed.sort()).toEqual([aad(2), aad(3), aad(5)]);
    for (const p of [0, 1, 2, 3, 5]) expect(fake.delivered.get(chatOf(people[p] as Person))).toBe(1);
    expect(fake.chats.has(aad(4))).toBe(false);
    expect(await stores.deliveries.get(deliveryId(SEND, key(4)))).toMatchObject({
      state: 'unreachable',
      reason: expect.stringContaining('could not be installed'),
    });
  });

  it('without a known tenant, a person with no chat yet fails with the reason and nothing is sent', async () => {
    const fake = await connector({});
    const stores = memoryStores();
    await seed(stores, fake, [{ i: 0 }]);
    const empty = memoryStores();
    await deliverAll(worker({ ...stores, settings: empty.settings }, fake));
    expect(fake.received).toBe(0);
    expect(await stores.deliveries.get(deliveryId(SEND, key(0)))).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('no Teams tenant known yet'),
    });
  });
});

describe('an old leader that wakes up late', () => {
  it('sends nothing a newer leader has taken on: each person gets the message once', async () => {
    const fake = await connector({});
    const stores = memoryStores();
    const people = range(0, 60, (i) => ({ i, stored: `a:stored-${i}` }));
    await seed(stores, fake, people);
    const old = worker(stores, fake, { generation: 1, rate: 20, concurrency: 1 });
    await old.start();
    while (old.progress.sent < 5) await sleep(5);
    // A newer leader takes every open delivery on, then is slow to send them.
    const newer = worker(stores, fake, { generation: 2 });
    await newer.start();
    await newer.stop();
    const sentByOldWhenTakenOver = old.progress.sent;
    await sleep(1000);
    // At most the one message the old leader had in flight when the newer one took over.
    expect(old.progress.sent).toBeLessThanOrEqual(sentByOldWhenTakenOver + 1);
    await old.stop();
    const next = worker(stores, fake, { generation: 2 });
    await deliverAll(next);
    for (const p of people) expect(fake.delivered.get(chatOf(p)), name(p.i)).toBeLessThanOrEqual(1);
    const all = await stores.deliveries.forSend(SEND);
    expect(all.filter((d) => d.state !== 'sent' && d.state !== 'unconfirmed')).toEqual([]);
    expect(old.progress.sent + next.progress.sent + newer.progress.unconfirmed).toBe(60);
    expect(fake.delivered.size).toBe(old.progress.sent + next.progress.sent);
  });

  it('a new leader sends before it has taken on the whole queue it found, and reaches everyone once', async () => {
    const fake = await connector({});
    const stores = memoryStores();
    const people = range(0, 1000, (i) => ({ i, stored: `a:stored-${i}` }));
    await seed(stores, fake, people);
    const newer = worker(stores, fake, { generation: 2, rate: 50 });
    await newer.start();
    while (fake.received === 0) await sleep(1);
    // Taken on so far: the part sent first and the part after it, not all 1,000.
    const takenOn = (await stores.deliveries.forSend(SEND)).filter((d) => d.generation === 2);
    expect(takenOn.length).toBeGreaterThanOrEqual(100);
    expect(takenOn.length).toBeLessThanOrEqual(200);
    await newer.stop();
    await deliverAll(worker(stores, fake, { generation: 2, rate: 1000 }));
    for (const p of people) expect(fake.delivered.get(chatOf(p)), name(p.i)).toBe(1);
  });
});
