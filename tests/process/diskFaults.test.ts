import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { fill } from '../../src/content/ui.js';
import type { CourseEvent } from '../../src/domain/course/events.js';
import { openLowdbStores, storeFiles } from '../../src/storage/lowdb/stores.js';
import { startBotProcess } from '../support/botProcess.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { poster, shown, TestUser } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('disk');

/** /healthz's status and body once it is `status`, polled past the probe's cache; fails after 15 s. */
async function healthOnce(url: string, status: number): Promise<unknown> {
  const until = Date.now() + 15_000;
  for (;;) {
    const response = await fetch(`${url}/healthz`);
    const body: unknown = await response.json();
    if (response.status === status) return body;
    if (Date.now() > until) throw new Error(`/healthz stayed ${response.status}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const countOf = (text: string, event: string) =>
  text.split('\n').filter((l) => l.includes(`"event":"${event}"`)).length;

describe.each(['ENOSPC', 'EROFS', 'EIO'])('the embedded store on a disk failing writes with %s', (code) => {
  it(
    'tells the person it was not saved, loses nothing confirmed, answers 503 and recovers when writes work again',
    { timeout: 60_000 },
    async () => {
      const content = await shippedContent();
      const lesson = content.courses.nl.lessons[0];
      const [first, second] = lesson?.questions ?? [];
      if (!lesson || !first || !second) throw new Error('no first two questions');
      const dir = await tempDir();
      const dataFile = path.join(dir, 'data', 'postwise.json');
      const faultSwitch = path.join(dir, 'fault');
      const connector = await FakeConnector.start();
      const preload = path.join(PROJECT_ROOT, 'tests', 'support', 'failingDisk.ts');
      const bot = startBotProcess(
        { PORT: '0', POSTWISE_DATA_FILE: dataFile, FAILING_DISK_SWITCH: faultSwitch },
        { preload },
      );
      let userId = '';
      try {
        const url = await bot.listening;
        const user = new TestUser({ connector, post: poster(url, connector) }, 'nl-NL', 'Anna');
        userId = user.aadObjectId;
        const ui = content.ui.nl;
        const chose = (question: typeof first, id: string) =>
          fill(ui.youChose, { answer: question.choices.find((c) => c.id === id)?.text ?? '' });
        expect((await user.click('open', { lesson: lesson.id })).status).toBe(200);
        expect(shown(await user.click('answer', { question: first.id, choice: 'a' }))).toContain(chose(first, 'a'));
        expect(await healthOnce(url, 200)).toMatchObject({ status: 'ok' });

        await writeFile(faultSwitch, code);
        for (let i = 0; i < 3; i++)
          expect(shown(await user.click('answer', { question: second.id, choice: 'b' }))).toBe(ui.notSaved);
        expect(await healthOnce(url, 503)).toEqual({ status: 'unavailable', store: 'data folder not writable' });
        expect(countOf(bot.output().stderr, 'store.writes-failing')).toBe(1);
        // What is stored is still served: the first answer, asked again, shows what was chosen then.
        expect(shown(await user.click('answer', { question: first.id, choice: 'b' }))).toContain(chose(first, 'a'));

        await writeFile(faultSwitch, '');
        expect(await healthOnce(url, 200)).toMatchObject({ status: 'ok' });
        expect(shown(await user.click('answer', { question: second.id, choice: 'b' }))).toContain(chose(second, 'b'));
        expect(shown(await user.click('answer', { question: second.id, choice: 'a' }))).toContain(chose(second, 'b'));
        expect(countOf(bot.output().stdout, 'store.writes-working')).toBe(1);
        expect(bot.output().stdout + bot.output().stderr).not.toContain('Anna');
      } finally {
        bot.child.kill('SIGTERM');
        await bot.exited;
        await connector.close();
      }

      // The files as the next start reads them: both answers, each answered event once.
      const stores = await openLowdbStores(dataFile, new Date());
      try {
        const answers = (await stores.progress.get(userId))?.answers;
        expect([answers?.[first.id]?.choiceId, answers?.[second.id]?.choiceId]).toEqual(['a', 'b']);
      } finally {
        await stores.close();
      }
      const lines = (await readFile(storeFiles(dataFile).events, 'utf8')).split('\n').filter((l) => l !== '');
      const answered = lines.map((l) => JSON.parse(l) as CourseEvent).filter((e) => e.type === 'answered');
      expect(answered.map((e) => ('questionId' in e ? e.questionId : ''))).toEqual([first.id, second.id]);
    },
  );
});
