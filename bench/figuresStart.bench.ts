// Issue 25's start of HR's figures on Azure Tables (`npx tsx bench/figuresStart.bench.ts`): seeds
// Azurite with 10,000 and then 100,000 people (roster, progress, assignments; keys spread as real
// e-mail addresses and Entra ids are), then times building the figures from the tables read whole,
// one page at a time, and read over 16 key ranges at once; then the checkpoint path: the built figures
// saved as the leader saves them, 1,000 writes after, and another instance's start from the checkpoint
// and the change log since. Then the same checkpoint path for 1,000,000 people whose figures are fed in
// memory (BENCH_FIGURES_CHECKPOINT_SIZES; seeding Azurite with a million would take hours). Exits 1
// when the start from a checkpoint at the largest size misses 60 s.
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { CoverageIndex, type IndexSources } from '../src/domain/figures/coverageIndex.js';
import type { AzureTable } from '../src/storage/azure/azureTable.js';
import { SCAN_BOUNDS, WHOLE_TABLE } from '../src/storage/azure/keyRanges.js';
import { openAzureStores, tableOn, TablesConnection } from '../src/storage/azure/stores.js';
import { copyRecords } from '../src/storage/migrate.js';
import { startAzurite, uniquePrefix } from '../tests/support/azurite.js';
import { checkpointCosts, fedSources, WRITES_AFTER, type CheckpointCosts } from './figuresCheckpoint.js';
import { seededPeople } from './figuresPeople.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';

const SIZES = (process.env.BENCH_FIGURES_START_SIZES ?? '10000,100000').split(',').map(Number);
const FED_SIZES = (process.env.BENCH_FIGURES_CHECKPOINT_SIZES ?? '1000000').split(',').filter(Boolean).map(Number);
/** The bound on an instance's figures after it starts, at a million. */
const TARGET_S = 60;

async function main(): Promise<boolean> {
  const azurite = await startAzurite();
  try {
    const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
    const course = (await loadContent(config.contentDir, config.org)).courses.en;
    const account = { connectionString: azurite.connectionString };
    let rate = 0;
    let largest: { members: number; seconds: number } | undefined;
    const checkpointed = (members: number, costs: CheckpointCosts, baseline: string) => {
      const { save, start } = costs;
      const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
      const s = (n: number) => `${n.toFixed(1)} s`;
      console.log(
        `${count(members)} members, checkpoint ${mb(costs.storedBytes)} stored; a save: ${s(save.seconds)}, ` +
          `${save.requests} requests, ${mb(save.bytesSent)} sent (every 10 min: ${(save.requests / 10).toFixed(1)} ` +
          `requests and ${mb(save.bytesSent / 10)} a minute); start from it (${start.from}) and ` +
          `${count(WRITES_AFTER)} writes since: ${s(start.seconds)} (reading it ${s(start.readSeconds)}), ` +
          `${start.requests} requests, ${mb(start.bytesRead)} read`,
      );
      if (!largest || members >= largest.members) largest = { members, seconds: start.seconds };
      reportFigures([
        {
          bench: 'figures-start',
          figure: `Start from a checkpoint + ${count(WRITES_AFTER)} writes since, ${count(members)} members`,
          value: `${start.seconds.toFixed(1)} s (${start.requests} requests, ${mb(start.bytesRead)})`,
          baseline,
          target: `≤ ${TARGET_S} s at a million`,
        },
        {
          bench: 'figures-start',
          figure: `Checkpoint save, ${count(members)} members`,
          value: `${s(save.seconds)}, ${save.requests} requests, ${mb(save.bytesSent)} sent`,
          baseline: `${mb(costs.storedBytes)} stored`,
        },
      ]);
    };
    for (const members of SIZES) {
      const prefix = uniquePrefix();
      const stores = await openAzureStores(account, prefix);
      const connection = new TablesConnection(account, prefix);
      const table = <T>(name: string) => tableOn(connection, name) as AzureTable<T>;
      const people = [...seededPeople(course, members)];
      let started = performance.now();
      await copyRecords(
        table('members'),
        people.map((p) => [p.member.key, p.member] as const),
      );
      await copyRecords(
        table('progress'),
        people.flatMap((p) => (p.progress ? [[p.progress.userId, p.progress]] : [])),
      );
      await copyRecords(
        table('assignments'),
        people.flatMap((p) => (p.assignment ? [[p.member.key, p.assignment]] : [])),
      );
      console.log(`Seeded ${count(members)} people into Azurite in ${seconds(started)} s`);
      const over = (bounds: 'ranges' | 'whole'): IndexSources => {
        const reader = <T>(name: string) => ({
          scan: <R>(pick: (record: Readonly<T>) => R) =>
            table<T>(name).scanRanges(pick, bounds === 'whole' ? WHOLE_TABLE : (SCAN_BOUNDS[name] ?? WHOLE_TABLE)),
        });
        return {
          ...stores,
          roster: reader('members'),
          progress: reader('progress'),
          assignments: reader('assignments'),
        };
      };
      const took: Record<string, number> = {};
      const leader = new CoverageIndex(course);
      for (const how of ['whole', 'ranges'] as const) {
        started = performance.now();
        await (how === 'ranges' ? leader : new CoverageIndex(course)).refresh(over(how));
        took[how] = (performance.now() - started) / 1000;
        console.log(`${count(members)} members, tables read ${how}: figures ready in ${took[how].toFixed(1)} s`);
      }
      // Reads grow with the roster: the share of 60 s a million would take, from this size.
      const atMillion = ((took.ranges ?? 0) * 1_000_000) / members;
      const ok = atMillion <= TARGET_S;
      rate = (took.ranges ?? 0) / members;
      reportFigures([
        {
          bench: 'figures-start',
          figure: `Start to figures ready on Azurite, ${count(members)} members, 16 key ranges`,
          value: `${(took.ranges ?? 0).toFixed(1)} s (${atMillion.toFixed(0)} s at a million, linearly)`,
          baseline: `tables read whole ${(took.whole ?? 0).toFixed(1)} s`,
          target: `≤ ${TARGET_S} s at a million`,
          pass: ok,
        },
      ]);
      checkpointed(
        members,
        await checkpointCosts(course, leader, azurite.endpoint, prefix, members),
        `16 key ranges ${(took.ranges ?? 0).toFixed(1)} s`,
      );
    }
    for (const members of FED_SIZES) {
      const leader = new CoverageIndex(course);
      const started = performance.now();
      await leader.refresh(fedSources(course, members));
      console.log(`${count(members)} members fed to the figures in memory in ${seconds(started)} s`);
      const ranged = `16 key ranges ≈ ${(rate * members).toFixed(0)} s (this run's ${count(SIZES.at(-1) ?? 0)} rate)`;
      checkpointed(members, await checkpointCosts(course, leader, azurite.endpoint, uniquePrefix(), members), ranged);
    }
    return largest !== undefined && largest.seconds <= TARGET_S;
  } finally {
    await azurite.stop();
  }
}

exitWith(main());
