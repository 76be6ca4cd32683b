// Issue 13's memory benchmark (`tsx bench/memory.bench.ts`): seeds the embedded store with
// 10,000 and then 100,000 employees in a temp folder (bench/seedStore.ts), starts the built
// server on each and reports its resident memory once it answers /healthz, beside the size of
// the store's files, and again at the end of a spell of course turns. Exits 1 when a target is
// missed or a turn failed. BENCH_MEMORY_HEAP_MB sets the server's heap limit (--max-old-space-size),
// to measure RSS under load as a container sized by the README's advice runs it.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { rssMegabytes, withChildren } from './childProcesses.js';
import { coursePath } from './coursePath.js';
import { CourseTraffic } from './courseTraffic.js';
import { saturate } from './load.js';
import { startPostwiseServer } from './postwiseServer.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';
import { seedStore } from './seedStore.js';

/** Employees, and the RSS after start-up (MB) the server must stay below with them. */
const SIZES = [
  { employees: 10_000, targetMb: 200 },
  { employees: 100_000, targetMb: 1024 },
] as const;

/** Course turns after start-up, before RSS is read again: 10 connections for this long, after a 2 s warm-up. */
const LOAD_SECONDS = 20;

/** The server's heap limit in MB, when set: a container's sizing. */
const HEAP_LIMIT_MB = Number(process.env.BENCH_MEMORY_HEAP_MB ?? 0) || undefined;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

async function main(): Promise<boolean> {
  return withChildren('postwise-memory-', async (children, temp) => {
    const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
    const course = (await loadContent(config.contentDir, config.org)).courses.en;
    const connector = await children.forkTs<{ url: string }>(here('./connector.ts'));
    let pass = true;
    for (const { employees, targetMb } of SIZES) {
      const dir = path.join(temp, String(employees));
      const dataFile = path.join(dir, 'data', 'postwise.json');
      let started = performance.now();
      const seeded = await seedStore(dataFile, {
        count: employees,
        serviceUrl: connector.ready.url,
        course,
        now: new Date(),
      });
      const filesMb = (await sizeOf(path.dirname(dataFile))) / 2 ** 20;
      console.log(`Seeded ${count(employees)} employees in ${seconds(started)} s: ${filesMb.toFixed(0)} MB of files`);
      started = performance.now();
      const server = await startPostwiseServer(children, {
        dataFile,
        logFile: path.join(dir, 'postwise.log'),
        startTimeoutMs: 300_000,
        heapLimitMb: HEAP_LIMIT_MB,
      });
      const rss = rssMegabytes(server.child.pid ?? -1);
      console.log(
        `Postwise started in ${seconds(started)} s; RSS after start-up ${rss.toFixed(0)} MB (target < ${targetMb} MB)`,
      );
      const traffic = new CourseTraffic(seeded, coursePath(course), connector.ready.url);
      const load = await saturate(server.url, traffic, { connections: 10, warmupSeconds: 2, seconds: LOAD_SECONDS });
      const rssAtEnd = rssMegabytes(server.child.pid ?? -1);
      const exitCode = await children.stop(server.child);
      const failed = load.non2xx + load.errors + load.wrongReplies;
      const turnsOk = failed === 0;
      console.log(
        `${count(load.completed)} course turns in ${LOAD_SECONDS} s (failed: ${failed}); RSS at the end ` +
          `${rssAtEnd.toFixed(0)} MB; exit code ${exitCode}`,
      );
      const ok = rss < targetMb && exitCode === 0;
      pass &&= ok && turnsOk;
      reportFigures([
        {
          bench: 'memory',
          figure: `RSS after start-up, ${count(employees)} employees`,
          value: `${rss.toFixed(0)} MB`,
          baseline: `files ${filesMb.toFixed(0)} MB`,
          target: `< ${targetMb} MB`,
          pass: ok,
        },
        {
          bench: 'memory',
          figure: `RSS after ${LOAD_SECONDS} s of course turns, ${count(employees)} employees`,
          value: `${rssAtEnd.toFixed(0)} MB (${count(load.completed)} turns, ${count(failed)} failed)`,
          baseline: `after start-up ${rss.toFixed(0)} MB${HEAP_LIMIT_MB ? `, heap limit ${HEAP_LIMIT_MB} MB` : ''}`,
          target: 'no turn failed',
          pass: turnsOk,
        },
      ]);
      await rm(dir, { recursive: true, force: true });
    }
    return pass;
  });
}

/** Bytes in the files under `dir`. */
async function sizeOf(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return bytes;
}

exitWith(main());
