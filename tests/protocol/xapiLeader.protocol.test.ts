import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadership } from '../../src/domain/leadership.js';
import { entriesOfEvent } from '../../src/domain/xapi/outboxEntry.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FakeLrs } from '../support/fakeLrs.js';
import { startHarness } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';
import { TENANT } from '../support/tenants.js';

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

describe('xAPI on Azure Tables', () => {
  it(
    'an instance that does not lead only fills the shared outbox; the leader sends it, in order',
    { timeout: 60_000 },
    async () => {
      const lrs = await FakeLrs.start();
      const prefix = uniquePrefix();
      const account = { connectionString: azurite.connectionString };
      const env = {
        POSTWISE_ALLOWED_TENANTS: TENANT,
        POSTWISE_XAPI_ENDPOINT: lrs.endpoint,
        POSTWISE_XAPI_KEY: lrs.key,
        POSTWISE_XAPI_SECRET: lrs.secret,
      };
      const course = (await shippedContent()).courses.en;
      const lesson = course.lessons[0];
      const other = await startHarness({ env, stores: await openAzureStores(account, prefix), leadership: follower });
      try {
        const anna = other.user();
        await anna.click('open', { lesson: lesson?.id });
        for (const question of lesson?.questions ?? [])
          await anna.click('answer', { question: question.id, choice: question.choices[0]?.id });
        const expected = (await other.stores.events.list({ userId: anna.aadObjectId })).flatMap((e) =>
          entriesOfEvent(e),
        );
        expect(expected.length).toBe(lesson?.questions.length);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(lrs.requests).toEqual([]);
        expect(await other.stores.xapiOutbox.waiting()).toEqual([anna.aadObjectId]);

        const leader = await startHarness({ env, stores: await openAzureStores(account, prefix) });
        try {
          await until(() => lrs.held.length === expected.length, 20_000);
          expect(lrs.held.map((h) => h.id)).toEqual(expected.map((e) => e.id));
          await leader.app.xapiIdle();
          expect(await leader.stores.xapiOutbox.waiting()).toEqual([]);
          expect(lrs.invalid).toEqual([]);
        } finally {
          await leader.close();
        }
      } finally {
        await other.close();
        await lrs.close();
      }
    },
  );
});
