// Issue 15's refresher benchmark (`tsx bench/refresher.bench.ts`): the minute timer's round of
// due refreshers over 100,000 employees in the embedded store. Seeds a roster that completed the
// course, with refreshers due over the next 30 days, then times a round on a busy day (about
// 3,300 due) and a round with nobody left to do, and measures the longest the event loop waited
// meanwhile. Exits 1 when a target is missed.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import type { Delivery } from '../src/domain/campaigns/delivery.js';
import type { Course } from '../src/domain/course/course.js';
import type { Progress } from '../src/domain/course/progress.js';
import type { Refreshers } from '../src/domain/refreshers/refresher.js';
import { RefresherService } from '../src/domain/refreshers/refresherService.js';
import { addDays } from '../src/domain/time/calendar.js';
import { ShardSet } from '../src/storage/lowdb/shardedTable.js';
import { openLowdbStores, storeFiles } from '../src/storage/lowdb/stores.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';

const EMPLOYEES = 100_000;
const SHARDS = 256;
const BATCH = 2_000;
const DAYS = 30;
const TIME_ZONE = 'Europe/Amsterdam';
/** Monday 16 November 2026, 10:00 in Amsterdam. */
const NOW = new Date('2026-11-16T09:00:00Z');
const TODAY = '2026-11-16';
const IDLE_TARGET_MS = 50;
const STALL_TARGET_MS = 100;

const userIdOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function completed(course: Course, userId: string): Progress {
  const at = '2026-10-20T10:00:00.000Z';
  const questions = course.lessons.flatMap((l) => l.questions);
  const answers = Object.fromEntries(
    questions.map((q) => [
      q.id,
      {
        questionId: q.id,
        choiceId: q.choices.find((c) => c.correct)?.id ?? '',
        correct: true,
        at,
        version: course.version,
      },
    ]),
  );
  return {
    userId,
    lessonsOpened: course.lessons.map((l) => l.id),
    answers,
    acknowledgements: [{ version: course.version, at, correct: questions.length, total: questions.length }],
  };
}

async function seed(dataFile: string, course: Course): Promise<void> {
  const stores = await openLowdbStores(dataFile, NOW, SHARDS);
  for (let i = 0; i < EMPLOYEES; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, EMPLOYEES - i) }, (_, k) => {
        const key = `employee${i + k}@contoso.example`;
        return stores.roster.put({
          key,
          name: `Employee ${i + k}`,
          email: key,
          department: 'Office',
          role: 'Staff',
          aadObjectId: userIdOf(i + k),
          active: true,
          source: 'csv',
          updatedAt: NOW.toISOString(),
        });
      }),
    );
  }
  await stores.close();
  // Whole records straight into the tables: through the API the seed alone would take minutes.
  const set = await ShardSet.open(storeFiles(dataFile).shards, SHARDS);
  const progress = set.table<Progress>('progress');
  const refreshers = set.table<Refreshers>('refreshers');
  for (let i = 0; i < EMPLOYEES; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, EMPLOYEES - i) }, async (_, k) => {
        const userId = userIdOf(i + k);
        const due = addDays(TODAY, (i + k) % DAYS);
        await progress.update(userId, () => completed(course, userId));
        await refreshers.update(userId, () => ({ userId, start: addDays(due, -3), due, cards: {}, answers: [] }));
      }),
    );
  }
  await set.close();
  // The due index through the store, one filing per employee.
  const indexed = await openLowdbStores(dataFile, NOW, SHARDS);
  for (let i = 0; i < EMPLOYEES; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, EMPLOYEES - i) }, (_, k) =>
        indexed.refreshers.file(addDays(TODAY, (i + k) % DAYS), userIdOf(i + k)),
      ),
    );
  }
  await indexed.close();
}

/** Wall time of a round and the longest the event loop was held up during it. */
async function measured(run: () => Promise<number>): Promise<{ ms: number; stallMs: number; started: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t0 = performance.now();
  const started = await run();
  const ms = performance.now() - t0;
  delay.disable();
  return { ms, stallMs: delay.max / 1e6, started };
}

async function main(): Promise<boolean> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'postwise-refresher-bench-'));
  try {
    const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
    const course = (await loadContent(config.contentDir, config.org)).courses.en;
    const dataFile = path.join(temp, 'data', 'postwise.json');
    let t = performance.now();
    await seed(dataFile, course);
    console.log(`Seeded ${count(EMPLOYEES)} employees with refreshers due over ${DAYS} days in ${seconds(t)} s`);
    t = performance.now();
    const stores = await openLowdbStores(dataFile, NOW);
    console.log(`Reopened the store in ${seconds(t)} s`);
    try {
      const added: Delivery[] = [];
      const queue = { add: async (d: readonly Delivery[]) => (added.push(...d), d.length) };
      const service = new RefresherService(
        course,
        { ...stores, deliveries: queue },
        { now: () => NOW },
        { intervals: [3, 10, 30, 90], timeZone: TIME_ZONE },
      );
      // The machine is shared: how long the event loop waits while this process does nothing is the baseline.
      const quiet = await measured(() => new Promise((resolve) => setTimeout(() => resolve(0), 3000)));
      const busy = await measured(() => service.sendDue());
      const idle = await measured(() => service.sendDue());
      const expected = Math.ceil(EMPLOYEES / DAYS);
      if (busy.started !== expected || added.length !== expected)
        throw new Error(`a round started ${busy.started} refreshers; ${expected} were due`);
      const idlePass = idle.ms < IDLE_TARGET_MS;
      const stallPass = busy.stallMs < STALL_TARGET_MS;
      console.log('');
      console.log(
        `round with ${count(busy.started)} due: ${busy.ms.toFixed(0)} ms, longest event-loop wait ` +
          `${busy.stallMs.toFixed(1)} ms (idle baseline ${quiet.stallMs.toFixed(1)} ms; target < ` +
          `${STALL_TARGET_MS}) ${stallPass ? 'PASS' : 'FAIL'}`,
      );
      console.log(
        `round with nobody due: ${idle.ms.toFixed(1)} ms (target < ${IDLE_TARGET_MS}) ${idlePass ? 'PASS' : 'FAIL'}`,
      );
      console.log(
        `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ` +
          `${(os.loadavg()[0] ?? NaN).toFixed(1)}, Node ${process.version}`,
      );
      reportFigures([
        {
          bench: 'refresher',
          figure: `longest event-loop wait in a round with ${count(busy.started)} due (ms)`,
          value: busy.stallMs.toFixed(1),
          baseline: `${quiet.stallMs.toFixed(1)} (doing nothing)`,
          target: `< ${STALL_TARGET_MS}`,
          pass: stallPass,
        },
        {
          bench: 'refresher',
          figure: `round with nobody due, ${count(EMPLOYEES)} enrolled (ms)`,
          value: idle.ms.toFixed(1),
          baseline: `${busy.ms.toFixed(0)} (busy round)`,
          target: `< ${IDLE_TARGET_MS}`,
          pass: idlePass,
        },
      ]);
      return idlePass && stallPass;
    } finally {
      await stores.close();
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

exitWith(main());
