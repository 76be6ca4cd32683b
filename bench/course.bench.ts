// Issue 2's benchmark (`npm run bench`): simulated employees answering questions against the
// built Postwise server with 10,000 employees in its embedded store, next to a bare Bot
// Framework echo bot; both reply through the same fake connector. Exits 1 when a target is
// missed or a request failed. BENCH_CPU_PROF_DIR=dir keeps a CPU profile of the Postwise server.
// Hands its figures (ratios to the echo bot in the same run) to `npm run bench`'s summary.
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { openLowdbStores } from '../src/storage/lowdb/stores.js';
import { ask, cpuSeconds, machineCpuSeconds, rssMegabytes, withChildren } from './childProcesses.js';
import { coursePath } from './coursePath.js';
import { CourseTraffic } from './courseTraffic.js';
import { bursts, paced, saturate, type LoadResult, type Traffic } from './load.js';
import { eventLoopDelay, startPostwiseServer } from './postwiseServer.js';
import { count, exitWith, failuresRow, formatReport, seconds, type Measurement, type Phase } from './report.js';
import { reportFigures, type Figure } from './results.js';
import { seedStore } from './seedStore.js';
import { employee, messageActivity } from './teamsActivities.js';

const EMPLOYEES = 10_000;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 3;
const SATURATED_SECONDS = 12;
const RATE = 100;
const PACED_SECONDS = 20;
const BURST_SECONDS = 10;
/** Saturated requests/s at least this times the echo bot's. */
const TARGET_RATIO = 0.85;
/** At the paced rate, p99 and p99.9 at most these times the echo bot's. */
const TARGET_P99_RATIO = 1.5;
const TARGET_P999_RATIO = 2;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

