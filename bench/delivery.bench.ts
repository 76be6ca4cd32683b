// Issue 13's delivery benchmark (part of `npm run bench`): a campaign to every employee through a
// fake Bot Connector (in its own process) that throttles like Teams at 50 and then at 30
// requests/s, with the delivery worker at its default settings (starting at POSTWISE_SEND_RATE,
// not told the limit) in a process of its own on the embedded store. Per limit, a steady run
// measures the pace and the 429s; a kill run SIGKILLs the worker mid-run and starts a new one on
// the same store. `--seconds N` (default 45): the steady runs' length at the limit.
// Exits 1 when a target is missed.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deliveryId, type Delivery, type DeliveryState } from '../src/domain/campaigns/delivery.js';
import { openLowdbStores } from '../src/storage/lowdb/stores.js';
import { ask, cpuSeconds, withChildren, type ChildProcesses } from './childProcesses.js';
import type { ConnectorJob } from './deliveryConnector.js';
import type { WorkerJob, WorkerReport } from './deliveryWorker.js';
import { conversationRefOf, employee } from './teamsActivities.js';
import { loadConfig } from '../src/config.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures, type Figure } from './results.js';

/** The fake connector's limits, requests/s per app and tenant; the worker is not told either. */
const LIMITS = [50, 30] as const;
const TARGET_SHARE = 0.95;
const MAX_THROTTLED_SHARE = 0.01;
/** In the kill run, every tenth employee has no stored chat yet: the worker creates it. */
const CREATE_EVERY = 10;
/** The kill run is this many seconds' worth of messages at the limit; the kill comes once this share is out. */
const KILL_RUN_SECONDS = 12;
const KILL_AT = 0.45;
const SEND_ID = 'bench-campaign';
const DEPARTMENTS = ['Office', 'Sales', 'Finance', 'Operations', 'HR', 'Reception'];
const SEED_BATCH = 1000;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface ConnectorStats {
  readonly received: number;
  readonly throttled: number;
  readonly peak: number;
  readonly delivered: [string, number][];
  readonly chats: number;
}

type Progress = Extract<WorkerReport, { progress: unknown }>['progress'];
type Done = Extract<WorkerReport, { done: unknown }>['done'];

/** One seeded employee and the conversation their message must land in. */
interface Person {
  readonly key: string;
  readonly conversationId: string;
}

interface RunResult {
  readonly limit: number;
  readonly people: number;
  /** The last worker's own figures (the only one, without a kill). */
  readonly done: Done;
  readonly workerCpu: number;
  readonly connector: ConnectorStats;
  readonly states: Record<DeliveryState, number>;
  readonly duplicates: number;
  readonly lost: number;
  readonly unconfirmed: { readonly arrived: number; readonly notArrived: number };
  readonly kill?: { readonly sentBefore: number; readonly markedUnconfirmed: number; readonly wallSeconds: number };
  /**
   * Messages sent over the seconds the workers ran (from start to no delivery open; the kill's restart not counted).
   */
  readonly messagesPerSecond: number;
}

function secondsArg(): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === '--seconds' || a.startsWith('--seconds='));
  if (at < 0) return 45;
  const raw = args[at]?.includes('=') ? args[at]?.split('=')[1] : args[at + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 5)
    throw new Error(`--seconds must be a whole number of at least 5 (got '${raw}')`);
  return value;
}

async function main(): Promise<boolean> {
  const runSeconds = secondsArg();
  const { sendRate, sendRateMax } = loadConfig({});
  return withChildren('postwise-delivery-bench-', async (children, temp) => {
    let pass = true;
    for (const limit of LIMITS) {
      console.log(
        `\nA fake connector that takes ${limit} requests/s; the worker starts at ${sendRate}/s and may rise ` +
          `to ${sendRateMax}/s (the defaults)`,
      );
      const job = { rate: sendRate, maxRate: sendRateMax };
      const steady = await deliveryRun(
        children,
        path.join(temp, `steady-${limit}`, 'postwise.json'),
        limit,
        limit * runSeconds,
        job,
        false,
      );
      const killed = await deliveryRun(
        children,
        path.join(temp, `kill-${limit}`, 'postwise.json'),
        limit,
        limit * KILL_RUN_SECONDS,
        job,
        true,
      );
      pass = report(steady, killed) && pass;
    }
    return pass;
  });
}

