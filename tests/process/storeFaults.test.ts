import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coursePath } from '../../bench/coursePath.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { FaultProxy } from '../support/faultProxy.js';
import { poster, shown, TestUser, type Endpoint } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';

/** Teams gives up on a bot's answer after about this long. */
const TEAMS_WAITS_MS = 15_000;

let azurite: Azurite;
let connector: FakeConnector;
let stores: Stores;
let prefix: string;
const proxies: FaultProxy[] = [];
const bots: ReturnType<typeof startBotProcess>[] = [];
beforeAll(async () => {
  [azurite, connector] = await Promise.all([startAzurite(), FakeConnector.start()]);
  prefix = uniquePrefix();
  stores = await openAzureStores({ connectionString: azurite.connectionString }, prefix);
}, 30_000);
afterAll(async () => {
  for (const bot of bots) bot.child.kill('SIGKILL');
  await Promise.all(proxies.map((p) => p.close()));
  await connector?.close();
  await azurite?.stop();
});

/** `src/index.ts` in its own process, reaching the store through its own fault proxy. */
async function startInstance(): Promise<{ endpoint: Endpoint; proxy: FaultProxy; log: () => string }> {
  const proxy = await FaultProxy.start(azurite.endpoint, proxies.length + 1);
  proxies.push(proxy);
  const bot = startBotProcess({
    PORT: '0',
    POSTWISE_STORE: 'azure-tables',
    POSTWISE_TABLES_CONNECTION_STRING: connectionStringTo(proxy.url),
    POSTWISE_TABLE_PREFIX: prefix,
    POSTWISE_SERVICE_URL: connector.url,
  });
  bots.push(bot);
  const url = await bot.listening;
  return { endpoint: { connector, post: poster(url, connector) }, proxy, log: () => bot.output().stdout };
}

/** What the bot says when something went wrong or was not saved, in both languages. */
async function faultTexts(): Promise<string[]> {
  const texts = await Promise.all(
    ['en', 'nl'].map(async (language) => {
      const ui = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'content', language, 'ui.json'), 'utf8')) as Record<
        string,
        string
      >;
      return [ui.error, ui.notSaved] as string[];
    }),
  );
  return texts.flat();
}

describe('Postwise on a store that is slow, failing or unreachable', () => {
  it(
    'takes a person through the whole course across two instances while the store answers 10 % of requests ' +
      'with 503 ServerBusy and adds 50–500 ms to each: the course completes and nobody sees an error',
    { timeout: 300_000 },
    async () => {
      const [a, b] = [await startInstance(), await startInstance()];
      for (const { proxy } of [a, b]) proxy.set({ busy: 0.1, latencyMs: [50, 500] });
      const content = await shippedContent();
      const hidden = await faultTexts();
      const person = new TestUser(a.endpoint, 'en-US', 'Patient Pat');
      const at = [person, person.on(b.endpoint)];
      let turn = 0;
      const seen: string[] = [];
      for (const step of coursePath(content.courses.en)) {
        const user = at[turn++ % 2] as TestUser;
        const result =
          step.kind === 'open'
            ? await user.click('open', { lesson: step.lessonId })
            : step.kind === 'answer'
              ? await user.click('answer', { question: step.questionId, choice: step.correctChoice })
              : await user.click('acknowledge', { version: step.version, agree: 'yes' });
        seen.push(shown(result), ...result.texts);
      }
      expect(seen.filter((text) => hidden.includes(text))).toEqual([]);
      const progress = await stores.progress.get(person.aadObjectId);
      expect(progress?.acknowledgements).toHaveLength(1);
      const questions = content.courses.en.lessons.flatMap((l) => l.questions.map((q) => q.id));
      expect(Object.keys(progress?.answers ?? {}).sort()).toEqual(questions.sort());
      const events = await stores.events.list({ userId: person.aadObjectId });
      expect(events.filter((e) => e.type === 'answered')).toHaveLength(questions.length);
      expect(events.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
      // The faults were there, and were met: each proxy answered some requests with 503.
      expect(a.proxy.counts.busy).toBeGreaterThan(0);
      expect(b.proxy.counts.busy).toBeGreaterThan(0);
    },
  );

  it(
    'answers a click within 15 s that it was not saved while the store is black-holed for 30 s, in the ' +
      "person's language, and the same click after healing gives the result, stored once",
    { timeout: 120_000 },
    async () => {
      const { endpoint, proxy, log } = await startInstance();
      const content = await shippedContent();
      const ui = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'content', 'nl', 'ui.json'), 'utf8')) as {
        notSaved: string;
      };
      const lesson = content.courses.nl.lessons[0];
      const question = lesson?.questions[0];
      const choice = question?.choices.find((c) => c.correct);
      const person = new TestUser(endpoint, 'nl-NL', 'Geduldige Gijs');
      shown(await person.click('open', { lesson: lesson?.id }));

      proxy.set({ blackHole: true });
      const cutOffAt = Date.now();
      const click = () => person.click('answer', { question: question?.id, choice: choice?.id });
      const during = await click();
      const answeredIn = Date.now() - cutOffAt;
      expect(answeredIn).toBeLessThan(TEAMS_WAITS_MS);
      // The message under the card, which stays as it was, so the same button can be clicked again.
      expect(during.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
      expect(shown(during)).toBe(ui.notSaved);
      expect(during.texts).toEqual([]);
      expect(log()).toContain('"event":"store.unavailable"');

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - cutOffAt))));
      proxy.heal();
      const after = await click();
      expect(after.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
      expect(shown(after)).not.toBe(ui.notSaved);
      const progress = await stores.progress.get(person.aadObjectId);
      expect(progress?.answers[question?.id ?? '']).toMatchObject({ choiceId: choice?.id, correct: true });
      const events = await stores.events.list({ userId: person.aadObjectId });
      expect(events.filter((e) => e.type === 'answered')).toHaveLength(1);
      // A repeat of the click replays the stored answer and stores nothing new.
      expect(shown(await click())).toBe(shown(after));
      expect(await stores.events.list({ userId: person.aadObjectId })).toEqual(events);
    },
  );
});
