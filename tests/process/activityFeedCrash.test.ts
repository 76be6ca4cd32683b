import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliveryId, isFinal, type Delivery } from '../../src/domain/campaigns/delivery.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeActivityFeed } from '../support/fakeActivityFeed.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { FakeEntra } from '../support/fakeEntra.js';
import { rosterMember } from '../support/hrFixtures.js';
import { useTempDirs } from '../support/tempDirs.js';
import { TENANT } from '../support/tenants.js';

const tempDir = useTempDirs('feed-crash');
const PEOPLE = 20;
const SEND = 'reminder:2026-12-15';

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A campaign due 18 December and one reminder of it per person, open, as a reminder round leaves them. */
async function seed(dataFile: string, connectorUrl: string): Promise<string[]> {
  const stores = await openLowdbStores(dataFile, new Date());
  const at = '2026-12-15T09:00:00Z';
  await stores.campaigns.create({
    id: 'c1',
    createdBy: 'hr',
    createdAt: '2026-11-02T09:00:00Z',
    audience: { kind: 'everyone' },
    due: '2026-12-18',
    recipients: PEOPLE,
  });
  const ids = Array.from({ length: PEOPLE }, (_, i) => `0000000a-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const deliveries: Delivery[] = [];
  for (const [i, aad] of ids.entries()) {
    const member = rosterMember(`Person${i}`, { aad });
    await stores.roster.put(member);
    // Half have a chat with the bot (their notices go in bulk), half not (one request each).
    if (i % 2 === 0)
      await stores.conversations.put(aad, {
        serviceUrl: connectorUrl,
        channelId: 'msteams',
        conversationId: `a:${aad}`,
        botId: '28:postwise-bot',
        tenantId: TENANT,
      });
    deliveries.push({
      id: deliveryId(SEND, member.key),
      sendId: SEND,
      kind: 'reminder',
      campaignId: 'c1',
      memberKey: member.key,
      recipient: { aadObjectId: aad },
      state: 'pending',
      attempts: 0,
      updatedAt: at,
    });
  }
  await stores.deliveries.add(deliveries);
  await stores.settings.setTeamsPlace({ serviceUrl: connectorUrl, tenantId: TENANT, botId: '28:postwise-bot' });
  await stores.close();
  return ids;
}

describe('the activity feed across kill -9', () => {
  it(
    'gives each person their notice at most once, and every notice not in flight exactly once',
    { timeout: 90_000 },
    async () => {
      const dataFile = path.join(await tempDir(), 'data', 'postwise.json');
      // Tokens come the way they do on Azure: from Entra's token endpoint, for the app's id and secret.
      const entra = await FakeEntra.start();
      const feed = await FakeActivityFeed.start();
      feed.token = entra.token;
      const connector = await FakeConnector.start();
      const ids = await seed(dataFile, connector.url);
      const env = {
        PORT: '0',
        POSTWISE_DATA_FILE: dataFile,
        POSTWISE_ALLOWED_TENANTS: TENANT,
        POSTWISE_ACTIVITY_FEED: 'on',
        POSTWISE_GRAPH_URL: feed.url,
        ...entra.env(),
      };
      // The feed takes each notice at once but answers late: a kill catches notices it took that the bot has not
      // recorded as sent.
      feed.delayMs = 400;
      const first = startBotProcess(env);
      let second: ReturnType<typeof startBotProcess> | undefined;
      try {
        await first.listening;
        await until(() => feed.taken.length >= 6, 30_000);
        first.child.kill('SIGKILL');
        await first.exited;
        const takenAtKill = feed.taken.length;
        const requestsAtKill = feed.requests.length;

        feed.delayMs = 0;
        second = startBotProcess(env);
        await second.listening;
        // The restarted bot sends what is still open; then it goes quiet.
        let seen = -1;
        await until(async () => {
          const quiet = seen === feed.requests.length;
          seen = feed.requests.length;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          return quiet && seen > requestsAtKill;
        }, 40_000);
        second.child.kill('SIGTERM');
        await second.exited;

        const stores = await openLowdbStores(dataFile, new Date());
        const deliveries = await stores.deliveries.forSend(SEND);
        await stores.close();
        const byPerson = new Map(deliveries.map((d) => [d.recipient?.aadObjectId, d]));
        const states = deliveries.map((d) => d.state);
        expect(deliveries.every((d) => isFinal(d.state) && d.channel === 'feed')).toBe(true);
        // Nothing twice: no person's notice reached the feed more than once.
        for (const id of ids) expect(feed.to(id).length).toBeLessThanOrEqual(1);
        // Those in flight at the kill were not sent again; every other one went after the restart.
        const unconfirmed = deliveries.filter((d) => d.state === 'unconfirmed');
        expect(unconfirmed.length).toBeGreaterThan(0);
        expect(states.filter((s) => s !== 'sent' && s !== 'unconfirmed')).toEqual([]);
        for (const id of ids) {
          const delivery = byPerson.get(id);
          if (delivery?.state === 'sent') expect(feed.to(id)).toHaveLength(1);
        }
        // Every notice in flight had reached the feed (it takes each before answering): none was lost either.
        expect(ids.filter((id) => feed.to(id).length === 0)).toEqual([]);
        expect(feed.taken.length).toBe(PEOPLE);
        expect(takenAtKill).toBeLessThan(PEOPLE);
        expect(feed.bulk.length).toBeGreaterThan(0);
        expect(feed.requests.some((r) => r.userId !== '')).toBe(true);
        // Every request carried the token Entra gave for Graph.
        expect(feed.requests.every((r) => r.authorization === `Bearer ${entra.token}`)).toBe(true);
        expect(entra.requests.filter((r) => r.status === 200).map((r) => r.scope)).toContain(
          'https://graph.microsoft.com/.default',
        );
        // The chat was never used.
        expect(connector.calls.filter((c) => c.method === 'POST')).toEqual([]);
      } finally {
        first.child.kill('SIGKILL');
        second?.child.kill('SIGKILL');
        await connector.close();
        await feed.close();
        await entra.close();
      }
    },
  );
});
