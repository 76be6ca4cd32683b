// Issue 4's delivery benchmark (part of `npm run bench`): a campaign to every employee through a
// fake Bot Connector that enforces Teams' 50 requests/s (in its own process), with the delivery
// worker at the default 45/s in a process of its own on the embedded store. Run 1 measures the
// pace; run 2 kills the worker with SIGKILL mid-run and starts a new one on the same store.
// `--employees N` (default 10,000) for a quicker try. Exits 1 when a target is missed.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deliveryId, type Delivery, type DeliveryState } from '../src/domain/campaigns/delivery.js';
import { openLowdbStores } from '../src/storage/lowdb/stores.js';
import { ask, cpuSeconds, withChildren, type ChildProcesses } from './childProcesses.js';
import type { WorkerJob, WorkerReport } from './deliveryWorker.js';
import { conversationRefOf, employee } from './teamsActivities.js';
import { count, exitWith, seconds } from './report.js';

const RATE = 45;
const TEAMS_LIMIT = 50;
const TARGET_SHARE = 0.97;
/** In the kill run, every tenth employee has no stored chat yet: the worker creates it. */
const CREATE_EVERY = 10;
/** The kill comes once this share of the messages is out. */
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
}

function employeesArg(): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === '--employees' || a.startsWith('--employees='));
  if (at < 0) return 10_000;
  const raw = args[at]?.includes('=') ? args[at]?.split('=')[1] : args[at + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100) throw new Error(`--employees must be a whole number of at least 100 (got '${raw}')`);
  return value;
}

async function main(): Promise<boolean> {
  const employees = employeesArg();
  return withChildren('postwise-delivery-bench-', async (children, temp) => {
    console.log(`Delivery to ${count(employees)} employees at ${RATE}/s through a fake connector limited to ${TEAMS_LIMIT} requests/s`);
    const steady = await deliveryRun(children, path.join(temp, 'steady', 'postwise.json'), employees, false);
    const killed = await deliveryRun(children, path.join(temp, 'kill', 'postwise.json'), employees, true);
    return report(steady, killed);
  });
}

