import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { isFinal } from '../../src/domain/campaigns/delivery.js';
import { openAzureStores, type TablesAccount } from '../../src/storage/azure/stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { FaultProxy } from '../support/faultProxy.js';
import { poster, TestUser, type Endpoint } from '../support/harness.js';
import {
  duplicatesAndLost,
  finalDeliveries,
  messagesTo,
  seedSharedRoster,
  sendCampaignToEveryone,
} from '../support/sharedCampaign.js';

const HR_ID = '3d7f0a52-8e1b-4c6d-9f2a-5b8c1e4d7a90';
/** Short, so that three leases pass quickly. */
const LEASE_SECONDS = 3;
const FIVE_MINUTES_MS = 5 * 60_000;
/** Preloaded into an instance whose wall clock is off by CLOCK_OFFSET_MS. */
const CLOCK_OFFSET = path.join(PROJECT_ROOT, 'tests', 'support', 'clockOffset.ts');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let azurite: Azurite;
let connector: FakeConnector;
beforeAll(async () => {
  [azurite, connector] = await Promise.all([startAzurite(), FakeConnector.start()]);
}, 30_000);
afterAll(async () => {
  await connector?.close();
  await azurite?.stop();
});

/** Fresh shared tables, and a way to start instances on them, each through its own table endpoint. */
async function deployment(sendRate: number, leaseSeconds = LEASE_SECONDS) {
  const prefix = uniquePrefix();
  const account: TablesAccount = { connectionString: azurite.connectionString };
  const stores: Stores = await openAzureStores(account, prefix);
  const env = {
    PORT: '0',
    POSTWISE_STORE: 'azure-tables',
    POSTWISE_TABLE_PREFIX: prefix,
    POSTWISE_LEASE_SECONDS: String(leaseSeconds),
    POSTWISE_SERVICE_URL: connector.url,
    POSTWISE_HR_USERS: HR_ID,
    POSTWISE_SEND_RATE: String(sendRate),
    POSTWISE_SEND_RATE_MAX: String(sendRate),
  };
  const started: ReturnType<typeof startBotProcess>[] = [];
  const start = (tableEndpoint: string, clockOffsetMs = 0) => {
    const connection = { POSTWISE_TABLES_CONNECTION_STRING: connectionStringTo(tableEndpoint) };
    const bot =
      clockOffsetMs === 0
        ? startBotProcess({ ...env, ...connection })
        : startBotProcess({ ...env, ...connection, CLOCK_OFFSET_MS: String(clockOffsetMs) }, { preload: CLOCK_OFFSET });
    started.push(bot);
    const endpoint = bot.listening.then((url): Endpoint => ({ connector, post: poster(url, connector) }));
    endpoint.catch(() => {});
    const log = () => bot.output().stdout;
    /** The generations this instance led in, in order. */
    const led = () => [...log().matchAll(/"event":"lease.leading","generation":(\d+)/g)].map((m) => Number(m[1]));
    return { ...bot, endpoint, log, led };
  };
  const stopAll = () => {
    for (const bot of started) bot.child.kill('SIGKILL');
  };
  return { prefix, account, stores, start, stopAll };
}

async function until(condition: () => boolean, deadline: number): Promise<void> {
  while (!condition() && Date.now() < deadline) await pause(50);
}

