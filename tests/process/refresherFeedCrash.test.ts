import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliveryId, isFinal, type Delivery } from '../../src/domain/campaigns/delivery.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeActivityFeed } from '../support/fakeActivityFeed.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { FakeEntra } from '../support/fakeEntra.js';
import { rosterMember } from '../support/hrFixtures.js';
import { shippedContent } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';
import { TENANT } from '../support/tenants.js';

const tempDir = useTempDirs('refresher-feed-crash');
const PEOPLE = 12;
const SEND = 'refresher:2026-11-09';

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * People with a chat they last used in January, each with a refresher issued and its delivery open, as a refresher
 * round leaves them.
 */
async function seed(dataFile: string, connectorUrl: string): Promise<string[]> {
  const content = await shippedContent();
  const questionId = content.courses.en.lessons[0]?.questions[0]?.id ?? '';
  const stores = await openLowdbStores(dataFile, new Date());
  const at = '2026-11-09T09:00:00Z';
  const ids = Array.from({ length: PEOPLE }, (_, i) => `0000000d-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const deliveries: Delivery[] = [];
  for (const [i, aad] of ids.entries()) {
    const member = rosterMember(`Person${i}`, { aad });
    await stores.roster.put(member);
    await stores.conversations.put(aad, {
      serviceUrl: connectorUrl,
      channelId: 'msteams',
      conversationId: `a:${aad}`,
      botId: '28:postwise-bot',
      tenantId: TENANT,
      lastTurn: '2026-01-05',
    });
    await stores.refreshers.update(aad, () => ({
      userId: aad,
      start: '2026-10-20',
      due: '2099-01-05',
      cards: {},
      answers: [],
      issued: { n: 1, questionId, day: '2026-11-09', at },
      week: '2026-11-09',
    }));
    deliveries.push({
      id: deliveryId(SEND, member.key),
      sendId: SEND,
      kind: 'refresher',
      memberKey: member.key,
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

describe('refreshers in the activity feed across kill -9', () => {
  it(
    'give each person at most one notice and their card once, the card also after a notice in flight',
    {
      timeout: 90_000,
    },
    async () => {
      const dataFile = path.join(await tempDir(), 'data', 'postwise.json');
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
      // The feed takes the notices at once but answers late: the kill comes while the bot waits for that answer.
      feed.delayMs = 2_000;
      const first = startBotProcess(env);
      let second: ReturnType<typeof startBotProcess> | undefined;
      const cards = (id: string) =>
        connector.calls.filter((c) => c.method === 'POST' && c.conversationId === `a:${id}` && c.activity.attachments);
      try {
        await first.listening;
        await until(() => feed.taken.length >= 1, 30_000);
        first.child.kill('SIGKILL');
        await first.exited;
        const requestsAtKill = feed.requests.length;

        feed.delayMs = 0;
        second = startBotProcess(env);
        await second.listening;
        await until(() => ids.every((id) => cards(id).length > 0), 40_000);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        second.child.kill('SIGTERM');
        await second.exited;

        const stores = await openLowdbStores(dataFile, new Date());
        const deliveries = await stores.deliveries.forSend(SEND);
        await stores.close();
        expect(deliveries.map((d) => [isFinal(d.state), d.channel])).toEqual(ids.map(() => [true, 'chat']));
        expect(deliveries.every((d) => d.state === 'sent')).toBe(true);
        // The notices in flight at the kill were not sent again, and nobody got one twice.
        expect(feed.requests.length).toBe(requestsAtKill);
        for (const id of ids) expect(feed.to(id).length).toBeLessThanOrEqual(1);
        expect(feed.taken.length).toBeGreaterThan(0);
        // Everyone got their refresher card, once.
        for (const id of ids) expect(cards(id)).toHaveLength(1);
        expect(feed.requests.every((r) => r.authorization === `Bearer ${entra.token}`)).toBe(true);
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
