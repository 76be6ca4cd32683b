import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { fill } from '../../src/content/ui.js';
import type { CourseEvent } from '../../src/domain/course/events.js';
import { openLowdbStores, storeFiles } from '../../src/storage/lowdb/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { cardText, poster, startHarness, TestUser, type HttpResult } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('crash');
const SLOW_APPEND_MS = 1000;
const USERS = 12;

/** Runs src/index.ts in local mode on a disk where every journal append takes SLOW_APPEND_MS. */
function startSlowBot(dataFile: string) {
  const env = { PORT: '0', POSTWISE_DATA_FILE: dataFile, SLOW_JOURNAL_APPEND_MS: String(SLOW_APPEND_MS) };
  return startBotProcess(env, { preload: path.join(PROJECT_ROOT, 'tests', 'support', 'slowDisk.ts') });
}

/** The choice a result card shows, by its text; undefined for anything but one choice's card. */
function shownChoice(
  result: HttpResult | undefined,
  choices: readonly { id: string; text: string }[],
  youChose: string,
): string | undefined {
  if (result?.status !== 200 || result.body?.type !== 'application/vnd.microsoft.card.adaptive') return undefined;
  const lines = cardText(result.body.value).split('\n');
  const shown = choices.filter((c) => lines.includes(fill(youChose, { answer: c.text })));
  expect(shown).toHaveLength(1);
  return shown[0]?.id;
}

/** How often each id occurs as a line of the event file (not deduplicated, as the file holds it). */
async function eventLines(dataFile: string): Promise<Map<string, CourseEvent[]>> {
  const lines = new Map<string, CourseEvent[]>();
  const text = await readFile(storeFiles(dataFile).events, 'utf8').catch(() => '');
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const event = JSON.parse(line) as CourseEvent;
    // By person, kind and question: the id also names the lesson's revision when it is above 1.
    const key = `${event.userId}/${event.type}/${'questionId' in event ? event.questionId : ''}`;
    lines.set(key, [...(lines.get(key) ?? []), event]);
  }
  return lines;
}

describe.each([
  ['the default store', undefined],
  ['a 2-shard store', 2],
] as const)('a crash while answers are being written, on %s', (_, shards) => {
  it('loses no answer that got a result card, and logs each answer exactly once', { timeout: 60_000 }, async () => {
    const content = await shippedContent();
    const lesson = content.courses.en.lessons[0];
    const question = lesson?.questions[0];
    if (!lesson || !question) throw new Error('no first question');
    const choices = question.choices;
    const dataFile = path.join(await tempDir(), 'data', 'postwise.json');
    if (shards !== undefined) {
      // An existing data file keeps its shard count.
      await mkdir(path.dirname(dataFile), { recursive: true });
      await writeFile(dataFile, JSON.stringify({ format: 1, shards, createdAt: new Date().toISOString() }));
    }
    const connector = await FakeConnector.start();
    const slow = startSlowBot(dataFile);
    try {
      const url = await slow.listening;
      const endpoint = { connector, post: poster(url, connector) };
      const users = Array.from({ length: USERS }, (_, i) => new TestUser(endpoint, 'en-US', `User ${i}`));
      const warmUp = new TestUser(endpoint, 'en-US', 'Warm-up');
      for (const opened of await Promise.all([...users, warmUp].map((u) => u.click('open', { lesson: lesson.id }))))
        expect(opened.status).toBe(200);
      expect(
        shownChoice(
          await warmUp.click('answer', { question: question.id, choice: 'a' }),
          choices,
          content.ui.en.youChose,
        ),
      ).toBe('a');

      // Each user submits the answer, and twice more with other choices while the first is
      // being written; users start 100 ms apart. The bot is killed at the first result card.
      const results = new Map<TestUser, (HttpResult | undefined)[]>(users.map((u) => [u, []]));
      let killed = false;
      const submit = async (user: TestUser, choice: string, at: number) => {
        await new Promise((r) => setTimeout(r, at));
        if (killed) return;
        const result = await user.click('answer', { question: question.id, choice }).catch(() => undefined);
        results.get(user)?.push(result);
        if (result?.status === 200 && !killed) {
          killed = true;
          slow.child.kill('SIGKILL');
        }
      };
      await Promise.all(users.flatMap((u, i) => choices.map((c, j) => submit(u, c.id, i * 100 + j * 10))));
      await slow.exited;

      const confirmed = new Map<TestUser, string>();
      for (const [user, answers] of results) {
        const shown = new Set(
          answers.map((r) => shownChoice(r, choices, content.ui.en.youChose)).filter((c) => c !== undefined),
        );
        expect(shown.size).toBeLessThanOrEqual(1);
        const [choice] = shown;
        if (choice) confirmed.set(user, choice);
      }
      expect(confirmed.size).toBeGreaterThan(0);
      expect(confirmed.size).toBeLessThan(USERS);

      // Start again on an ordinary disk: each confirmed answer is kept, and a repeat shows it again.
      const restarted = await startHarness({ stores: await openLowdbStores(dataFile, new Date()), connector });
      try {
        for (const [user, choice] of confirmed) {
          const other = choices.find((c) => c.id !== choice)?.id as string;
          expect(
            shownChoice(
              await user.on(restarted).click('answer', { question: question.id, choice: other }),
              choices,
              content.ui.en.youChose,
            ),
          ).toBe(choice);
        }
      } finally {
        await restarted.close();
      }
      const stores = await openLowdbStores(dataFile, new Date());
      const lines = await eventLines(dataFile);
      for (const user of users) {
        const stored = (await stores.progress.get(user.aadObjectId))?.answers[question.id];
        const confirmedChoice = confirmed.get(user);
        if (confirmedChoice) expect(stored?.choiceId).toBe(confirmedChoice);
        const logged = lines.get(`${user.aadObjectId}/answered/${question.id}`) ?? [];
        if (stored) {
          expect(logged).toHaveLength(1);
          expect(logged[0]).toMatchObject({ choiceId: stored.choiceId, at: stored.at });
        } else {
          expect(logged).toEqual([]);
        }
      }
      await stores.close();
    } finally {
      slow.child.kill('SIGKILL');
      await connector.close();
    }
  });
});