describe('one leader across two instances, whatever the network and the clocks', () => {
  it(
    'hands sending over when the leader is black-holed for three leases during a campaign to 1,000 people: ' +
      'nobody gets the message twice, nobody is lost, and every delivery is final after healing',
    { timeout: 150_000 },
    async () => {
      const members = 1000;
      const deadline = Date.now() + 120_000;
      const d = await deployment(100);
      const proxies = await Promise.all([FaultProxy.start(azurite.endpoint), FaultProxy.start(azurite.endpoint)]);
      const [toA, toB] = proxies;
      try {
        const a = d.start(toA.url);
        await a.endpoint;
        await until(() => a.led().length > 0, deadline);
        const b = d.start(toB.url);
        const hr = Object.assign(new TestUser(await b.endpoint, 'en-US', 'Henk HR'), { aadObjectId: HR_ID });
        const people = await seedSharedRoster(d.account, d.prefix, connector, members, hr.tenantId);
        await sendCampaignToEveryone(hr);
        const [campaign] = await d.stores.campaigns.list();
        const sendId = campaign?.id ?? '';

        await until(() => messagesTo(connector, people) >= members / 4, deadline);
        toA.set({ blackHole: true });
        const cutAt = messagesTo(connector, people);
        await pause(3 * LEASE_SECONDS * 1000);
        // Cut off, the leader stepped down and the other instance took over with a newer generation.
        expect(a.log()).toContain('"event":"lease.following"');
        expect(b.led()).toHaveLength(1);
        const duringCut = messagesTo(connector, people);
        toA.heal();

        const deliveries = await finalDeliveries(d.stores, sendId, deadline);
        expect(deliveries).toHaveLength(members);
        expect(deliveries.filter((x) => !isFinal(x.state))).toEqual([]);
        expect(duplicatesAndLost(connector, people, deliveries, sendId)).toEqual({ duplicates: [], lost: [] });
        const sent = deliveries.filter((x) => x.state === 'sent').length;
        const unconfirmed = deliveries.filter((x) => x.state === 'unconfirmed').length;
        expect(sent + unconfirmed).toBe(members);
        // At most what the old leader had in flight (its concurrency) when it was cut off.
        expect(unconfirmed).toBeLessThanOrEqual(32);
        expect(duringCut).toBeGreaterThan(cutAt);
        expect(b.led()[0]).toBeGreaterThan(a.led()[0] as number);
        // Healed, the old leader follows: it never led again.
        expect(a.led()).toHaveLength(1);
        console.info(`black-holed leader: ${sent} sent, ${unconfirmed} unconfirmed, cut at ${cutAt} messages`);
      } finally {
        d.stopAll();
        await Promise.all(proxies.map((p) => p.close()));
      }
    },
  );

  it(
    'keeps one leader when the other instance’s clock is 5 minutes ahead, and sends a campaign once to each',
    { timeout: 120_000 },
    async () => {
      const members = 500;
      const deadline = Date.now() + 100_000;
      // A longer lease than above, so a machine too busy to renew in time does not move leadership here.
      const d = await deployment(25, 5);
      try {
        const a = d.start(azurite.endpoint);
        await a.endpoint;
        await until(() => a.led().length > 0, deadline);
        const ahead = d.start(azurite.endpoint, FIVE_MINUTES_MS);
        const hr = Object.assign(new TestUser(await ahead.endpoint, 'en-US', 'Henk HR'), { aadObjectId: HR_ID });
        const people = await seedSharedRoster(d.account, d.prefix, connector, members, hr.tenantId, 1);
        const before = Date.now();
        await sendCampaignToEveryone(hr);
        const [campaign] = await d.stores.campaigns.list();
        // The campaign was stamped by the instance whose clock is ahead.
        expect(Date.parse(campaign?.createdAt ?? '') - before).toBeGreaterThan(FIVE_MINUTES_MS - 5_000);

        const deliveries = await finalDeliveries(d.stores, campaign?.id ?? '', deadline);
        expect(deliveries.map((x) => x.state)).toEqual(Array<string>(members).fill('sent'));
        expect(duplicatesAndLost(connector, people, deliveries, campaign?.id ?? '')).toEqual({
          duplicates: [],
          lost: [],
        });
        // The send took several leases, and leadership never moved: one leader all along.
        expect(a.led()).toHaveLength(1);
        expect(a.log()).not.toContain('"event":"lease.following"');
        expect(ahead.led()).toEqual([]);
      } finally {
        d.stopAll();
      }
    },
  );
});