async function main(): Promise<boolean> {
  return withChildren('postwise-bench-', async (children, temp) => {
    // The content the server will load: same environment, local mode.
    const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
    const course = (await loadContent(config.contentDir, config.org)).courses.en;
    const connector = await children.forkTs<{ url: string }>(here('./connector.ts'));
    const serviceUrl = connector.ready.url;

    const dataFile = path.join(temp, 'data', 'postwise.json');
    let started = performance.now();
    const employees = await seedStore(dataFile, { count: EMPLOYEES, serviceUrl, course, now: new Date() });
    const seededAnswers = await answeredEvents(dataFile);
    console.log(`Seeded ${count(EMPLOYEES)} employees with ${count(seededAnswers)} answers in ${seconds(started)} s`);

    started = performance.now();
    const logFile = path.join(temp, 'postwise.log');
    const profileDir = process.env.BENCH_CPU_PROF_DIR;
    const postwise = await startPostwiseServer(children, {
      dataFile,
      logFile,
      ...(profileDir ? { profileDir: path.resolve(profileDir) } : {}),
    });
    const rssAtStart = rssMegabytes(postwise.child.pid ?? -1);
    console.log(
      `Postwise loaded the store and listens at ${postwise.url} (${seconds(started)} s, RSS ` +
        `${rssAtStart.toFixed(0)} MB)`,
    );
    const echo = await children.forkTs<{ url: string }>(here('./echoBot.ts'));

    const courseTraffic = new CourseTraffic(employees, coursePath(course), serviceUrl);
    let echoed = 0;
    const echoTraffic: Traffic = {
      next: () => ({
        body: JSON.stringify(messageActivity(employee(echoed % EMPLOYEES, 'en'), serviceUrl, `hello ${echoed++}`)),
        kind: 'message',
      }),
    };
    const bots = [
      { name: 'echo', child: echo.child, url: echo.ready.url, traffic: echoTraffic },
      { name: 'postwise', child: postwise.child, url: postwise.url, traffic: courseTraffic },
    ] as const;
    const both = async (title: string, load: (url: string, traffic: Traffic) => Promise<LoadResult>) => {
      const results: Measurement[] = [];
      for (const bot of bots) {
        console.log(`${title}: ${bot.name}`);
        results.push(
          await measure(bot.child, connector.child, () => load(bot.url, bot.traffic), bot.name === 'postwise'),
        );
      }
      return { echo: results[0] as Measurement, postwise: results[1] as Measurement };
    };

    const saturated = await both('(a) saturated', (url, traffic) =>
      saturate(url, traffic, { connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SATURATED_SECONDS }),
    );
    const steady = await both('(b) evenly paced', (url, traffic) =>
      paced(url, traffic, { rate: RATE, seconds: PACED_SECONDS }),
    );
    const bursty = await both("(b') autocannon overallRate", (url, traffic) =>
      bursts(url, traffic, { rate: RATE, connections: CONNECTIONS, seconds: BURST_SECONDS }),
    );

    const rssAtEnd = rssMegabytes(postwise.child.pid ?? -1);
    const exitCode = await children.stop(postwise.child);
    const serverErrors = (await readFile(logFile, 'utf8'))
      .split('\n')
      .filter((line) => line.includes('"level":"error"')).length;
    const storedAnswers = (await answeredEvents(dataFile)) - seededAnswers;

    const ratio = saturated.postwise.load.requestsPerSecond / saturated.echo.load.requestsPerSecond;
    const p99Ratio = steady.postwise.load.latency.p99 / steady.echo.load.latency.p99;
    const p999Ratio = steady.postwise.load.latency.p999 / steady.echo.load.latency.p999;
    const clean = (phase: { echo: Measurement; postwise: Measurement }) =>
      [phase.echo, phase.postwise].every((m) => m.load.non2xx + m.load.errors + m.load.wrongReplies === 0);
    const sent = courseTraffic.sent;
    const replied = [saturated, steady, bursty].reduce(
      (sum, phase) => sum + (phase.postwise.load.replies.answer ?? 0),
      0,
    );
    const checks = {
      ratio: ratio >= TARGET_RATIO,
      p99: p99Ratio <= TARGET_P99_RATIO,
      p999: p999Ratio <= TARGET_P999_RATIO,
      requests: [saturated, steady, bursty].every(clean),
      // Answers cut off when a run stops may be stored without a reply, or not arrive at all.
      server: serverErrors === 0 && exitCode === 0 && replied <= storedAnswers && storedAnswers <= sent.answer,
    };
    const verdict = (pass: boolean, note = '') => `${pass ? 'PASS' : 'FAIL'}${note}`;
    const phases: Phase[] = [
      {
        title: `(a) saturated: ${CONNECTIONS} connections, ${SATURATED_SECONDS} s after a ${WARMUP_SECONDS} s warm-up`,
        ...saturated,
        rows: [
          {
            label: 'requests/s',
            show: (m) => m.load.requestsPerSecond.toFixed(0),
            target: `>= ${TARGET_RATIO} x echo`,
            verdict: verdict(checks.ratio, `  ${ratio.toFixed(2)} x`),
          },
          failuresRow(verdict(clean(saturated))),
        ],
      },
      {
        title:
          `(b) fixed ${RATE} requests/s, evenly paced (${RATE} connections at 1/s, started 1/${RATE} s ` +
          `apart), ${PACED_SECONDS} s`,
        ...steady,
        rows: [
          {
            label: 'latency p99 (ms)',
            show: (m) => m.load.latency.p99.toFixed(1),
            target: `<= ${TARGET_P99_RATIO} x echo`,
            verdict: verdict(checks.p99, `  ${p99Ratio.toFixed(2)} x`),
          },
          {
            label: 'latency p99.9 (ms)',
            show: (m) => m.load.latency.p999.toFixed(1),
            target: `<= ${TARGET_P999_RATIO} x echo`,
            verdict: verdict(checks.p999, `  ${p999Ratio.toFixed(2)} x`),
          },
          {
            label: 'event-loop delay p99 / max (ms)',
            show: (m) => (m.eventLoop ? `${m.eventLoop.p99.toFixed(1)} / ${m.eventLoop.max.toFixed(1)}` : ''),
          },
          { label: 'achieved requests/s', show: (m) => m.load.requestsPerSecond.toFixed(1) },
          failuresRow(verdict(clean(steady))),
        ],
      },
      {
        title:
          `(b') for comparison: one autocannon with overallRate ${RATE} over ${CONNECTIONS} ` +
          `connections, which sends each second's requests in bursts, ${BURST_SECONDS} s`,
        ...bursty,
        rows: [
          { label: 'latency p99 (ms)', show: (m) => m.load.latency.p99.toFixed(1) },
          failuresRow(verdict(clean(bursty))),
        ],
      },
    ];
    const cpus = os.cpus();
    console.log(
      `\n${formatReport(phases, [
        `Postwise requests sent: ${count(sent.answer)} answers, ${count(sent.open)} lesson opens, ` +
          `${count(sent.review)} review answers, ${count(sent.acknowledge)} acknowledgements, ` +
          `${count(sent.continue)} typed 'continue'.`,
        `Answers replied with a result card: ${count(replied)}; stored as new answers: ` +
          `${count(storedAnswers)}. Server errors logged: ${serverErrors}; exit code: ${exitCode}. ` +
          `${verdict(checks.server)}`,
        `Postwise RSS: ${rssAtStart.toFixed(0)} MB after start-up, ${rssAtEnd.toFixed(0)} MB at the end ` +
          `(${count(EMPLOYEES)} employees).`,
        `Machine: ${cpus.length} CPU cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}. ` +
          'autocannon (this process), the fake connector and the bot under test share them;',
        `the "machine" CPU figure includes anything else running at the time.`,
      ])}`,
    );
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    const times = (n: number) => `(${n.toFixed(2)} x)`;
    const loopDelay = steady.postwise.eventLoop;
    const figure = (f: Omit<Figure, 'bench'>): Figure => ({ bench: 'course', ...f });
    reportFigures([
      figure({
        figure: `saturated turns/s, ${CONNECTIONS} connections`,
        value: `${saturated.postwise.load.requestsPerSecond.toFixed(0)} ${times(ratio)}`,
        baseline: `echo ${saturated.echo.load.requestsPerSecond.toFixed(0)}`,
        target: `>= ${TARGET_RATIO} x echo`,
        pass: checks.ratio,
      }),
      figure({
        figure: `p99 at ${RATE} req/s, evenly paced`,
        value: `${ms(steady.postwise.load.latency.p99)} ${times(p99Ratio)}`,
        baseline: `echo ${ms(steady.echo.load.latency.p99)}`,
        target: `<= ${TARGET_P99_RATIO} x echo`,
        pass: checks.p99,
      }),
      figure({
        figure: `p99.9 at ${RATE} req/s, evenly paced`,
        value: `${ms(steady.postwise.load.latency.p999)} ${times(p999Ratio)}`,
        baseline: `echo ${ms(steady.echo.load.latency.p999)}`,
        target: `<= ${TARGET_P999_RATIO} x echo`,
        pass: checks.p999,
      }),
      figure({
        figure: 'event-loop delay p99 / max, paced run',
        value: loopDelay ? `${ms(loopDelay.p99)} / ${ms(loopDelay.max)}` : 'n/a',
      }),
      figure({
        figure: `RSS after start-up / at the end, ${count(EMPLOYEES)} employees`,
        value: `${rssAtStart.toFixed(0)} / ${rssAtEnd.toFixed(0)} MB`,
      }),
      figure({
        figure: 'every request answered right, answers stored',
        value: `${checks.requests && checks.server ? 'yes' : 'no'}`,
        target: 'yes',
        pass: checks.requests && checks.server,
      }),
    ]);
    return Object.values(checks).every(Boolean);
  });
}

