// Issue 13's HR figures benchmark (`tsx bench/coverage.bench.ts`): the cost of HR's cards at
// 1,000 and at 100,000 employees in the embedded store, in the same run. Seeds each roster with a
// realistic mix (not started, in progress, completed; some overdue, some unreachable, some who
// left; a campaign with a delivery per person), reopens the store as the bot would at start,
// builds the coverage index, then times coverage, the campaign status, the understanding card and
// the not-started list; at 100,000 also the streamed export's first byte and memory growth, and
// the longest the event loop was held during all of it. Exits 1 when a figure misses its target.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LIST_ON_CARD } from '../src/cards/hrCards.js';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import type { Assignment } from '../src/domain/campaigns/assignment.js';
import { CampaignService } from '../src/domain/campaigns/campaignService.js';
import type { Course } from '../src/domain/course/course.js';
import { CoverageIndex } from '../src/domain/figures/coverageIndex.js';
import { CoverageService } from '../src/domain/coverage/coverageService.js';
import type { Progress } from '../src/domain/course/progress.js';
import type { Member } from '../src/domain/roster/roster.js';
import { UnderstandingService } from '../src/domain/understanding/understandingService.js';
import { exportCsvChunks } from '../src/reports/exportCsv.js';
import { indexedStores } from '../src/storage/indexedStores.js';
import { ShardSet } from '../src/storage/lowdb/shardedTable.js';
import { openLowdbStores, storeFiles } from '../src/storage/lowdb/stores.js';
import { coursePath, seededRandom } from './coursePath.js';
import { progressAfter } from './progressAfter.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures, type Figure } from './results.js';

const SIZES = [1_000, 100_000] as const;
/** People who talked to the bot but are not on the roster, per 100 employees: read, never counted. */
const NOT_ON_ROSTER_PER_100 = 2;
const SHARDS = 256;
const RUNS = 9;
const BATCH = 2_000;
const TIME_ZONE = 'Europe/Amsterdam';
const NOW = new Date('2026-11-16T10:00:00Z');
const CAMPAIGN = 'campaign-1';
/** Targets: cost at 100,000 at most this many times the cost at 1,000; first byte, memory growth, event-loop block. */
const RATIO = 2;
const FIRST_BYTE_MS = 200;
const MEMORY_MB = 50;
const BLOCK_MS = 50;

const DEPARTMENTS = [
  'Sales',
  'Facilities',
  'Finance',
  'HR',
  'IT',
  'Logistics',
  'Marketing',
  'Operations',
  'Legal',
  'Customer service',
  'Production',
  '',
];
const ROLES = [
  'Office manager',
  'Receptionist',
  'Account manager',
  'Engineer',
  'Operator',
  'Team lead',
  'Analyst',
  'Secretary',
  'Driver',
  'Consultant',
  '',
];

