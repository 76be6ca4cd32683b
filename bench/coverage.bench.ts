// Issue 4's coverage benchmark (`tsx bench/coverage.bench.ts`): HR's coverage over 100,000
// employees in the embedded store. Seeds a roster with a realistic mix of progress (not
// started, in progress, completed; some overdue, some unreachable, some who left), reopens the
// store as the bot would at start, then times CoverageService.coverage() and the CSV export.
// Exits 1 when a timed coverage call misses the target; the first call (which also compiles the
// code and works out every record's status) is shown on its own.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import type { Assignment } from '../src/domain/campaigns/assignment.js';
import type { Course } from '../src/domain/course/course.js';
import { CoverageService } from '../src/domain/coverage/coverageService.js';
import type { Answer, Progress } from '../src/domain/course/progress.js';
import type { Member } from '../src/domain/roster/roster.js';
import { exportCsv } from '../src/reports/exportCsv.js';
import { ShardSet } from '../src/storage/lowdb/shardedTable.js';
import { openLowdbStores, storeFiles } from '../src/storage/lowdb/stores.js';
import { coursePath, pickChoice, seededRandom } from './coursePath.js';
import { count, exitWith, seconds } from './report.js';

const EMPLOYEES = 100_000;
/** People who talked to the bot but are not on the roster: read, never counted. */
const NOT_ON_ROSTER = 2_000;
const SHARDS = 256;
const COVERAGE_RUNS = 9;
const EXPORT_RUNS = 3;
const TARGET_MS = 300;
const BATCH = 2_000;
const TIME_ZONE = 'Europe/Amsterdam';
const NOW = new Date('2026-11-16T10:00:00Z');

const DEPARTMENTS = ['Sales', 'Facilities', 'Finance', 'HR', 'IT', 'Logistics', 'Marketing', 'Operations', 'Legal', 'Customer service', 'Production', ''];
const ROLES = ['Office manager', 'Receptionist', 'Account manager', 'Engineer', 'Operator', 'Team lead', 'Analyst', 'Secretary', 'Driver', 'Consultant', ''];


/** What the store would hold after `stepsDone` steps of the course path, answered by `random`. */
function progressAfter(course: Course, userId: string, stepsDone: number, random: () => number, version: string): Progress {
  const lessonsOpened: string[] = [];
  const answers: Record<string, Answer> = {};
  const acknowledgements: Progress['acknowledgements'][number][] = [];
  let at = NOW.getTime() - 20 * 86_400_000 + Math.floor(random() * 15 * 86_400_000);
  const next = () => new Date((at += 30_000 + Math.floor(random() * 120_000))).toISOString();
  for (const step of coursePath(course).slice(0, stepsDone)) {
    if (step.kind === 'open') lessonsOpened.push(step.lessonId);
    else if (step.kind === 'answer') {
      const choiceId = pickChoice(step, random);
      answers[step.questionId] = { questionId: step.questionId, choiceId, correct: choiceId === step.correctChoice, at: next(), version: course.version };
    } else {
      const values = Object.values(answers);
      acknowledgements.push({ version, at: next(), correct: values.filter((a) => a.correct).length, total: values.length });
    }
  }
  return { userId, lessonsOpened, answers, acknowledgements, lastActivityAt: new Date(at).toISOString(), ...(random() < 0.15 ? { language: 'nl' as const } : {}) };
}

async function seed(dataFile: string, course: Course): Promise<{ completedActive: number; progressRecords: number }> {
  const random = seededRandom(20261116);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const steps = coursePath(course).length;
  const stores = await openLowdbStores(dataFile, NOW, SHARDS);
  const progress: Progress[] = [];
  let completedActive = 0;
  let writes: Promise<unknown>[] = [];
  for (let i = 0; i < EMPLOYEES; i++) {
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
      progress.push(progressAfter(course, aadObjectId, stepsDone, random, r >= 0.98 ? 'an-older-version' : course.version));
      if (done && r < 0.98 && member.active) completedActive += 1;
    }
    if (random() < 0.9) {
      const assignment: Assignment = {
        key,
        campaignId: 'campaign-1',
        due: random() < 0.5 ? '2026-11-01' : '2026-12-01',
        ...(random() < 0.03 ? { reach: { ok: false, reason: '403 ConversationBlockedByUser', at: NOW.toISOString() } } : { reach: { ok: true, at: NOW.toISOString() } }),
      };
      writes.push(stores.assignments.update(key, () => assignment));
    }
  }
  await Promise.all(writes);
  await stores.close();
  for (let i = 0; i < NOT_ON_ROSTER; i++) progress.push(progressAfter(course, `visitor-${i}`, steps, random, course.version));
  // Whole progress records straight into the store's progress table: the ProgressStore API
  // would take one write per step, some four million of them.
  const set = await ShardSet.open(storeFiles(dataFile).shards, SHARDS);
  const table = set.table<Progress>('progress');
  for (let i = 0; i < progress.length; i += BATCH) await Promise.all(progress.slice(i, i + BATCH).map((p) => table.update(p.userId, () => p)));
  await set.idle();
  return { completedActive, progressRecords: progress.length };
}

