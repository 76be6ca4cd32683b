import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinal } from '../../src/domain/campaigns/delivery.js';
import type { Member } from '../../src/domain/roster/roster.js';
import { openAzureStores, type TablesAccount } from '../../src/storage/azure/stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { coursePath } from '../../bench/coursePath.js';
import { startBotProcess } from '../support/botProcess.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { poster, TestUser, type Endpoint, type HttpResult } from '../support/harness.js';
import { loadCourse } from '../support/hrFixtures.js';
import { duplicatesAndLost, messagesTo, seedSharedRoster, sendCampaignToEveryone } from '../support/sharedCampaign.js';
import { shippedContent } from '../support/shippedContent.js';

const HR_ID = '3d7f0a52-8e1b-4c6d-9f2a-5b8c1e4d7a90';
/** The roster the campaign goes to, as the issue asks. */
const MEMBERS = 2000;
/**
 * Messages per second the worker starts at and keeps to (the fake connector never throttles); Azurite's own pace is the
 * real limit here.
 */
const SEND_RATE = 200;
/** The longest the send may take, on a busy machine. */
const SEND_DEADLINE_MS = 150_000;

let azurite: Azurite;
let connector: FakeConnector;
let stores: Stores;
let account: TablesAccount;
const env: Record<string, string> = {};
beforeAll(async () => {
  [azurite, connector] = await Promise.all([startAzurite(), FakeConnector.start()]);
  const prefix = uniquePrefix();
  Object.assign(env, {
    PORT: '0',
    POSTWISE_STORE: 'azure-tables',
    POSTWISE_TABLES_CONNECTION_STRING: azurite.connectionString,
    POSTWISE_TABLE_PREFIX: prefix,
    POSTWISE_LEASE_SECONDS: '2',
    POSTWISE_SERVICE_URL: connector.url,
    POSTWISE_HR_USERS: HR_ID,
    POSTWISE_SEND_RATE: String(SEND_RATE),
    POSTWISE_SEND_RATE_MAX: String(SEND_RATE),
  });
  account = { connectionString: azurite.connectionString };
  stores = await openAzureStores(account, prefix);
}, 30_000);
afterAll(async () => {
  await connector?.close();
  await azurite?.stop();
});

/** `src/index.ts` in its own process on the shared tables; `endpoint` resolves once it listens. */
function startInstance() {
  const bot = startBotProcess(env);
  const endpoint = bot.listening.then((url): Endpoint => ({ connector, post: poster(url, connector) }));
  endpoint.catch(() => {});
  return { ...bot, endpoint, log: () => bot.output().stdout };
}

const ok = (result: HttpResult): HttpResult => {
  expect(result.status).toBe(200);
  return result;
};

describe('two Postwise instances on one Azure Tables account', () => {
  it(
    'serves a person alternately from both through the whole course in English and Dutch, ' +
      'and sends a campaign to every roster member exactly once while the sender is killed',
    { timeout: 240_000 },
    async () => {
      const a = startInstance();
      const first = await a.endpoint;
      const b = startInstance();
      try {
        const second = await b.endpoint;
        const course = await loadCourse();
        const content = await shippedContent();

        // An install announced twice, once to each instance: one welcome.
        const newcomer = new TestUser(first, 'en-US', 'Nina Newcomer');
        await Promise.all([newcomer.install(), newcomer.on(second).install()]);
        const welcomes = connector.calls.filter(
          (c) => c.conversationId === newcomer.conversationId && c.activity.attachments,
        );
        expect(welcomes).toHaveLength(1);

        for (const [locale, language] of [
          ['en-US', 'en'],
          ['nl-NL', 'nl'],
        ] as const) {
          const person = new TestUser(first, locale, `Alternating ${language}`);
          const at = [person, person.on(second)];
          let turn = 0;
          for (const step of coursePath(content.courses[language])) {
            const user = at[turn++ % 2] as TestUser;
            if (step.kind === 'open') ok(await user.click('open', { lesson: step.lessonId }));
            else if (step.kind === 'answer')
              ok(await user.click('answer', { question: step.questionId, choice: step.correctChoice }));
            else ok(await user.click('acknowledge', { version: step.version, agree: 'yes' }));
          }
          const progress = await stores.progress.get(person.aadObjectId);
          expect(progress?.language ?? language).toBe(language);
          expect(progress?.acknowledgements.map((ack) => ack.version)).toEqual([course.version]);
          expect(Object.keys(progress?.answers ?? {}).sort()).toEqual(
            course.lessons.flatMap((l) => l.questions.map((q) => q.id)).sort(),
          );
          const events = await stores.events.list({ userId: person.aadObjectId });
          expect(events.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
          expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        }
        // Everyone on the roster, each with a chat with the bot, written as the migration writes them.
        const prefix = env.POSTWISE_TABLE_PREFIX as string;
        const people = await seedSharedRoster(account, prefix, connector, MEMBERS, newcomer.tenantId);
        const aadOf = (m: Member) => m.aadObjectId as string;
        expect((await stores.roster.byAadObjectId(aadOf(people.at(-1) as Member)))?.key).toBe(people.at(-1)?.key);
        // HR sends the campaign through the instance that does not send; the other one sends.
        const hr = Object.assign(new TestUser(second, 'en-US', 'Henk HR'), { aadObjectId: HR_ID });
        await sendCampaignToEveryone(hr);
        const [campaign] = await stores.campaigns.list();
        expect(campaign).toBeDefined();
        const campaignMessages = () => messagesTo(connector, people);
        const deadline = Date.now() + SEND_DEADLINE_MS;
        while (campaignMessages() < MEMBERS / 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(a.log()).toContain('"event":"lease.leading"');
        a.child.kill('SIGKILL');
        await a.exited;
        const killedAt = campaignMessages();
        expect(killedAt).toBeLessThan(MEMBERS);

        let open = MEMBERS;
        while (open > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1000));
          open = (await stores.deliveries.forSend(campaign?.id ?? '')).filter((d) => !isFinal(d.state)).length;
        }
        expect(b.log()).toContain('"event":"lease.leading"');
        const deliveries = await stores.deliveries.forSend(campaign?.id ?? '');
        expect(deliveries).toHaveLength(MEMBERS);
        expect(deliveries.filter((d) => !isFinal(d.state))).toEqual([]);
        const unconfirmed = deliveries.filter((d) => d.state === 'unconfirmed');
        const sent = deliveries.filter((d) => d.state === 'sent');
        // Lost: marked sent but never arrived, or never tried at all.
        const { duplicates, lost } = duplicatesAndLost(connector, people, deliveries, campaign?.id ?? '');
        expect(duplicates).toEqual([]);
        expect(lost).toEqual([]);
        expect(sent.length + unconfirmed.length).toBe(MEMBERS);
        expect(unconfirmed.length).toBeLessThanOrEqual(64);
        expect(sent.length).toBeGreaterThan(killedAt - 64);
      } finally {
        a.child.kill('SIGKILL');
        b.child.kill('SIGKILL');
      }
    },
  );
});