async function deliveryRun(
  children: ChildProcesses,
  dataFile: string,
  limit: number,
  employees: number,
  pace: Pick<WorkerJob, 'rate' | 'maxRate'>,
  kill: boolean,
): Promise<RunResult> {
  const { child: connectorChild } = await children.forkTs<{ ready: true }>(here('./deliveryConnector.ts'));
  const connectorUrl = (await ask<{ url: string }>(connectorChild, { limit } satisfies ConnectorJob)).url;
  let started = performance.now();
  const people = await seed(dataFile, connectorUrl, employees, kill ? CREATE_EVERY : 0);
  console.log(
    `${kill ? 'Kill run (kill -9 and restart)' : 'Steady run'}: seeded ${count(employees)} employees and ` +
      `deliveries in ${seconds(started)} s`,
  );
  const job: WorkerJob = { dataFile, serviceUrl: connectorUrl, ...pace };

  started = performance.now();
  let killInfo: RunResult['kill'];
  let worker = await startWorker(children, job);
  let firstWorker: { sent: number; seconds: number } | undefined;
  if (kill) {
    const workerStarted = performance.now();
    const sentBefore = await killMidRun(worker, Math.ceil(employees * KILL_AT));
    firstWorker = { sent: sentBefore, seconds: (performance.now() - workerStarted) / 1000 };
    console.log(
      `  killed the worker (SIGKILL) after ${count(sentBefore)} messages; starting a new one on the same store`,
    );
    worker = await startWorker(children, job);
    killInfo = { sentBefore, markedUnconfirmed: (await worker.started).unconfirmed, wallSeconds: 0 };
  }
  const done = await worker.done;
  const workerCpu = cpuSeconds(worker.child.pid ?? -1);
  await children.stop(worker.child);
  if (killInfo) killInfo = { ...killInfo, wallSeconds: (performance.now() - started) / 1000 };
  const stats = await ask<ConnectorStats>(connectorChild, 'stats');
  await children.stop(connectorChild);
  const messagesPerSecond =
    (done.progress.sent + (firstWorker?.sent ?? 0)) / (done.seconds + (firstWorker?.seconds ?? 0));
  return {
    ...(await check(dataFile, people, stats)),
    limit,
    people: employees,
    done,
    workerCpu,
    connector: stats,
    messagesPerSecond,
    ...(killInfo ? { kill: killInfo } : {}),
  };
}

/** Roster, stored chats (all, or all but every `createEvery`th person) and one pending delivery each. */
async function seed(dataFile: string, serviceUrl: string, employees: number, createEvery: number): Promise<Person[]> {
  const stores = await openLowdbStores(dataFile, new Date());
  const now = new Date().toISOString();
  const people: Person[] = [];
  try {
    const place = conversationRefOf(employee(0, 'en'), serviceUrl);
    await stores.settings.setTeamsPlace({ serviceUrl, tenantId: place.tenantId as string, botId: place.botId });
    let writes: Promise<unknown>[] = [];
    const deliveries: Delivery[] = [];
    for (let i = 0; i < employees; i++) {
      if (i % SEED_BATCH === 0) {
        await Promise.all(writes);
        writes = [];
      }
      const person = employee(i, 'en');
      const key = `employee${i}@contoso.example`;
      const create = createEvery > 0 && i % createEvery === 0;
      writes.push(
        stores.roster.put({
          key,
          name: `Employee ${i}`,
          email: key,
          department: DEPARTMENTS[i % DEPARTMENTS.length] as string,
          role: i % 7 === 0 ? 'Office manager' : 'Clerk',
          aadObjectId: person.userId,
          active: true,
          source: 'csv',
          updatedAt: now,
        }),
      );
      if (!create) writes.push(stores.conversations.put(person.userId, conversationRefOf(person, serviceUrl)));
      deliveries.push({
        id: deliveryId(SEND_ID, key),
        sendId: SEND_ID,
        kind: 'campaign',
        campaignId: SEND_ID,
        memberKey: key,
        state: 'pending',
        attempts: 0,
        updatedAt: now,
      });
      people.push({ key, conversationId: create ? `a:${person.userId}` : person.conversationId });
    }
    await Promise.all(writes);
    for (let i = 0; i < deliveries.length; i += SEED_BATCH)
      await stores.deliveries.add(deliveries.slice(i, i + SEED_BATCH));
  } finally {
    await stores.close();
  }
  return people;
}

