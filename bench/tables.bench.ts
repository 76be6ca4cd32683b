// Issue 14's benchmark (`npm run bench`): the built Postwise server on Azure Tables (Azurite).
// (1) Course turns/s, closed loop, with one instance and with two (the same load split over both,
// an employee's turns landing on either), against the embedded store in the same run, all from
// one embedded store of EMPLOYEES copied into tables by the migration. (2) A campaign to
// DELIVERIES people through the throttling fake connector (Teams' 50 requests/s), the sending
// instance killed with SIGKILL half-way: messages/s as a share of that limit, duplicates, lost.
// (3) Issue 25: one instance on 10,000 and then 100,000 members (BENCH_TABLES_MEMBERS, comma-separated),
// behind a counting proxy: start-up to figures ready, table requests and bytes while idle for a minute and to
// take in 1,000 writes by another instance through the change log (bench/tablesScale.ts). The 100,000 phase takes
// many minutes (seeding and copying into Azurite): BENCH_TABLES_MEMBERS=10000 skips it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { isFinal } from '../src/domain/campaigns/delivery.js';
import { openAzureStores } from '../src/storage/azure/stores.js';
import { migrateToTables } from '../src/storage/migrate.js';
import { startAzurite, uniquePrefix } from '../tests/support/azurite.js';
import { campaignOutcome, seedCampaign } from './campaignSeed.js';
import type { ConnectorJob } from './deliveryConnector.js';
import { ask, withChildren } from './childProcesses.js';
import { coursePath } from './coursePath.js';
import { CourseTraffic } from './courseTraffic.js';
import { saturate, type LoadResult, type Traffic } from './load.js';
import { startPostwiseServer } from './postwiseServer.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';
import { seedStore } from './seedStore.js';
import { IDLE_RATIO, idleRatio, measureScale, scaleFigures, type ScaleCosts } from './tablesScale.js';
import { until } from './until.js';

const EMPLOYEES = Number(process.env.BENCH_TABLES_EMPLOYEES ?? 2000);
/**
 * The issue names 10,000; Azurite on a small machine serves some 15 messages/s (each takes about
 * eight table requests), so the default stays near 3 minutes. BENCH_TABLES_DELIVERIES=10000 runs the full size.
 */
const DELIVERIES = Number(process.env.BENCH_TABLES_DELIVERIES ?? 2000);
const MEMBERS = (process.env.BENCH_TABLES_MEMBERS ?? '10000,100000').split(',').map(Number);
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const LOAD_SECONDS = 8;
const LEASE_SECONDS = 10;
/** Teams' limit the throttling connector enforces, requests/s. */
const TENANT_LIMIT = 50;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface ConnectorCounts {
  readonly received: number;
  readonly throttled: number;
  readonly delivered: [string, number][];
  /** When Teams took the first and the last message, ms since the epoch. */
  readonly firstDeliveredAt: number;
  readonly lastDeliveredAt: number;
}

