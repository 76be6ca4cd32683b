// Issue 23's soak (`npm run bench -- soak`, not part of the default run): two Postwise instances on
// Azure Tables (Azurite), each behind its own fault proxy, take mixed traffic (course turns, HR's
// coverage card, `refresher`) at half of the saturation measured first, while the leader sends a
// campaign through the throttling fake connector. SOAK_MINUTES (10 by default) without faults, then
// as long with faults injected at random (bench/faultSchedule.ts). Reports answers confirmed vs
// stored, campaign duplicates and lost messages, p99 against the run without faults, and RSS at
// minute 2 (or half-way, on shorter runs) and at the end.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { isFinal } from '../src/domain/campaigns/delivery.js';
import { openAzureStores } from '../src/storage/azure/stores.js';
import { migrateToTables } from '../src/storage/migrate.js';
import { connectionStringTo, startAzurite, uniquePrefix } from '../tests/support/azurite.js';
import { FaultProxy } from '../tests/support/faultProxy.js';
import { campaignOutcome, seedCampaign } from './campaignSeed.js';
import { ask, rssMegabytes, withChildren } from './childProcesses.js';
import { coursePath } from './coursePath.js';
import type { ConnectorJob } from './deliveryConnector.js';
import { injectFaults } from './faultSchedule.js';
import { paced, saturate, type LoadResult } from './load.js';
import { startPostwiseServer } from './postwiseServer.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';
import { seedStore, type SeededEmployee } from './seedStore.js';
import { SoakTraffic } from './soakTraffic.js';
import { employee } from './teamsActivities.js';
import { until } from './until.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const EMPLOYEES = Number(process.env.SOAK_EMPLOYEES ?? 2000);
const CAMPAIGN = Number(process.env.SOAK_CAMPAIGN ?? 500);
/** RSS is read here and at the end: minute 2, or half-way through a run of 4 minutes or less. */
const RSS_AT_MINUTES = Math.min(2, MINUTES / 2);
const LEASE_SECONDS = 10;
const TENANT_LIMIT = 50;
const RSS_GROWTH_TARGET = 0.2;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** What one phase of the soak saw. */
interface PhaseResult {
  readonly rate: number;
  readonly load: LoadResult;
  readonly confirmed: number;
  readonly stored: number;
  /** Stored though the reply said otherwise; stored with no reply (timed out, or cut off at the end). */
  readonly storedUnconfirmed: number;
  readonly storedUnanswered: number;
  readonly confirmedLost: number;
  readonly campaign: ReturnType<typeof campaignOutcome> & { final: boolean };
  readonly rss: { readonly early: number[]; readonly end: number[] };
  readonly spells: ReadonlyMap<string, number>;
}

