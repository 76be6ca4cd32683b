import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { counted, describeTraffic } from '../support/countingProxy.js';
import { FakeLrs } from '../support/fakeLrs.js';
import { FaultProxy } from '../support/faultProxy.js';
import { startHarness, type BotHarness } from '../support/harness.js';
import { loadCourse } from '../support/hrFixtures.js';
import { TENANT } from '../support/tenants.js';

/**
 * Table requests of a course answer with xAPI on, its statement sent included: 12 measured (7 without xAPI, see
 * requestCounts.test.ts; the outbox adds 5: its write, and the leader's read, send and removal). Lower it as requests
 * are cut.
 */
const MOST_WITH_XAPI = 12;

let azurite: Azurite;
let proxy: FaultProxy;
let lrs: FakeLrs;
let h: BotHarness;
const prefix = uniquePrefix();
beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
  lrs = await FakeLrs.start();
  const stores = await openAzureStores({ connectionString: connectionStringTo(proxy.url) }, prefix);
  h = await startHarness({
    stores,
    env: {
      POSTWISE_ALLOWED_TENANTS: TENANT,
      POSTWISE_XAPI_ENDPOINT: lrs.endpoint,
      POSTWISE_XAPI_KEY: lrs.key,
      POSTWISE_XAPI_SECRET: lrs.secret,
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await lrs?.close();
  await proxy?.close();
  await azurite?.stop();
});

describe('table requests with xAPI on, through the bot on Azure Tables (Azurite)', () => {
  it(
    'a course answer and the sending of its statement stay within the count measured',
    { timeout: 60_000 },
    async () => {
      const course = await loadCourse();
      const lesson = course.lessons[0]!;
      const question = lesson.questions[0]!;
      const bob = h.user({ name: 'Bob' });
      expect((await bob.click('open', { lesson: lesson.id })).status).toBe(200);
      const answer = await counted(proxy.tally, async () => {
        expect((await bob.click('answer', { question: question.id, choice: question.choices[0]!.id })).status).toBe(
          200,
        );
        await h.app.xapiIdle();
      });
      console.log(`course answer with xAPI: ${describeTraffic(answer)}`);
      expect(lrs.held).toHaveLength(1);
      expect(answer.requests).toBeLessThanOrEqual(MOST_WITH_XAPI);
    },
  );
});