/** Wall-clock and CPU milliseconds of one call. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

async function time<T>(run: () => Promise<T>): Promise<Timing & { value: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000, value };
}

/** One table row: median and max wall time, median CPU time, and the target if there is one. */
function row(label: string, timings: readonly Timing[], target?: { ms: number; pass: boolean }): string {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const cells = [median(timings.map((t) => t.wall)), Math.max(...timings.map((t) => t.wall)), median(timings.map((t) => t.cpu))];
  const verdict = target ? `< ${target.ms}   ${target.pass ? 'PASS' : 'FAIL'}` : '';
  return `${label.padEnd(38)}${cells.map((n) => n.toFixed(1).padStart(9)).join('')}   ${verdict}`.trimEnd();
}

async function main(): Promise<boolean> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'postwise-coverage-bench-'));
  try {
    const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
    const course = (await loadContent(config.contentDir, config.org)).courses.en;
    const dataFile = path.join(temp, 'data', 'postwise.json');

    let started = performance.now();
    const seeded = await seed(dataFile, course);
    console.log(`Seeded ${count(EMPLOYEES)} roster members and ${count(seeded.progressRecords)} progress records in ${seconds(started)} s`);

    started = performance.now();
    const stores = await openLowdbStores(dataFile, NOW);
    console.log(`Reopened the store in ${seconds(started)} s`);
    try {
      const service = new CoverageService(course, stores, { now: () => NOW }, TIME_ZONE);
      const cold = await time(() => service.coverage());
      const warm: Timing[] = [];
      let coverage = cold.value;
      for (let i = 0; i < COVERAGE_RUNS; i++) {
        const run = await time(() => service.coverage());
        warm.push(run);
        coverage = run.value;
      }
      const { overall } = coverage;
      if (overall.completed !== seeded.completedActive) throw new Error(`coverage counted ${overall.completed} completed; the seed made ${seeded.completedActive}`);
      console.log(
        `Coverage: ${count(overall.active)} active, ${count(overall.notStarted)} not started, ${count(overall.inProgress)} in progress, ` +
          `${count(overall.completed)} completed, ${count(overall.overdue)} overdue, ${count(overall.unreachable)} unreachable; ` +
          `${coverage.byDepartment.length} departments, ${coverage.byRole.length} roles`,
      );

      const reports: Timing[] = [];
      const exports: Timing[] = [];
      let bytes = 0;
      for (let i = 0; i < EXPORT_RUNS; i++) {
        const listed = await time(() => service.reports({ includeInactive: true }));
        reports.push(listed);
        const csv = await time(async () => exportCsv(listed.value));
        exports.push(csv);
        bytes = csv.value.length;
      }

      const pass = Math.max(...warm.map((t) => t.wall)) < TARGET_MS;
      const load = os.loadavg()[0] ?? NaN;
      console.log('');
      console.log(`${''.padEnd(38)}   median      max  CPU med   target`);
      console.log(row(`coverage(), ${COVERAGE_RUNS} calls (ms)`, warm, { ms: TARGET_MS, pass }));
      console.log(row(`  the first call before them (ms)`, [cold]));
      console.log(row(`reports(), all ${count(EMPLOYEES)} members (ms)`, reports));
      console.log(row(`exportCsv(), ${(bytes / 1024 / 1024).toFixed(1)} MB (ms)`, exports));
      console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${load.toFixed(1)}, Node ${process.version}`);
      return pass;
    } finally {
      await stores.close();
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

exitWith(main());