/**
 * Runs one load phase, noting the CPU the bot, the connector, this process and the machine used
 * meanwhile, and with `probed` the bot's event-loop delay (bench/eventLoopProbe.mjs).
 */
async function measure(
  bot: ChildProcess,
  connector: ChildProcess,
  load: () => Promise<LoadResult>,
  probed: boolean,
): Promise<Measurement> {
  const pids = [bot.pid, connector.pid, process.pid].map((pid) => pid ?? -1);
  const cpuBefore = [...pids.map(cpuSeconds), machineCpuSeconds()];
  const callsBefore = (await ask<{ received: number }>(connector, 'count')).received;
  if (probed) await eventLoopDelay(bot);
  const started = performance.now();
  const result = await load();
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = [...pids.map(cpuSeconds), machineCpuSeconds()];
  const [botCpu = NaN, connectorCpu = NaN, ownCpu = NaN, machineCpu = NaN] = cpuAfter.map(
    (after, i) => (after - (cpuBefore[i] ?? NaN)) / wall,
  );
  const eventLoop = probed ? await eventLoopDelay(bot) : undefined;
  const callsAfter = (await ask<{ received: number }>(connector, 'count')).received;
  return {
    ...(eventLoop ? { eventLoop } : {}),
    load: result,
    cpu: { bot: botCpu, connector: connectorCpu, loadGenerator: ownCpu, machine: machineCpu },
    connectorCalls: callsAfter - callsBefore,
  };
}

/** Distinct 'answered' events in the store's event log. */
async function answeredEvents(dataFile: string): Promise<number> {
  const stores = await openLowdbStores(dataFile, new Date());
  try {
    return (await stores.events.list()).filter((e) => e.type === 'answered').length;
  } finally {
    await stores.close();
  }
}

exitWith(main());
