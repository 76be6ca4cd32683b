import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { FakeEntra } from '../support/fakeEntra.js';
import { FakeVivaGraph } from '../support/fakeVivaGraph.js';
import { poster, TestUser } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('viva-crash');
const USERS = 6;

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Viva Learning across kill -9', () => {
  it(
    'every activity is created exactly once at Graph and ends as the event log says',
    { timeout: 90_000 },
    async () => {
      const content = await shippedContent();
      const questions = content.courses.en.lessons.reduce((n, l) => n + l.questions.length, 0);
      const lesson = content.courses.en.lessons[0];
      if (!lesson) throw new Error('no first lesson');
      const dataFile = path.join(await tempDir(), 'data', 'postwise.json');
      const entra = await FakeEntra.start();
      const graph = await FakeVivaGraph.start();
      graph.token = entra.token;
      const connector = await FakeConnector.start();
      const env = {
        PORT: '0',
        POSTWISE_DATA_FILE: dataFile,
        POSTWISE_GRAPH_URL: graph.url,
        POSTWISE_VIVA_PROVIDER_ID: graph.providerId,
        POSTWISE_VIVA_CONTENT_URL:
          'https://teams.microsoft.com/l/chat/0/0?users=28:0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f',
        ...entra.env(),
      };
      // Graph does what it is asked at once but answers late: the kill comes while a create it made waits
      // for its answer, so the restarted bot sends that create again.
      graph.delayMs = 300;
      const first = startBotProcess(env);
      let second: ReturnType<typeof startBotProcess> | undefined;
      try {
        const endpoint = { connector, post: poster(await first.listening, connector) };
        const users = Array.from({ length: USERS }, (_, i) => new TestUser(endpoint, 'en-US', `User ${i}`));
        let killed = false;
        const walk = async (user: TestUser, i: number) => {
          await new Promise((resolve) => setTimeout(resolve, i * 40));
          await user.click('open', { lesson: lesson.id }).catch(() => undefined);
          for (const question of lesson.questions) {
            if (killed) return;
            const choice = question.choices[(i + question.id.length) % question.choices.length]?.id;
            await user.click('answer', { question: question.id, choice }).catch(() => undefined);
          }
        };
        const created = () => graph.requests.filter((r) => r.method === 'POST' && r.status === 201).length;
        const killer = until(() => created() >= 2, 30_000).then(() => {
          killed = true;
          first.child.kill('SIGKILL');
        });
        await Promise.all([...users.map(walk), killer]);
        await first.exited;
        const atKill = graph.requests.length;
        const createdAtKill = new Set(graph.activities.keys());

        graph.delayMs = 0;
        second = startBotProcess(env);
        await second.listening;
        let seen = -1;
        await until(async () => {
          const quiet = seen === graph.requests.length;
          seen = graph.requests.length;
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          return quiet && seen > atKill;
        }, 40_000);
        second.child.kill('SIGTERM');
        await second.exited;

        const stores = await openLowdbStores(dataFile, new Date());
        const events = await stores.events.list();
        const waiting = await stores.vivaOutbox.waiting();
        await stores.close();
        expect(waiting).toEqual([]);
        // Each person who answered has one self-initiated course, created once, at the percentage their answers make.
        const learners = [...new Set(events.map((e) => e.userId))];
        expect(learners.length).toBeGreaterThan(1);
        for (const userId of learners) {
          const activities = graph.of(userId);
          expect(activities).toHaveLength(1);
          const answered = new Set(events.filter((e) => e.userId === userId && e.type === 'answered').map((e) => e.id));
          expect(activities[0]?.body.completionPercentage).toBe(Math.floor((100 * answered.size) / (questions + 1)));
        }
        expect([...graph.creations().values()].every((n) => n === 1)).toBe(true);
        expect(graph.activities.size).toBe(learners.length);
        // The create on its way at the kill came again after the restart: 409, found by its external id, updated.
        const conflicts = graph.requests.slice(atKill).filter((r) => r.status === 409);
        expect(conflicts.length).toBeGreaterThan(0);
        expect(conflicts.every((r) => createdAtKill.has(r.body.externalCourseActivityId))).toBe(true);
        expect(graph.requests.slice(atKill).some((r) => r.method === 'GET' && r.status === 200)).toBe(true);
        // Tokens came from the token endpoint, client credentials for Graph.
        expect(entra.requests.length).toBeGreaterThanOrEqual(2);
        expect(
          entra.requests.every((r) => r.status === 200 && r.scope === 'https://graph.microsoft.com/.default'),
        ).toBe(true);
        expect(graph.requests.some((r) => r.status === 401)).toBe(false);
      } finally {
        first.child.kill('SIGKILL');
        second?.child.kill('SIGKILL');
        await connector.close();
        await graph.close();
        await entra.close();
      }
    },
  );
});
