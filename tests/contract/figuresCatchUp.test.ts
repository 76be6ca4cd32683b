import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryId, type Delivery } from '../../src/domain/campaigns/delivery.js';
import type { ChangeLog } from '../../src/domain/changes/changeLog.js';
import { CHANGE_HORIZON_MS, FiguresCatchUp } from '../../src/domain/figures/catchUp.js';
import type { FiguresFeed } from '../../src/domain/figures/figuresFeed.js';
import { openAzureStores, TablesConnection } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { describeTraffic, type Traffic } from '../support/countingProxy.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { FaultProxy } from '../support/faultProxy.js';
import { startHarness, type BotHarness } from '../support/harness.js';
import { completeCourseInStore, loadCourse, rosterMember } from '../support/hrFixtures.js';
import { hrUser, HR_ID } from '../support/hrPeople.js';
import { seedSharedRoster } from '../support/sharedCampaign.js';
import { TENANT } from '../support/tenants.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

const ANNA_ID = '0b6c1f7e-2a44-4d1b-9f3e-5c8a7d6e4b21';
const now = new Date('2026-11-07T10:00:00Z');

async function until(done: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An instance of the bot on the shared tables at `endpoint` (Azurite, or a proxy in front of it). */
async function instance(endpoint: string, prefix: string, connector?: FakeConnector): Promise<BotHarness> {
  const connectionString = connectionStringTo(endpoint);
  const stores = await openAzureStores({ connectionString }, prefix);
  const h = await startHarness({
    stores,
    ...(connector ? { connector } : {}),
    clock: { now: () => new Date(now) },
    env: {
      POSTWISE_STORE: 'azure-tables',
      POSTWISE_TABLES_CONNECTION_STRING: connectionString,
      POSTWISE_TABLE_PREFIX: prefix,
      POSTWISE_HR_USERS: HR_ID,
    },
  });
  await until(() => h.log.lines.some((line) => line.includes('"event":"figures.ready"')));
  return h;
}

/** Completed and active people, as HR's coverage card on `h` says. */
async function coverage(h: BotHarness): Promise<{ completed: number; active: number }> {
  const shown = await hrUser(h).say('coverage');
  const found = /(\d+) of (\d+) people on the roster/.exec(JSON.stringify(shown.cards));
  if (!found) throw new Error('no coverage summary on the card');
  return { completed: Number(found[1]), active: Number(found[2]) };
}

describe('HR’s figures on instances that share Azure Tables (Azurite)', () => {
  it('show a course completed on one instance on another within 10 s', { timeout: 120_000 }, async () => {
    const prefix = uniquePrefix();
    const seeding = await openAzureStores({ connectionString: azurite.connectionString }, prefix);
    await seeding.roster.put(rosterMember('Anna', { aad: ANNA_ID }));
    await seeding.roster.put(rosterMember('Bob'));
    await seeding.close();
    const a = await instance(azurite.endpoint, prefix);
    const b = await instance(azurite.endpoint, prefix);
    try {
      expect(await coverage(b)).toEqual({ completed: 0, active: 2 });
      await completeCourseInStore(a.stores, await loadCourse(), ANNA_ID);
      const written = Date.now();
      expect(await coverage(a)).toEqual({ completed: 1, active: 2 });
      await until(async () => (await coverage(b)).completed === 1, 10_000);
      const delay = Date.now() - written;
      console.log(`write on one instance -> figures on the other: ${delay} ms`);
      expect(delay).toBeLessThan(10_000);
      expect(b.log.lines.some((line) => line.includes('"event":"figures.caught-up"'))).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('catch up while idle at the same cost for a roster ten times larger', { timeout: 180_000 }, async () => {
    const sizes = [200, 2_000];
    const measured = await Promise.all(
      sizes.map(async (size) => {
        const prefix = uniquePrefix();
        const connector = await FakeConnector.start();
        // Written as the migration writes them: no changes announced, the roster is simply there.
        await new TablesConnection({ connectionString: azurite.connectionString }, prefix).createTables();
        await seedSharedRoster({ connectionString: azurite.connectionString }, prefix, connector, size, TENANT);
        const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
        const h = await instance(proxy.url, prefix, connector);
        expect((await coverage(h)).active).toBe(size);
        return { size, proxy, h, connector };
      }),
    );
    // What starting costs (a read of every table) is behind them; then a minute's idle traffic is taken from 20 s.
    await new Promise((r) => setTimeout(r, 5_000));
    const before = measured.map(({ proxy }) => proxy.tally.now());
    await new Promise((r) => setTimeout(r, 20_000));
    const perMinute = measured.map(({ proxy }, i): Traffic => {
      const t = proxy.tally.since(before[i] as Traffic);
      const times3 = (counts: Record<string, number>) =>
        Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n * 3]));
      return {
        requests: t.requests * 3,
        bytesIn: t.bytesIn * 3,
        bytesOut: t.bytesOut * 3,
        byMethod: times3(t.byMethod),
        byTable: times3(t.byTable),
      };
    });
    await Promise.all(
      measured.map(async ({ h, proxy, connector }) => (await h.close(), proxy.close(), connector.close())),
    );
    const [small, large] = perMinute as [Traffic, Traffic];
    console.log(
      [
        `idle minute, ${sizes[0]} members:  ${describeTraffic(small)}`,
        `idle minute, ${sizes[1]} members: ${describeTraffic(large)}`,
        `ratio: ${(large.requests / small.requests).toFixed(2)}x requests, ` +
          `${(large.bytesOut / small.bytesOut).toFixed(2)}x bytes`,
      ].join('\n'),
    );
    // A pass every 2 s, each one request to the change log.
    for (const t of perMinute) expect(t.byTable.changes ?? 0).toBeGreaterThanOrEqual(24);
    expect(large.requests).toBeLessThanOrEqual(small.requests * 1.1);
    expect(large.bytesOut).toBeLessThanOrEqual(small.bytesOut * 1.2);
  });

  it('reads a changed record when first seen and past the horizon, never its own, none whose write never landed', async () => {
    const prefix = uniquePrefix();
    const account = { connectionString: azurite.connectionString };
    const [writer, reader] = await Promise.all([openAzureStores(account, prefix), openAzureStores(account, prefix)]);
    const told: string[] = [];
    const feed: FiguresFeed = {
      progressWritten: (p) => told.push(`progress/${p.userId}`),
      memberPut: (m) => told.push(`members/${m.key}`),
      assignmentWritten: (a) => told.push(`assignments/${a.key}`),
      deliveryWritten: (d) => told.push(`deliveries/${d.id}`),
      deliveriesAdded: () => undefined,
    };
    let clock = Date.now();
    const catchUp = new FiguresCatchUp(reader.changes as ChangeLog, reader, feed, () => clock);
    const own = new FiguresCatchUp(writer.changes as ChangeLog, writer, feed, () => clock);
    await writer.progress.setLanguage('u1', 'nl', 't1');
    await writer.progress.setLanguage('u1', 'en', 't2');
    const anna = rosterMember('Anna');
    await writer.roster.put(anna);
    // Announced, then the process stopped before the write.
    await (writer.changes as ChangeLog).append([{ table: 'progress', key: 'never-written' }]);
    clock = Date.now();
    expect(await catchUp.pass()).toEqual({ changes: 4, read: 3 });
    expect(told.sort()).toEqual([`members/${anna.key}`, 'progress/u1']);
    expect(await catchUp.pass()).toEqual({ changes: 0, read: 0 });
    clock += CHANGE_HORIZON_MS + 2_000; // past the horizon, whatever second the store's clock is off
    told.length = 0;
    expect(await catchUp.pass()).toEqual({ changes: 4, read: 3 });
    expect(told.sort()).toEqual([`members/${anna.key}`, 'progress/u1']);
    clock += 2_000;
    expect(await catchUp.pass()).toEqual({ changes: 0, read: 0 });
    expect(await own.pass()).toEqual({ changes: 0, read: 0 });
    await Promise.all([writer.close(), reader.close()]);
  });

  it('reads a campaign’s deliveries back a key range at a time, added or sent, not one by one', async () => {
    const prefix = uniquePrefix();
    const writer = await openAzureStores({ connectionString: azurite.connectionString }, prefix);
    const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
    const reader = await openAzureStores({ connectionString: connectionStringTo(proxy.url) }, prefix);
    const told = new Map<string, string>();
    const feed: FiguresFeed = {
      progressWritten: () => undefined,
      memberPut: () => undefined,
      assignmentWritten: () => undefined,
      deliveryWritten: (d) => told.set(d.memberKey, d.state),
      deliveriesAdded: () => undefined,
    };
    const catchUp = new FiguresCatchUp(reader.changes as ChangeLog, reader.changedRecords ?? reader, feed, Date.now);
    const people = Array.from({ length: 1000 }, (_, i) => `person${String(i).padStart(4, '0')}@contoso.example`);
    const added = (memberKey: string): Delivery => ({
      id: deliveryId('campaign-1', memberKey),
      sendId: 'campaign-1',
      kind: 'campaign',
      campaignId: 'campaign-1',
      memberKey,
      state: 'pending',
      attempts: 0,
      updatedAt: now.toISOString(),
    });
    await writer.deliveries.add(people.map(added));
    let before = proxy.tally.now();
    expect(await catchUp.pass()).toEqual({ changes: 1000, read: 1000 });
    expect(told.size).toBe(1000);
    expect([...told.values()].every((state) => state === 'pending')).toBe(true);
    // One at a time this took 1,000 requests (70 in a run gathered).
    expect(proxy.tally.since(before).byTable.deliveries).toBeLessThanOrEqual(150);
    // The worker sends in key order: the next pass reads those it sent, together.
    const sent = people.slice(200, 300);
    await Promise.all(
      sent.map((key) =>
        writer.deliveries.update(deliveryId('campaign-1', key), (d) => ({ ...d, state: 'sent', attempts: 1 })),
      ),
    );
    before = proxy.tally.now();
    expect(await catchUp.pass()).toEqual({ changes: 100, read: 100 });
    expect(sent.every((key) => told.get(key) === 'sent')).toBe(true);
    expect(people.filter((key) => told.get(key) === 'sent')).toHaveLength(100);
    expect(proxy.tally.since(before).byTable.deliveries).toBeLessThanOrEqual(20);
    await proxy.close();
    await Promise.all([writer.close(), reader.close()]);
  });
});