async function seed(
  dataFile: string,
  course: Course,
  employees: number,
): Promise<{ completedActive: number; progressRecords: number }> {
  const random = seededRandom(20261116);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const steps = coursePath(course).length;
  const stores = await openLowdbStores(dataFile, NOW, SHARDS);
  const progress: Progress[] = [];
  let completedActive = 0;
  let writes: Promise<unknown>[] = [];
  await stores.campaigns.create({
    id: CAMPAIGN,
    createdBy: 'hr',
    createdAt: NOW.toISOString(),
    audience: { kind: 'everyone' },
    due: '2026-12-01',
    recipients: employees,
  });
  for (let i = 0; i < employees; i++) {
    if (i % BATCH === 0) {
      await Promise.all(writes);
      writes = [];
    }
    const key = `employee${i}@contoso.example`;
    const aadObjectId = random() < 0.05 ? undefined : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const member: Member = {
      key,
      name: `Employee ${i}`,
      email: key,
      department: pick(DEPARTMENTS),
      role: pick(ROLES),
      ...(aadObjectId ? { aadObjectId } : {}),
      active: random() >= 0.03,
      source: 'csv',
      updatedAt: NOW.toISOString(),
    };
    writes.push(stores.roster.put(member));
    const r = random();
    if (aadObjectId && r >= 0.3) {
      // 30% not started, 30% part-way, 38% done on this version, 2% done on an older one.
      const done = r >= 0.6;
      const stepsDone = done ? steps : 1 + Math.floor(random() * (steps - 1));
      progress.push(
        progressAfter(NOW, course, aadObjectId, stepsDone, random, r >= 0.98 ? 'an-older-version' : course.version),
      );
      if (done && r < 0.98 && member.active) completedActive += 1;
    }
    if (random() < 0.9) {
      const assignment: Assignment = {
        key,
        campaignId: 'campaign-1',
        due: random() < 0.5 ? '2026-11-01' : '2026-12-01',
        ...(random() < 0.03
          ? { reach: { ok: false, reason: '403 ConversationBlockedByUser', at: NOW.toISOString() } }
          : { reach: { ok: true, at: NOW.toISOString() } }),
      };
      writes.push(stores.assignments.update(key, () => assignment));
      const state = assignment.reach?.ok === false ? 'unreachable' : 'sent';
      writes.push(
        stores.deliveries.add([
          {
            id: `${CAMPAIGN}/${key}`,
            sendId: CAMPAIGN,
            kind: 'campaign',
            campaignId: CAMPAIGN,
            memberKey: key,
            state,
            attempts: 1,
            ...(state === 'unreachable' ? { reason: '403 ConversationBlockedByUser' } : {}),
            updatedAt: NOW.toISOString(),
          },
        ]),
      );
    }
  }
  await Promise.all(writes);
  await stores.close();
  for (let i = 0; i < (employees / 100) * NOT_ON_ROSTER_PER_100; i++)
    progress.push(progressAfter(NOW, course, `visitor-${i}`, steps, random, course.version));
  // Whole progress records straight into the store's progress table: the ProgressStore API
  // would take one write per step, some four million of them.
  const set = await ShardSet.open(storeFiles(dataFile).shards, SHARDS);
  const table = set.table<Progress>('progress');
  for (let i = 0; i < progress.length; i += BATCH)
    await Promise.all(progress.slice(i, i + BATCH).map((p) => table.update(p.userId, () => p)));
  await set.close();
  return { completedActive, progressRecords: progress.length };
}

/** Median wall-clock milliseconds of RUNS calls, after one call to warm up. */
async function median(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
}

interface Costs {
  readonly build: number;
  readonly cards: ReadonlyMap<string, number>;
  readonly firstByte?: number;
  readonly memoryMb?: number;
  readonly blockMs?: number;
}