async function deliveryRun(children: ChildProcesses, dataFile: string, employees: number, kill: boolean): Promise<RunResult> {
  const connector = await children.forkTs<{ url: string }>(here('./deliveryConnector.ts'));
  let started = performance.now();
  const people = await seed(dataFile, connector.ready.url, employees, kill ? CREATE_EVERY : 0);
  console.log(`${kill ? 'Run 2 (kill -9 and restart)' : 'Run 1 (steady)'}: seeded ${count(employees)} employees and deliveries in ${seconds(started)} s`);
  const job: WorkerJob = { dataFile, rate: RATE, serviceUrl: connector.ready.url };

  started = performance.now();
  let killInfo: RunResult['kill'];
  let worker = await startWorker(children, job);
  if (kill) {
    const sentBefore = await killMidRun(worker, Math.ceil(employees * KILL_AT));
    console.log(`  killed the worker (SIGKILL) after ${count(sentBefore)} messages; starting a new one on the same store`);
    worker = await startWorker(children, job);
    killInfo = { sentBefore, markedUnconfirmed: (await worker.started).unconfirmed, wallSeconds: 0 };
  }
  const done = await worker.done;
  const workerCpu = cpuSeconds(worker.child.pid ?? -1);
  await children.stop(worker.child);
  if (killInfo) killInfo = { ...killInfo, wallSeconds: (performance.now() - started) / 1000 };
  const stats = await ask<ConnectorStats>(connector.child, 'stats');
  await children.stop(connector.child);
  return { ...(await check(dataFile, people, stats)), people: employees, done, workerCpu, connector: stats, ...(killInfo ? { kill: killInfo } : {}) };
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
      deliveries.push({ id: deliveryId(SEND_ID, key), sendId: SEND_ID, kind: 'campaign', campaignId: SEND_ID, memberKey: key, state: 'pending', attempts: 0, updatedAt: now });
      people.push({ key, conversationId: create ? `a:${person.userId}` : person.conversationId });
    }
    await Promise.all(writes);
    for (let i = 0; i < deliveries.length; i += SEED_BATCH) await stores.deliveries.add(deliveries.slice(i, i + SEED_BATCH));
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
  child.once('exit', (code, signal) => rejectDone(new Error(`the worker exited (${signal ?? code}) before it was done`)));
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
async function check(dataFile: string, people: readonly Person[], stats: ConnectorStats): Promise<Omit<RunResult, 'people' | 'done' | 'workerCpu' | 'connector' | 'kill'>> {
  const delivered = new Map(stats.delivered);
  const stores = await openLowdbStores(dataFile, new Date());
  try {
    const byKey = new Map((await stores.deliveries.forSend(SEND_ID)).map((d) => [d.memberKey, d]));
    const states: Record<DeliveryState, number> = { pending: 0, sending: 0, retrying: 0, sent: 0, unreachable: 0, failed: 0, unconfirmed: 0 };
    let lost = 0;
    const unconfirmed = { arrived: 0, notArrived: 0 };
    for (const person of people) {
      const state = byKey.get(person.key)?.state ?? 'pending';
      states[state] += 1;
      const arrived = (delivered.get(person.conversationId) ?? 0) > 0;
      if (state === 'unconfirmed') unconfirmed[arrived ? 'arrived' : 'notArrived'] += 1;
      // Everyone in the bench is reachable: no message and no unconfirmed record means lost.
      else if (!arrived || state !== 'sent') lost += 1;
    }
    const duplicates = [...delivered.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    return { states, duplicates, lost, unconfirmed };
  } finally {
    await stores.close();
  }
}

function report(steady: RunResult, killed: RunResult): boolean {
  const messagesPerSecond = steady.done.progress.sent / steady.done.seconds;
  const requestsPerSecond = steady.connector.received / steady.done.seconds;
  const share = requestsPerSecond / RATE;
  const checks = {
    pace: share >= TARGET_SHARE,
    steady: steady.duplicates === 0 && steady.lost === 0 && steady.done.progress.requests === steady.connector.received,
    killed: killed.duplicates === 0 && killed.lost === 0,
  };
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
  const kill = killed.kill;
  const lines = [
    '',
    `Run 1: ${count(steady.people)} employees, all with a stored chat`,
    `  time to deliver all                   ${steady.done.seconds.toFixed(1)} s`,
    `  messages/s                            ${messagesPerSecond.toFixed(2)}  (${pct(messagesPerSecond / TEAMS_LIMIT)} of Teams' ${TEAMS_LIMIT} requests/s)`,
    `  requests/s (connector count)          ${requestsPerSecond.toFixed(2)}  = ${pct(share)} of the configured ${RATE}/s   target >= ${pct(TARGET_SHARE)}   ${verdict(checks.pace)}`,
    `  requests: worker / connector          ${count(steady.done.progress.requests)} / ${count(steady.connector.received)}; busiest 1 s window: ${steady.connector.peak}`,
    `  429s seen                             ${steady.connector.throttled}`,
    `  duplicates / lost                     ${steady.duplicates} / ${steady.lost}   target 0 / 0   ${verdict(checks.steady)}`,
    `  worker CPU                            ${steady.workerCpu.toFixed(1)} s (${((steady.workerCpu / steady.done.seconds) * 100).toFixed(1)} % of one core)`,
    '',
    `Run 2: ${count(killed.people)} employees, every ${CREATE_EVERY}th without a chat yet (createConversation), worker killed with SIGKILL mid-run`,
    `  killed after                          ${count(kill?.sentBefore ?? 0)} messages reported sent`,
    `  left in flight, marked unconfirmed    ${kill?.markedUnconfirmed ?? 0} (arrived at the connector: ${killed.unconfirmed.arrived}, did not: ${killed.unconfirmed.notArrived})`,
    `  final states                          ${Object.entries(killed.states).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${count(n)}`).join(', ')}`,
    `  chats created                         ${count(killed.connector.chats)}`,
    `  429s seen                             ${killed.connector.throttled}; busiest 1 s window: ${killed.connector.peak}`,
    `  duplicates / lost                     ${killed.duplicates} / ${killed.lost}   target 0 / 0   ${verdict(checks.killed)}`,
    `  wall time, both workers               ${(kill?.wallSeconds ?? 0).toFixed(1)} s`,
    '',
    'A delivery is marked `sending` on disk before its request goes out and gets its outcome right after.',
    'One found `sending` after a kill may or may not have reached Teams; it is marked unconfirmed and never',
    'sent again, so nobody gets the message twice. "Lost" counts people with no message and no such record.',
  ];
  console.log(lines.join('\n'));
  return Object.values(checks).every(Boolean);
}

exitWith(main());