interface WorkerHandle {
  readonly child: ChildProcess;
  readonly started: Promise<{ unconfirmed: number }>;
  readonly done: Promise<Done>;
  latest: Progress | undefined;
  onProgress: ((progress: Progress) => void) | undefined;
}

async function startWorker(children: ChildProcesses, job: WorkerJob): Promise<WorkerHandle> {
  const { child } = await children.forkTs<{ ready: true }>(here('./deliveryWorker.ts'));
  let resolveStarted: (s: { unconfirmed: number }) => void = () => {};
  let resolveDone: (d: Done) => void = () => {};
  let rejectDone: (e: Error) => void = () => {};
  const handle: WorkerHandle = {
    child,
    started: new Promise((resolve) => (resolveStarted = resolve)),
    done: new Promise((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    }),
    latest: undefined,
    onProgress: undefined,
  };
  handle.done.catch(() => {});
  child.on('message', (message: WorkerReport) => {
    if ('started' in message) resolveStarted(message.started);
    else if ('progress' in message) {
      handle.latest = message.progress;
      handle.onProgress?.(message.progress);
    } else if ('done' in message) resolveDone(message.done);
  });
  child.once('exit', (code, signal) =>
    rejectDone(new Error(`the worker exited (${signal ?? code}) before it was done`)),
  );
  child.send(job);
  return handle;
}

/** SIGKILLs the worker once `after` messages are out; resolves with how many it had reported. */
async function killMidRun(worker: WorkerHandle, after: number): Promise<number> {
  await new Promise<void>((resolve) => {
    worker.onProgress = (progress) => {
      if (progress.sent >= after) resolve();
    };
  });
  const exited = once(worker.child, 'exit');
  worker.child.kill('SIGKILL');
  await exited;
  return worker.latest?.sent ?? 0;
}