/** A full garbage collection, whether or not node was started with --expose-gc (`npm run bench` does not pass it). */
const collect: () => void = (() => {
  const { gc } = global;
  if (gc) return () => void gc();
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const heap = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};

async function measure(course: Course, temp: string, employees: number): Promise<Costs> {
  const dataFile = path.join(temp, `data-${employees}`, 'postwise.json');
  let started = performance.now();
  const seeded = await seed(dataFile, course, employees);
  console.log(`${count(employees)}: seeded ${count(seeded.progressRecords)} progress records in ${seconds(started)} s`);
  // The seed's garbage (some 1 GB at 100,000: its records and its closed stores) is no part of the
  // bot's heap: collected now, so that the collection before the export does not free it and the
  // export's first scavenge does not finish sweeping it on the event loop (some 200 ms).
  collect();
  const raw = await openLowdbStores(dataFile, NOW);
  try {
    const clock = { now: () => NOW };
    const index = new CoverageIndex(course);
    const stores = indexedStores(raw, index);
    started = performance.now();
    await index.refresh(stores);
    const build = performance.now() - started;
    const coverage = new CoverageService(course, stores, clock, TIME_ZONE, index);
    const campaigns = new CampaignService(course, stores, clock, TIME_ZONE, index);
    const understanding = new UnderstandingService(course, stores, index);
    const { overall } = await coverage.coverage();
    if (overall.completed !== seeded.completedActive)
      throw new Error(`coverage counted ${overall.completed} completed; the seed made ${seeded.completedActive}`);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const cards = new Map<string, number>([
      ['coverage card', await median(() => coverage.coverage())],
      ['campaign status', await median(() => campaigns.status(CAMPAIGN, LIST_ON_CARD))],
      ['understanding card', await median(() => understanding.understanding())],
      ['not-started card (first few, count)', await median(() => coverage.firstReports('not-started', LIST_ON_CARD))],
    ]);
    if (employees !== SIZES[SIZES.length - 1]) {
      delay.disable();
      return { build, cards };
    }
    delay.disable();
    // A full collection holds the loop as long as the store is large: it is made outside the measured time.
    collect();
    const during = monitorEventLoopDelay({ resolution: 5 });
    during.enable();
    const before = heap();
    let peak = before;
    started = performance.now();
    let firstByte = NaN;
    let bytes = 0;
    for await (const chunk of exportCsvChunks(coverage.reportRows({ includeInactive: true }))) {
      // The header goes out before any row is read: the first byte is the first row's.
      if (bytes > 0 && Number.isNaN(firstByte)) firstByte = performance.now() - started;
      bytes += chunk.length;
      peak = Math.max(peak, heap());
    }
    during.disable();
    console.log(`${count(employees)}: export of ${(bytes / 1024 / 1024).toFixed(1)} MB in ${seconds(started)} s`);
    return {
      build,
      cards,
      firstByte,
      memoryMb: (peak - before) / 1024 / 1024,
      blockMs: Math.max(delay.max, during.max) / 1e6,
    };
  } finally {
    await raw.close();
  }
}

async function main(): Promise<boolean> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'postwise-coverage-bench-'));
  try {
    const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
    const course = (await loadContent(config.contentDir, config.org)).courses.en;
    const [small, large] = [await measure(course, temp, SIZES[0]), await measure(course, temp, SIZES[1])];
    const ms = (n: number | undefined) => `${(n ?? NaN).toFixed(n !== undefined && n < 1 ? 3 : 1)} ms`;
    const figures: Figure[] = [
      ...[...large.cards].map(([name, cost]): Figure => {
        const baseline = small.cards.get(name) ?? NaN;
        return {
          bench: 'coverage',
          figure: `${name} at ${count(SIZES[1])} (median)`,
          value: ms(cost),
          baseline: `${ms(baseline)} at ${count(SIZES[0])}`,
          target: `≤ ${RATIO}× baseline`,
          pass: cost <= RATIO * baseline,
        };
      }),
      {
        bench: 'coverage',
        figure: `index build at start-up, ${count(SIZES[1])}`,
        value: ms(large.build),
        baseline: `${ms(small.build)} at ${count(SIZES[0])}`,
      },
      {
        bench: 'coverage',
        figure: `export first byte, ${count(SIZES[1])}`,
        value: ms(large.firstByte),
        target: `< ${FIRST_BYTE_MS} ms`,
        pass: (large.firstByte ?? Infinity) < FIRST_BYTE_MS,
      },
      {
        bench: 'coverage',
        figure: `export memory growth, ${count(SIZES[1])}`,
        value: `${(large.memoryMb ?? NaN).toFixed(1)} MB`,
        target: `< ${MEMORY_MB} MB`,
        pass: (large.memoryMb ?? Infinity) < MEMORY_MB,
      },
      {
        bench: 'coverage',
        figure: `longest event-loop block in HR requests, ${count(SIZES[1])}`,
        value: ms(large.blockMs),
        target: `≤ ${BLOCK_MS} ms`,
        pass: (large.blockMs ?? Infinity) <= BLOCK_MS,
      },
    ];
    reportFigures(figures);
    console.log('');
    for (const f of figures)
      console.log(
        `${f.figure.padEnd(58)}${f.value.padStart(12)}   ${(f.baseline ?? '').padEnd(22)} ${f.target ?? ''} ` +
          `${f.pass === undefined ? '' : f.pass ? 'PASS' : 'FAIL'}`,
      );
    console.log(
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ` +
        `${(os.loadavg()[0] ?? NaN).toFixed(1)}, Node ${process.version}`,
    );
    return figures.every((f) => f.pass !== false);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

exitWith(main());
