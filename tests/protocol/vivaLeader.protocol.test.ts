import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadership } from '../../src/domain/leadership.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FakeVivaGraph } from '../support/fakeVivaGraph.js';
import { startHarness } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

/** An instance that never becomes the leader. */
const follower: Leadership = { start: async () => {}, stop: async () => {} };

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Viva Learning on Azure Tables', () => {
  it(
    'an instance that does not lead only fills the shared outbox; the leader sends it',
    { timeout: 60_000 },
    async () => {
      const graph = await FakeVivaGraph.start();
      const prefix = uniquePrefix();
      const account = { connectionString: azurite.connectionString };
      const graphCredential = {
        getToken: async () => ({ token: graph.token, expiresOnTimestamp: Date.now() + 3_600_000 }),
      };
      const env = {
        POSTWISE_GRAPH_URL: graph.url,
        POSTWISE_VIVA_PROVIDER_ID: graph.providerId,
        POSTWISE_VIVA_CONTENT_URL:
          'https://teams.microsoft.com/l/chat/0/0?users=28:0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f',
      };
      const course = (await shippedContent()).courses.en;
      const lesson = course.lessons[0];
      const questions = course.lessons.reduce((n, l) => n + l.questions.length, 0);
      const stores = await openAzureStores(account, prefix);
      const other = await startHarness({ env, stores, graphCredential, leadership: follower });
      try {
        const anna = other.user();
        await anna.click('open', { lesson: lesson?.id });
        for (const question of lesson?.questions ?? [])
          await anna.click('answer', { question: question.id, choice: question.choices[0]?.id });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(graph.requests).toEqual([]);
        expect(await other.stores.vivaOutbox.waiting()).toEqual([anna.aadObjectId]);

        const leader = await startHarness({ env, stores: await openAzureStores(account, prefix), graphCredential });
        try {
          await until(() => graph.of(anna.aadObjectId).length === 1, 20_000);
          await leader.app.vivaIdle();
          const percent = Math.floor((100 * (lesson?.questions.length ?? 0)) / (questions + 1));
          expect(graph.of(anna.aadObjectId)[0]?.body).toMatchObject({ completionPercentage: percent });
          expect(await leader.stores.vivaOutbox.waiting()).toEqual([]);
          // One state waiting, however many answers: one create, no update.
          expect(graph.requests.filter((r) => r.path.includes('learningCourseActivities'))).toHaveLength(1);
        } finally {
          await leader.close();
        }
      } finally {
        await other.close();
        await graph.close();
      }
    },
  );
});