/** Compares what the store says with what the connector received, person by person. */
async function check(
  dataFile: string,
  people: readonly Person[],
  stats: ConnectorStats,
): Promise<Pick<RunResult, 'states' | 'duplicates' | 'lost' | 'unconfirmed'>> {
  const delivered = new Map(stats.delivered);
  const stores = await openLowdbStores(dataFile, new Date());
  try {
    const byKey = new Map((await stores.deliveries.forSend(SEND_ID)).map((d) => [d.memberKey, d]));
    const states: Record<DeliveryState, number> = {
      pending: 0,
      sending: 0,
      retrying: 0,
      sent: 0,
      unreachable: 0,
      failed: 0,
      unconfirmed: 0,
    };
    let lost = 0;
    const unconfirmed = { arrived: 0, notArrived: 0 };
    for (const person of people) {
      const state = byKey.get(person.key)?.state ?? 'pending';
      states[state] += 1;
      const arrived = (delivered.get(person.conversationId) ?? 0) > 0;
      if (state === 'unconfirmed') unconfirmed[arrived ? 'arrived' : 'notArrived'] += 1;
      // Everyone in the bench is reachable: whoever did not get the message is lost, whatever the record says.
      if (!arrived || (state !== 'sent' && state !== 'unconfirmed')) lost += 1;
    }
    const duplicates = [...delivered.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    return { states, duplicates, lost, unconfirmed };
  } finally {
    await stores.close();
  }
}

function report(steady: RunResult, killed: RunResult): boolean {
  const { limit } = steady;
  const share = steady.messagesPerSecond / limit;
  const throttledShare = steady.connector.throttled / Math.max(1, steady.connector.received);
  const killedThrottledShare = killed.connector.throttled / Math.max(1, killed.connector.received);
  const checks = {
    pace: share >= TARGET_SHARE,
    throttled: throttledShare <= MAX_THROTTLED_SHARE && killedThrottledShare <= MAX_THROTTLED_SHARE,
    counted: steady.done.progress.requests === steady.connector.received,
    duplicates: steady.duplicates === 0 && killed.duplicates === 0,
    lost: steady.lost === 0 && killed.lost === 0,
  };
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  const pct = (n: number, digits = 1) => `${(n * 100).toFixed(digits)} %`;
  const kill = killed.kill;
  const unconfirmed =
    `${killed.states.unconfirmed} (arrived at the connector: ` +
    `${killed.unconfirmed.arrived}, did not: ${killed.unconfirmed.notArrived})`;
  const lines = [
    `Steady run: ${count(steady.people)} employees, all with a stored chat, limit ${limit} requests/s`,
    `  time to deliver all                   ${steady.done.seconds.toFixed(1)} s`,
    `  messages/s                            ${steady.messagesPerSecond.toFixed(2)} = ${pct(share)} of the ` +
      `limit   target >= ${pct(TARGET_SHARE, 0)}   ${verdict(checks.pace)}`,
    `  pace learnt (requests/s)              ${steady.done.progress.rate.toFixed(1)}`,
    `  429s                                  ${steady.connector.throttled} of ` +
      `${count(steady.connector.received)} requests = ${pct(throttledShare, 2)}   target <= ` +
      `${pct(MAX_THROTTLED_SHARE, 0)}   ${verdict(throttledShare <= MAX_THROTTLED_SHARE)}`,
    `  requests: worker / connector          ${count(steady.done.progress.requests)} / ` +
      `${count(steady.connector.received)}; busiest 1 s window: ${steady.connector.peak}   ` +
      `${verdict(checks.counted)}`,
    `  duplicates / lost                     ${steady.duplicates} / ${steady.lost}   target 0 / 0`,
    `  worker CPU                            ${steady.workerCpu.toFixed(1)} s ` +
      `(${((steady.workerCpu / steady.done.seconds) * 100).toFixed(1)} % of one core)`,
    `Kill run: ${count(killed.people)} employees, every ${CREATE_EVERY}th without a chat yet ` +
      '(createConversation), worker killed with SIGKILL mid-run',
    `  killed after                          ${count(kill?.sentBefore ?? 0)} messages reported sent`,
    `  left in flight, marked unconfirmed    ${unconfirmed}`,
    `  final states                          ${Object.entries(killed.states)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${s} ${count(n)}`)
      .join(', ')}`,
    `  messages/s while a worker ran         ${killed.messagesPerSecond.toFixed(2)} = ` +
      `${pct(killed.messagesPerSecond / limit)} of the limit (the first worker starts at POSTWISE_SEND_RATE, ` +
      'the restarted one at the limit learnt)',
    `  429s                                  ${killed.connector.throttled} of ` +
      `${count(killed.connector.received)} requests = ${pct(killedThrottledShare, 2)}`,
    `  duplicates / lost                     ${killed.duplicates} / ${killed.lost}   target 0 / 0   ` +
      `${verdict(checks.duplicates && checks.lost)}`,
    `  wall time, both workers               ${(kill?.wallSeconds ?? 0).toFixed(1)} s`,
  ];
  console.log(lines.join('\n'));
  const bench = 'delivery';
  const at = `at a limit of ${limit}/s`;
  const figures: Figure[] = [
    {
      bench,
      figure: `messages/s ${at} (not told), share of the limit`,
      value: `${steady.messagesPerSecond.toFixed(1)} = ${pct(share)}`,
      baseline: `${limit}/s`,
      target: `>= ${pct(TARGET_SHARE, 0)}`,
      pass: checks.pace,
    },
    {
      bench,
      figure: `429s ${at}, share of requests (steady / kill run)`,
      value: `${pct(throttledShare, 2)} / ${pct(killedThrottledShare, 2)}`,
      target: `<= ${pct(MAX_THROTTLED_SHARE, 0)}`,
      pass: checks.throttled,
    },
    {
      bench,
      figure: `duplicates ${at} (steady / across kill -9)`,
      value: `${steady.duplicates} / ${killed.duplicates}`,
      target: '0',
      pass: checks.duplicates,
    },
    {
      bench,
      figure: `lost ${at} (steady / across kill -9)`,
      value: `${steady.lost} / ${killed.lost}`,
      target: '0',
      pass: checks.lost,
    },
    { bench, figure: `unconfirmed after kill -9 ${at}`, value: unconfirmed },
  ];
  reportFigures(figures);
  return Object.values(checks).every(Boolean);
}

exitWith(main());