async function main(): Promise<boolean> {
  const azurite = await startAzurite();
  try {
    return await withChildren('postwise-tables-bench-', async (children, temp) => {
      const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
      const course = (await loadContent(config.contentDir, config.org)).courses.en;
      const account = { connectionString: azurite.connectionString };
      const azureEnv = (prefix: string, extra: Record<string, string> = {}) => ({
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_CONNECTION_STRING: azurite.connectionString,
        POSTWISE_TABLE_PREFIX: prefix,
        POSTWISE_LEASE_SECONDS: String(LEASE_SECONDS),
        ...extra,
      });
      let logs = 0;
      const start = (dataFile: string, env?: Record<string, string>) => {
        const logFile = path.join(temp, `postwise-${++logs}.log`);
        return startPostwiseServer(children, { dataFile, logFile, ...(env ? { env } : {}) }).then((server) => ({
          ...server,
          logFile,
        }));
      };

      // (1) Course turns: one seeded embedded store, copied into tables before anyone takes a turn.
      const connector = await children.forkTs<{ url: string }>(here('./connector.ts'));
      const dataFile = path.join(temp, 'data', 'postwise.json');
      let started = performance.now();
      const employees = await seedStore(dataFile, {
        count: EMPLOYEES,
        serviceUrl: connector.ready.url,
        course,
        now: new Date(),
      });
      const coursePrefix = uniquePrefix();
      await migrateToTables(dataFile, account, coursePrefix);
      console.log(`Seeded ${count(EMPLOYEES)} employees and copied them into tables in ${seconds(started)} s`);
      const load = (url: string, traffic: Traffic, connections: number) =>
        saturate(url, traffic, { connections, warmupSeconds: WARMUP_SECONDS, seconds: LOAD_SECONDS });

      const embedded = await start(dataFile);
      console.log('course turns: embedded store');
      const onEmbedded = await load(
        embedded.url,
        new CourseTraffic(employees, coursePath(course), connector.ready.url),
        CONNECTIONS,
      );
      await children.stop(embedded.child);

      // The same employees on tables: one traffic, so each keeps going where the last phase left them.
      const onTables = new CourseTraffic(employees, coursePath(course), connector.ready.url);
      const first = await start(dataFile, azureEnv(coursePrefix));
      console.log('course turns: Azure Tables, one instance');
      const one = await load(first.url, onTables, CONNECTIONS);
      const second = await start(dataFile, azureEnv(coursePrefix));
      console.log('course turns: Azure Tables, two instances');
      const halves = await Promise.all([first, second].map((s) => load(s.url, onTables, CONNECTIONS / 2)));
      const two = combined(halves);
      await Promise.all([first, second].map((s) => children.stop(s.child)));
      await children.stop(connector.child);

      // (2) A campaign through the throttling connector, the sender killed half-way.
      const throttled = await children.forkTs<{ ready: true }>(here('./deliveryConnector.ts'));
      const throttledUrl = (await ask<{ url: string }>(throttled.child, { limit: TENANT_LIMIT } satisfies ConnectorJob))
        .url;
      const sendPrefix = uniquePrefix();
      started = performance.now();
      const campaign = await seedCampaign(account, sendPrefix, throttledUrl, DELIVERIES);
      console.log(`Stored a campaign to ${count(DELIVERIES)} people in ${seconds(started)} s`);
      const sendEnv = azureEnv(sendPrefix);
      const a = await start(path.join(temp, 'unused', 'a.json'), sendEnv);
      await until(async () => (await readFile(a.logFile, 'utf8')).includes('"event":"lease.leading"'), 30_000);
      const b = await start(path.join(temp, 'unused', 'b.json'), sendEnv);
      const stores = await openAzureStores(account, sendPrefix);
      await stores.deliveries.add(campaign.deliveries);
      const sendStarted = performance.now();
      const messages = async () =>
        (await ask<ConnectorCounts>(throttled.child, 'count')).delivered.reduce((sum, [, n]) => sum + n, 0);
      // The leader finds deliveries another process added at its next look (every few seconds): not sending time.
      await until(async () => (await messages()) > 0, 60_000);
      const found = (performance.now() - sendStarted) / 1000;
      await until(async () => (await messages()) >= DELIVERIES / 2, (4 * DELIVERIES * 1000) / TENANT_LIMIT);
      a.child.kill('SIGKILL');
      const killedAt = performance.now();
      const deliveredAtKill = await messages();
      console.log(`Killed the sending instance after ${count(deliveredAtKill)} messages (${seconds(sendStarted)} s)`);
      await until(async () => (await readFile(b.logFile, 'utf8')).includes('"event":"lease.leading"'), 120_000);
      const takeover = (performance.now() - killedAt) / 1000;
      // Reading the deliveries back loads the Azurite the sender writes to: only once no message came for a look.
      let lastCount = -1;
      await until(
        async () => {
          const taken = await messages();
          const quiet = taken === lastCount;
          lastCount = taken;
          return quiet && (await stores.deliveries.forSend(campaign.id)).every((d) => isFinal(d.state));
        },
        (4 * DELIVERIES * 1000) / TENANT_LIMIT,
      );
      const sendSeconds = (performance.now() - sendStarted) / 1000;
      await children.stop(b.child);
      const counts = await ask<ConnectorCounts>(throttled.child, 'count');
      const final = await stores.deliveries.forSend(campaign.id);
      const {
        sent,
        unconfirmed,
        duplicates,
        lost,
        messages: totalMessages,
      } = campaignOutcome(campaign, final, new Map(counts.delivered));
      const rate = totalMessages / sendSeconds;
      // The rate while an instance sends, as Teams saw it: from the first message to the last, the kill's
      // window without a leader out (a new leader's start stays in).
      const sending = (counts.lastDeliveredAt - counts.firstDeliveredAt) / 1000 - takeover;
      const leading = totalMessages / sending;

      // (3) Cost per roster size, through the counting proxy.
      const scale: ScaleCosts[] = [];
      for (const members of MEMBERS)
        scale.push(await measureScale(children, temp, azurite, course, connector.ready.url, members));

      const twoOverOne = two.requestsPerSecond / one.requestsPerSecond;
      // Throughput figures have no target here: Azurite, one Node process on the same cores, bounds them.
      const checks = {
        clean: [onEmbedded, one, two].every((r) => r.non2xx + r.errors + r.wrongReplies === 0),
        duplicates: duplicates === 0,
        lost: lost === 0,
        rate: leading >= 0.95 * TENANT_LIMIT,
        idle: idleRatio(scale) <= IDLE_RATIO,
      };
      const pct = (n: number) => `${(100 * n).toFixed(0)} %`;
      const lines = [
        `Course turns/s, ${CONNECTIONS} connections, ${LOAD_SECONDS} s after ${WARMUP_SECONDS} s warm-up, ` +
          `${count(EMPLOYEES)} employees:`,
        `  embedded store       ${onEmbedded.requestsPerSecond.toFixed(0).padStart(6)}   p99 ` +
          `${onEmbedded.latency.p99.toFixed(0)} ms`,
        `  tables, 1 instance   ${one.requestsPerSecond.toFixed(0).padStart(6)}   p99 ` +
          `${one.latency.p99.toFixed(0)} ms   ` +
          `${(one.requestsPerSecond / onEmbedded.requestsPerSecond).toFixed(2)} x embedded`,
        `  tables, 2 instances  ${two.requestsPerSecond.toFixed(0).padStart(6)}   p99 ` +
          `${two.latency.p99.toFixed(0)} ms   ${twoOverOne.toFixed(2)} x one instance, ` +
          `${(two.requestsPerSecond / onEmbedded.requestsPerSecond).toFixed(2)} x embedded`,
        '  failed or wrong replies: ' +
          `${[onEmbedded, one, two].reduce((sum, r) => sum + r.non2xx + r.errors + r.wrongReplies, 0)}`,
        `Campaign to ${count(DELIVERIES)} through the throttling connector (${TENANT_LIMIT}/s), sender ` +
          `SIGKILLed after ${count(deliveredAtKill)}:`,
        `  ${count(totalMessages)} messages in ${sendSeconds.toFixed(1)} s = ${rate.toFixed(1)}/s, ` +
          `${pct(rate / TENANT_LIMIT)} of the limit; 429s: ${counts.throttled}`,
        `  while an instance sends (${sending.toFixed(1)} s at Teams, first message to last, the takeover out; ` +
          `the first after ${found.toFixed(1)} s): ${leading.toFixed(1)}/s, ` +
          `${pct(leading / TENANT_LIMIT)} of the limit`,
        `  takeover after the kill: ${takeover.toFixed(1)} s (lease ${LEASE_SECONDS} s); sent ` +
          `${count(sent)}, unconfirmed ${unconfirmed}, duplicates ${duplicates}, lost ${lost}`,
        'Azurite, the instances, the connector and the load generator share this machine: compare ratios, ' +
          'not absolute figures.',
      ];
      console.log(`\n${lines.join('\n')}`);
      reportFigures([
        ...scaleFigures(scale, checks.idle),
        {
          bench: 'tables',
          figure: 'course turns/s, two instances / one',
          value: twoOverOne.toFixed(2),
          baseline: `one: ${one.requestsPerSecond.toFixed(0)}/s`,
        },
        {
          bench: 'tables',
          figure: 'course turns/s, one instance / embedded',
          value: (one.requestsPerSecond / onEmbedded.requestsPerSecond).toFixed(2),
          baseline: `embedded: ${onEmbedded.requestsPerSecond.toFixed(0)}/s`,
        },
        {
          bench: 'tables',
          figure: 'course turns/s, two instances / embedded',
          value: (two.requestsPerSecond / onEmbedded.requestsPerSecond).toFixed(2),
          baseline: `embedded: ${onEmbedded.requestsPerSecond.toFixed(0)}/s`,
        },
        {
          bench: 'tables',
          figure: 'course turns failed or wrong',
          value: String([onEmbedded, one, two].reduce((sum, r) => sum + r.non2xx + r.errors + r.wrongReplies, 0)),
          target: '0',
          pass: checks.clean,
        },
        {
          bench: 'tables',
          figure: `delivery to ${count(DELIVERIES)}, leader killed: messages/s while an instance sends`,
          value: `${leading.toFixed(1)} (${pct(leading / TENANT_LIMIT)})`,
          baseline: `limit ${TENANT_LIMIT}/s`,
          target: '>= 95 %',
          pass: checks.rate,
        },
        {
          bench: 'tables',
          figure: `delivery to ${count(DELIVERIES)}, leader killed: messages/s, the takeover included`,
          value: `${rate.toFixed(1)} (${pct(rate / TENANT_LIMIT)})`,
          baseline: `limit ${TENANT_LIMIT}/s`,
        },
        {
          bench: 'tables',
          figure: 'delivery, leader killed: duplicates',
          value: String(duplicates),
          target: '0',
          pass: checks.duplicates,
        },
        {
          bench: 'tables',
          figure: 'delivery, leader killed: lost',
          value: String(lost),
          target: '0',
          pass: checks.lost,
        },
      ]);
      return Object.values(checks).every(Boolean);
    });
  } finally {
    await azurite.stop();
  }
}

/** The sum of two halves of one load, measured at the same time. */
function combined(halves: readonly LoadResult[]): LoadResult {
  const [x, y] = halves as [LoadResult, LoadResult];
  // The worse half's percentiles: an upper bound on the whole's.
  return {
    requestsPerSecond: x.requestsPerSecond + y.requestsPerSecond,
    completed: x.completed + y.completed,
    non2xx: x.non2xx + y.non2xx,
    errors: x.errors + y.errors,
    wrongReplies: x.wrongReplies + y.wrongReplies,
    replies: {},
    latency: {
      p50: Math.max(x.latency.p50, y.latency.p50),
      p99: Math.max(x.latency.p99, y.latency.p99),
      p999: Math.max(x.latency.p999, y.latency.p999),
    },
  };
}

exitWith(main());
