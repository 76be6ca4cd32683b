import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entriesOfEvent } from '../../src/domain/xapi/outboxEntry.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { FakeLrs } from '../support/fakeLrs.js';
import { poster, TestUser } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';
import { TENANT } from '../support/tenants.js';

const tempDir = useTempDirs('xapi-crash');
const USERS = 8;

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('xAPI across kill -9', () => {
  it('every event has exactly one statement at the LRS: nothing lost, nothing twice', { timeout: 90_000 }, async () => {
    const content = await shippedContent();
    const lesson = content.courses.en.lessons[0];
    if (!lesson) throw new Error('no first lesson');
    const dataFile = path.join(await tempDir(), 'data', 'postwise.json');
    const lrs = await FakeLrs.start();
    const connector = await FakeConnector.start();
    const env = {
      PORT: '0',
      POSTWISE_DATA_FILE: dataFile,
      POSTWISE_ALLOWED_TENANTS: TENANT,
      POSTWISE_XAPI_ENDPOINT: lrs.endpoint,
      POSTWISE_XAPI_KEY: lrs.key,
      POSTWISE_XAPI_SECRET: lrs.secret,
    };
    // The store holds each statement at once but answers late: a kill catches statements it holds
    // that the bot has not yet taken out of its outbox.
    lrs.delayMs = 150;
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
      const killer = until(async () => lrs.held.length >= 6, 30_000).then(() => {
        killed = true;
        first.child.kill('SIGKILL');
      });
      await Promise.all([...users.map(walk), killer]);
      await first.exited;
      const heldAtKill = lrs.held.length;
      const requestsAtKill = lrs.requests.length;
      // Held, but not yet answered when the bot died (an answer the bot may not have read by then counts as held).
      const heldIds = new Set(lrs.held.map((h) => h.id));
      const inFlight = heldAtKill - lrs.requests.filter((r) => r.status === 200).length;

      lrs.delayMs = 0;
      second = startBotProcess(env);
      await second.listening;
      // The restarted bot recovers the events and sends what its outbox holds; then it goes quiet.
      let seen = -1;
      await until(async () => {
        const quiet = seen === lrs.requests.length;
        seen = lrs.requests.length;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return quiet && seen > requestsAtKill;
      }, 40_000);
      second.child.kill('SIGTERM');
      await second.exited;
      const stores = await openLowdbStores(dataFile, new Date());
      const ids = (await stores.events.list()).flatMap((e) => entriesOfEvent(e)).map((e) => e.id);
      const waiting = await stores.xapiOutbox.waiting();
      await stores.close();
      expect(ids.length).toBeGreaterThan(heldAtKill);
      expect(waiting).toEqual([]);
      expect(lrs.held.map((h) => h.id).sort()).toEqual([...ids].sort());
      expect(lrs.differing).toBe(0);
      expect(lrs.invalid).toEqual([]);
      // The statements the store held when the bot was killed, among them every one it had not answered,
      // came again after the restart, once each, and counted as delivered (409); no other statement came twice.
      const again = lrs.requests.filter((r) => r.status === 409).flatMap((r) => r.ids);
      expect(inFlight).toBeGreaterThan(0);
      expect(again.length).toBeGreaterThanOrEqual(inFlight);
      expect(again.every((id) => heldIds.has(id))).toBe(true);
      expect(new Set(again).size).toBe(again.length);
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
      await connector.close();
      await lrs.close();
    }
  });
});