async function main(): Promise<boolean> {
  const azurite = await startAzurite();
  try {
    return await withChildren('postwise-soak-', async (children, temp) => {
      const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
      const course = (await loadContent(config.contentDir, config.org)).courses.en;
      const steps = coursePath(course);
      const account = { connectionString: azurite.connectionString };
      const connector = await children.forkTs<{ url: string }>(here('./connector.ts'));
      const throttled = await children.forkTs<{ ready: true }>(here('./deliveryConnector.ts'));
      const job: ConnectorJob = { limit: TENANT_LIMIT };
      const throttledUrl = (await ask<{ url: string }>(throttled.child, job)).url;
      const delivered = async () =>
        new Map((await ask<{ delivered: [string, number][] }>(throttled.child, 'count')).delivered);
      const dataFile = path.join(temp, 'data', 'postwise.json');
      let started = performance.now();
      const employees = await seedStore(dataFile, {
        count: EMPLOYEES,
        serviceUrl: connector.ready.url,
        course,
        now: new Date(),
      });
      const prefixes = [uniquePrefix(), uniquePrefix()] as const;
      for (const prefix of prefixes) await migrateToTables(dataFile, account, prefix);
      console.log(`Seeded ${count(EMPLOYEES)} employees, copied twice into tables, in ${seconds(started)} s`);
      const hr = employee(900_000, 'en');
      let logs = 0;

      const phase = async (prefix: string, faulty: boolean, rate?: number): Promise<PhaseResult> => {
        const proxies = await Promise.all([1, 2].map((seed) => FaultProxy.start(azurite.endpoint, seed)));
        const servers = await Promise.all(
          proxies.map((proxy) => {
            const logFile = path.join(temp, `postwise-${++logs}.log`);
            const env = {
              POSTWISE_STORE: 'azure-tables',
              POSTWISE_TABLES_CONNECTION_STRING: connectionStringTo(proxy.url),
              POSTWISE_TABLE_PREFIX: prefix,
              POSTWISE_LEASE_SECONDS: String(LEASE_SECONDS),
              POSTWISE_HR_USERS: hr.userId,
            };
            return startPostwiseServer(children, { dataFile, logFile, env, startTimeoutMs: 120_000 }).then((s) => ({
              ...s,
              logFile,
            }));
          }),
        );
        const leading = async () =>
          (await Promise.all(servers.map((s) => readFile(s.logFile, 'utf8')))).some((log) =>
            log.includes('"event":"lease.leading"'),
          );
        await until(leading, 60_000);
        const urls = servers.map((s) => s.url);
        const traffic = new SoakTraffic(employees, steps, hr, connector.ready.url);
        if (rate === undefined) {
          const halves = await Promise.all(
            urls.map((url) => saturate(url, traffic, { connections: 5, warmupSeconds: 2, seconds: 8 })),
          );
          const saturation = halves.reduce((sum, h) => sum + h.requestsPerSecond, 0);
          rate = Math.max(2, Math.round(saturation / 2));
          console.log(`Saturation ${saturation.toFixed(0)} requests/s over both instances: the soak runs at ${rate}/s`);
        }
        const campaign = await seedCampaign(account, prefix, throttledUrl, CAMPAIGN);
        const before = await delivered();
        const stores = await openAzureStores(account, prefix);
        await stores.deliveries.add(campaign.deliveries);
        const faults = faulty ? injectFaults(proxies, 23) : undefined;
        const rssNow = () => servers.map((s) => rssMegabytes(s.child.pid ?? -1));
        let early: number[] = [];
        const reading = setTimeout(() => (early = rssNow()), RSS_AT_MINUTES * 60_000);
        console.log(`${faulty ? 'With' : 'Without'} faults: ${MINUTES} min at ${rate} requests/s`);
        const load = await paced(urls, traffic, { rate, seconds: MINUTES * 60 });
        const end = rssNow();
        clearTimeout(reading);
        const spells = (await faults?.stop()) ?? new Map<string, number>();
        const final = await until(
          async () => (await stores.deliveries.forSend(campaign.id)).every((d) => isFinal(d.state)),
          180_000,
        ).then(
          () => true,
          () => false,
        );
        await Promise.all(servers.map((s) => children.stop(s.child)));
        await Promise.all(proxies.map((p) => p.close()));
        const after = await delivered();
        const sentThisPhase = new Map([...after].map(([chat, n]) => [chat, n - (before.get(chat) ?? 0)] as const));
        const outcome = campaignOutcome(
          campaign,
          await stores.deliveries.forSend(campaign.id),
          new Map([...sentThisPhase].filter(([, n]) => n > 0)),
        );
        const stored = await storedAnswers(stores, employees, traffic);
        return {
          rate,
          load,
          confirmed: traffic.confirmed.size,
          stored: stored.size,
          storedUnconfirmed: [...stored].filter((k) => traffic.replied.has(k) && !traffic.confirmed.has(k)).length,
          storedUnanswered: [...stored].filter((k) => !traffic.replied.has(k)).length,
          confirmedLost: [...traffic.confirmed].filter((k) => !stored.has(k)).length,
          campaign: { ...outcome, final },
          rss: { early, end },
          spells,
        };
      };

      started = performance.now();
      const calm = await phase(prefixes[0], false);
      const stormy = await phase(prefixes[1], true, calm.rate);
      console.log(`Both phases in ${seconds(started)} s`);
      return report(calm, stormy);
    });
  } finally {
    await azurite.stop();
  }
}

/** `userId/questionId` of every answer in the tables that the seeded store did not hold. */
async function storedAnswers(
  stores: Awaited<ReturnType<typeof openAzureStores>>,
  employees: readonly SeededEmployee[],
  traffic: SoakTraffic,
): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < employees.length; i += 50) {
    const batch = employees.slice(i, i + 50).map((e) => e.employee.userId);
    const records = await Promise.all(batch.map((userId) => stores.progress.get(userId)));
    records.forEach((progress, k) => {
      for (const questionId of Object.keys(progress?.answers ?? {})) {
        const key = `${batch[k]}/${questionId}`;
        if (!traffic.seeded(key)) stored.add(key);
      }
    });
  }
  return stored;
}

