import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/campaigns/delivery.js';
import type { Change, ChangeLog, LoggedChanges } from '../../src/domain/changes/changeLog.js';
import { AzureChangeLog, minuteOf } from '../../src/storage/azure/changeLog.js';
import { openAzureStores, TablesConnection } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';
import { rosterMember } from '../support/hrFixtures.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

/** A change log on its own prefix, through a counting proxy, with its tables created. */
async function changeLogBehind(): Promise<{ log: AzureChangeLog; proxy: FaultProxy; prefix: string }> {
  const prefix = uniquePrefix();
  const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
  const connection = new TablesConnection({ connectionString: connectionStringTo(proxy.url) }, prefix);
  await connection.createTables();
  return { log: new AzureChangeLog(connection.client('changes')), proxy, prefix };
}

async function allSince(log: ChangeLog, from: number): Promise<LoggedChanges[]> {
  const all: LoggedChanges[] = [];
  for await (const page of log.since(from)) all.push(...page);
  return all;
}

const keysOf = (appends: readonly LoggedChanges[]) =>
  appends.flatMap((a) => a.changes.map((c) => `${c.table}/${c.key}`)).sort();

describe('the change log on Azure Tables (Azurite)', () => {
  it('reads back what was appended since a moment, once per append, with its time and whether it was its own', async () => {
    const { log, proxy } = await changeLogBehind();
    await allSince(log, 0); // learns the store's time
    const before = log.now();
    await log.append([
      { table: 'progress', key: 'u1' },
      { table: 'deliveries', key: 'send/a@x' },
    ]);
    await log.append([{ table: 'members', key: 'a@x' }]);
    const read = await allSince(log, before);
    expect(keysOf(read)).toEqual(['deliveries/send/a@x', 'members/a@x', 'progress/u1']);
    expect(read.every((a) => a.own && a.at >= before && a.at <= log.now())).toBe(true);
    expect(new Set(read.map((a) => a.id)).size).toBe(read.length);
    // Another process's reader sees the same appends, as not its own.
    const other = new AzureChangeLog(log.client);
    const seen = await allSince(other, before);
    expect(seen.map((a) => a.id)).toEqual(read.map((a) => a.id));
    expect(seen.some((a) => a.own)).toBe(false);
    // Nothing is read from after the last append.
    expect(await allSince(log, log.now() + 2_000)).toEqual([]); // the store's time is known to a second
    await proxy.close();
  });

  it('reads the minute partitions since a moment: an overlap reads the same appends again, unchanged', async () => {
    const { log, proxy } = await changeLogBehind();
    await allSince(log, 0); // learns the store's time
    const start = log.now();
    await log.append([{ table: 'progress', key: 'early' }]);
    const middle = log.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    await log.append([{ table: 'progress', key: 'late' }]);
    expect(keysOf(await allSince(log, middle))).toEqual(['progress/late']);
    const first = await allSince(log, start);
    const again = await allSince(log, start);
    expect(again).toEqual(first);
    expect(keysOf(first)).toEqual(['progress/early', 'progress/late']);
    // The query starts at the partition of its moment: one request for an idle log.
    const before = proxy.tally.now();
    await allSince(log, log.now());
    expect(proxy.tally.since(before).requests).toBe(1);
    await proxy.close();
  });

  it('puts appends made together into one request, and a large one in several entities of one transaction', async () => {
    const { log, proxy } = await changeLogBehind();
    const before = proxy.tally.now();
    const at = Date.now() - 2_000; // the store's clock may be a second off this one
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append([{ table: 'progress', key: `u${i}` }])));
    const together = proxy.tally.since(before);
    // The first goes alone; the 49 that came while it was in flight go in the next.
    expect(together.requests).toBe(2);
    const many: Change[] = Array.from({ length: 3_000 }, (_, i) => ({ table: 'members', key: `member${i}@x` }));
    const large = proxy.tally.now();
    await log.append([...many, ...many]);
    const traffic = proxy.tally.since(large);
    expect(traffic.requests).toBe(1);
    expect(traffic.byTable.$batch).toBe(1);
    const read = await allSince(log, at);
    expect(keysOf(read)).toHaveLength(3_050);
    expect(read.length).toBeGreaterThan(3);
    await proxy.close();
  });

  it('lets an append given a wait gather those made meanwhile, and one without a wait write them all at once', async () => {
    const { log, proxy } = await changeLogBehind();
    const at = Date.now() - 2_000;
    const before = proxy.tally.now();
    const appends: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      appends.push(log.append([{ table: 'deliveries', key: `s/u${i}` }], 200));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(appends);
    expect(proxy.tally.since(before).requests).toBe(1);
    const waited = proxy.tally.now();
    const started = Date.now();
    const gathered = log.append([{ table: 'deliveries', key: 's/v1' }], 10_000);
    await log.append([{ table: 'progress', key: 'v2' }]);
    await gathered;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(proxy.tally.since(waited).requests).toBe(1);
    expect(keysOf(await allSince(log, at))).toEqual([
      'deliveries/s/u0',
      'deliveries/s/u1',
      'deliveries/s/u2',
      'deliveries/s/u3',
      'deliveries/s/u4',
      'deliveries/s/v1',
      'progress/v2',
    ]);
    await proxy.close();
  });

  it('tries an append again through faults, stored once, and fails its writers when the store is out', async () => {
    const { log, proxy } = await changeLogBehind();
    const at = Date.now() - 2_000; // the store's clock may be a second off this one
    proxy.set({ reset: 0.3, busy: 0.3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append([{ table: 'progress', key: `u${i % 5}` }])));
    proxy.set({});
    expect(proxy.counts.reset + proxy.counts.busy).toBeGreaterThan(0);
    // Each key in each append once (the first append went alone, the rest came together).
    expect([...new Set(keysOf(await allSince(log, at)))]).toEqual([
      'progress/u0',
      'progress/u1',
      'progress/u2',
      'progress/u3',
      'progress/u4',
    ]);
    proxy.set({ blackHole: true });
    const failing = log.append([{ table: 'progress', key: 'u2' }]);
    await expect(failing).rejects.toThrow(/changes.append/);
    proxy.set({});
    await proxy.close();
  }, 30_000);

  it('files and finds changes by the store’s clock, when two instances’ clocks are 10 minutes apart', async () => {
    const { log, proxy } = await changeLogBehind();
    const minutes = 60_000;
    const behind = new AzureChangeLog(log.client, () => Date.now() - 5 * minutes);
    const ahead = new AzureChangeLog(log.client, () => Date.now() + 5 * minutes);
    // Each learns the store's time from its first answer.
    await allSince(behind, Date.now());
    await allSince(ahead, Date.now());
    expect(Math.abs(ahead.now() - behind.now())).toBeLessThan(3_000);
    expect(Math.abs(ahead.now() - Date.now())).toBeLessThan(3_000);
    const lookedAt = ahead.now() - 30_000;
    await behind.append([{ table: 'progress', key: 'late-clock' }]);
    expect(keysOf(await allSince(ahead, lookedAt))).toEqual(['progress/late-clock']);
    await proxy.close();
  });

  it('prunes the minute partitions before a moment, and again finds nothing to prune', async () => {
    const { log, proxy } = await changeLogBehind();
    const at = Date.now();
    // An old minute, as the log writes it.
    await log.client.createEntity({ partitionKey: minuteOf(at - 2 * 86_400_000), rowKey: 'old', at: 1, keys: '[]' });
    await log.append([{ table: 'progress', key: 'recent' }]);
    expect(await log.prune(at - 86_400_000)).toBe(1);
    expect(await log.prune(at - 86_400_000)).toBe(0);
    expect(keysOf(await allSince(log, 0))).toEqual(['progress/recent']);
    await proxy.close();
  });

  it('is appended to before each write HR’s figures follow, by the Azure stores', async () => {
    const prefix = uniquePrefix();
    const stores = await openAzureStores({ connectionString: azurite.connectionString }, prefix);
    const at = Date.now() - 2_000; // the store's clock may be a second off this one
    const member = rosterMember('Anna');
    await stores.roster.put(member);
    await stores.progress.setLanguage('u1', 'nl', 't');
    await stores.assignments.update(member.key, () => ({ key: member.key, campaignId: 'c1', due: '2026-12-01' }));
    const delivery: Delivery = {
      id: 'c1/a@x',
      sendId: 'c1',
      kind: 'campaign',
      campaignId: 'c1',
      memberKey: 'a@x',
      state: 'pending',
      attempts: 0,
      updatedAt: 't',
    };
    await stores.deliveries.add([delivery]);
    await stores.settings.recordVersionName('v1', 'name');
    expect(keysOf(await allSince(stores.changes as ChangeLog, at))).toEqual([
      `assignments/${member.key}`,
      'deliveries/c1/a@x',
      `members/${member.key}`,
      'progress/u1',
    ]);
    await stores.close();
  });
});
