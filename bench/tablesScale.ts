import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Course } from '../src/domain/course/course.js';
import { openAzureStores } from '../src/storage/azure/stores.js';
import { migrateToTables } from '../src/storage/migrate.js';
import { connectionStringTo, uniquePrefix, type Azurite } from '../tests/support/azurite.js';
import { describeTraffic, type Traffic } from '../tests/support/countingProxy.js';
import { FaultProxy } from '../tests/support/faultProxy.js';
import type { ChildProcesses } from './childProcesses.js';
import { startPostwiseServer } from './postwiseServer.js';
import { count, seconds } from './report.js';
import type { Figure } from './results.js';
import { seedStore } from './seedStore.js';
import { until } from './until.js';

/** How long an instance is watched while nothing is written (it catches up every 2 s, logging passes that read). */
const IDLE_SECONDS = Number(process.env.BENCH_TABLES_IDLE_SECONDS ?? 65);
/** Progress records another instance writes, and how long the watched one may take to take them in. */
const WRITES = 1_000;
const CAUGHT_UP_MS = 180_000;
/** Issue 25's target: an idle spell at the larger roster costs at most this many times the smaller's. */
export const IDLE_RATIO = 1.2;

/** What one instance on `members` seeded members cost in table requests, measured through a counting proxy. */
export interface ScaleCosts {
  readonly members: number;
  /** Process start to the `figures.ready` log line. */
  readonly startSeconds: number;
  /** Everything the instance asked the tables while idle for IDLE_SECONDS, and how many catch-ups it made. */
  readonly idle: Traffic;
  readonly idleCatchUps: number;
  readonly catchUpMs: number;
  /**
   * Another instance writes `written` records (WRITES, or every member when fewer): requests from the first write,
   * seconds from the last until the catch-ups read as many records.
   */
  readonly written: number;
  readonly writes: Traffic;
  readonly writesCaughtUpSeconds: number;
}

const events = async (logFile: string, event: string) =>
  (await readFile(logFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as { ms?: number; read?: number });

/**
 * Seeds `members` into an embedded store, copies them into fresh tables, starts one instance in front of a
 * counting proxy and measures its start, an idle spell and its catch-up on another instance's writes.
 */
export async function measureScale(
  children: ChildProcesses,
  temp: string,
  azurite: Azurite,
  course: Course,
  serviceUrl: string,
  members: number,
): Promise<ScaleCosts> {
  const dir = path.join(temp, `scale-${members}`);
  const dataFile = path.join(dir, 'data', 'postwise.json');
  let started = performance.now();
  await seedStore(dataFile, { count: members, serviceUrl, course, now: new Date() });
  const prefix = uniquePrefix();
  const direct = { connectionString: azurite.connectionString };
  await migrateToTables(dataFile, direct, prefix);
  console.log(`Seeded ${count(members)} members and copied them into tables in ${seconds(started)} s`);
  const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
  const logFile = path.join(dir, 'postwise.log');
  try {
    started = performance.now();
    const server = await startPostwiseServer(children, {
      dataFile: path.join(dir, 'unused', 'postwise.json'),
      logFile,
      startTimeoutMs: 600_000,
      env: {
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_CONNECTION_STRING: connectionStringTo(proxy.url),
        POSTWISE_TABLE_PREFIX: prefix,
      },
    });
    await until(async () => (await events(logFile, 'figures.ready')).length > 0, 1_200_000);
    const startSeconds = (performance.now() - started) / 1000;
    console.log(`  figures ready ${startSeconds.toFixed(1)} s after the start; idle for ${IDLE_SECONDS} s`);

    let before = proxy.tally.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idle = proxy.tally.since(before);
    const catchUps = await events(logFile, 'figures.caught-up');
    console.log(`  idle: ${describeTraffic(idle)}; ${catchUps.length} catch-up(s)`);

    // Another instance's writes: straight to the tables, past this instance, each announced in the change log.
    const other = await openAzureStores(direct, prefix);
    const userIds = (await other.progress.scan((p) => p.userId)).slice(0, WRITES);
    const seen = (await events(logFile, 'figures.caught-up')).length;
    before = proxy.tally.now();
    const writing = performance.now();
    const at = new Date().toISOString();
    for (const userId of userIds)
      await other.progress.openLesson(userId, course.lessons[0]?.id ?? '', at, course.lessons[0]?.revision ?? 1);
    await other.close();
    const written = performance.now();
    // Taken in once the passes since the first write read as many records as were written.
    const readSince = async () =>
      (await events(logFile, 'figures.caught-up')).slice(seen).reduce((sum, e) => sum + (e.read ?? 0), 0);
    await until(async () => (await readSince()) >= userIds.length, CAUGHT_UP_MS);
    const writes = proxy.tally.since(before);
    const writesCaughtUpSeconds = (performance.now() - written) / 1000;
    console.log(
      `  ${count(userIds.length)} writes elsewhere (${((written - writing) / 1000).toFixed(1)} s), ` +
        `taken in ${writesCaughtUpSeconds.toFixed(1)} s after the last: ${describeTraffic(writes)}`,
    );
    await children.stop(server.child);
    const catchUpMs = Math.max(0, ...(await events(logFile, 'figures.caught-up')).map((e) => e.ms ?? 0));
    return {
      members,
      startSeconds,
      idle,
      idleCatchUps: catchUps.length,
      catchUpMs,
      written: userIds.length,
      writes,
      writesCaughtUpSeconds,
    };
  } finally {
    await proxy.close();
  }
}

/** Bytes read in an idle spell at the largest roster over those at the smallest (reads come in pages of 1,000). */
export function idleRatio(scale: readonly ScaleCosts[]): number {
  const [first, last] = [scale[0], scale.at(-1)];
  return first && last ? last.idle.bytesOut / Math.max(1, first.idle.bytesOut) : 1;
}

/** The figures of the scale phases: per roster size, and the idle ratio when there are two sizes or more. */
export function scaleFigures(scale: readonly ScaleCosts[], idleOk: boolean): Figure[] {
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
  const rows = scale.flatMap((c) => [
    { bench: 'tables', figure: `start to figures ready, ${count(c.members)}`, value: `${c.startSeconds.toFixed(1)} s` },
    {
      bench: 'tables',
      figure: `idle ${IDLE_SECONDS} s, ${count(c.members)} members: requests, bytes read`,
      value: `${count(c.idle.requests)}, ${kB(c.idle.bytesOut)}`,
      baseline: `${c.idleCatchUps} catch-up(s), longest ${c.catchUpMs} ms`,
    },
    {
      bench: 'tables',
      figure: `${count(c.written)} writes elsewhere, ${count(c.members)}: requests, bytes, s`,
      value: `${count(c.writes.requests)}, ${kB(c.writes.bytesOut)}, ${c.writesCaughtUpSeconds.toFixed(0)} s`,
      target: '<= 10 s',
      pass: c.writesCaughtUpSeconds <= 10,
    },
  ]);
  const ratio = {
    bench: 'tables',
    figure: 'idle bytes read, largest roster / smallest',
    value: idleRatio(scale).toFixed(2),
    target: `<= ${IDLE_RATIO}`,
    pass: idleOk,
  };
  // One roster size has nothing to compare with.
  return scale.length > 1 ? [...rows, ratio] : rows;
}