function report(calm: PhaseResult, stormy: PhaseResult): boolean {
  const mb = (list: number[]) => list.map((n) => `${n.toFixed(0)} MB`).join(' / ');
  const growth = stormy.rss.end.map((n, i) => n / (stormy.rss.early[i] ?? Number.NaN) - 1);
  const growthOk = growth.every((g) => g <= RSS_GROWTH_TARGET);
  const honest = (p: PhaseResult) => p.storedUnconfirmed === 0 && p.confirmedLost === 0;
  const sends = (p: PhaseResult) => p.campaign.duplicates === 0 && p.campaign.lost === 0 && p.campaign.final;
  const failed = (l: LoadResult) => `${l.non2xx} non-2xx, ${l.errors} timeouts/errors, ${l.wrongReplies} not confirmed`;
  const lines = (name: string, p: PhaseResult) => [
    `${name}: ${count(p.load.completed)} requests at ${p.rate}/s, p50 ${p.load.latency.p50.toFixed(0)} ms, ` +
      `p99 ${p.load.latency.p99.toFixed(0)} ms; ${failed(p.load)}`,
    `  answers confirmed ${count(p.confirmed)}, stored ${count(p.stored)} (stored though the reply said not: ` +
      `${p.storedUnconfirmed}; confirmed not stored ${p.confirmedLost}; stored with no reply, timed out or cut ` +
      `off at the end: ${p.storedUnanswered})`,
    `  campaign to ${count(CAMPAIGN)}: ${p.campaign.final ? 'every status final' : 'NOT all final after 3 min'}, ` +
      `sent ${p.campaign.sent}, unconfirmed ${p.campaign.unconfirmed}, duplicates ${p.campaign.duplicates}, ` +
      `lost ${p.campaign.lost}`,
    `  replies by kind: ${JSON.stringify(p.load.replies)}`,
  ];
  console.log(
    [
      '',
      ...lines('Without faults', calm),
      ...lines('With faults', stormy),
      `  spells of faults per instance: ${JSON.stringify(Object.fromEntries(stormy.spells))}`,
      `RSS with faults at minute ${RSS_AT_MINUTES}: ${mb(stormy.rss.early)}; at the end ${mb(stormy.rss.end)} ` +
        `(growth ${growth.map((g) => `${(100 * g).toFixed(0)} %`).join(' / ')})`,
    ].join('\n'),
  );
  const p99 = (p: PhaseResult) => `${p.load.latency.p99.toFixed(0)} ms`;
  reportFigures([
    {
      bench: 'soak',
      figure: `answers confirmed / stored of those replied to, ${MINUTES} min with faults`,
      value: `${stormy.confirmed} / ${stormy.stored - stormy.storedUnanswered}`,
      baseline: `${calm.confirmed} / ${calm.stored - calm.storedUnanswered}`,
      target: 'equal, same answers',
      pass: honest(stormy) && honest(calm),
    },
    {
      bench: 'soak',
      figure: `campaign to ${CAMPAIGN} with faults: duplicates / lost`,
      value: `${stormy.campaign.duplicates} / ${stormy.campaign.lost}${stormy.campaign.final ? '' : ', not final'}`,
      baseline: `${calm.campaign.duplicates} / ${calm.campaign.lost}`,
      target: '0 / 0, all final',
      pass: sends(stormy) && sends(calm),
    },
    { bench: 'soak', figure: `p99 at ${stormy.rate}/s with faults`, value: p99(stormy), baseline: p99(calm) },
    {
      bench: 'soak',
      figure: `RSS growth, minute ${RSS_AT_MINUTES} to end, with faults`,
      value: growth.map((g) => `${(100 * g).toFixed(0)} %`).join(' / '),
      baseline: mb(stormy.rss.early),
      target: `<= ${100 * RSS_GROWTH_TARGET} %`,
      pass: growthOk,
    },
  ]);
  return honest(calm) && honest(stormy) && sends(calm) && sends(stormy) && growthOk;
}

exitWith(main());
