// Issue 25's start of HR's figures on Azure Tables (`npx tsx bench/figuresStart.bench.ts`): seeds
// Azurite with 10,000 and then 100,000 people (roster, progress, assignments; keys spread as real
// e-mail addresses and Entra ids are), then times building the figures from the tables read whole,
// one page at a time, and read over 16 key ranges at once. Exits 1 when the ranged build misses 60 s.
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { CoverageIndex, type IndexSources } from '../src/domain/figures/coverageIndex.js';
import type { AzureTable } from '../src/storage/azure/azureTable.js';
import { SCAN_BOUNDS, WHOLE_TABLE } from '../src/storage/azure/keyRanges.js';
import { openAzureStores, tableOn, TablesConnection } from '../src/storage/azure/stores.js';
import { copyRecords } from '../src/storage/migrate.js';
import { startAzurite, uniquePrefix } from '../tests/support/azurite.js';
import { seededPeople } from './figuresPeople.js';
import { count, exitWith, seconds } from './report.js';
import { reportFigures } from './results.js';

const SIZES = (process.env.BENCH_FIGURES_START_SIZES ?? '10000,100000').split(',').map(Number);
/** The bound on an instance's figures after it starts, at a million. */
const TARGET_S = 60;

async function main(): Promise<boolean> {
  const azurite = await startAzurite();
  try {
    const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
    const course = (await loadContent(config.contentDir, config.org)).courses.en;
    const account = { connectionString: azurite.connectionString };
    let pass = true;
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
      for (const how of ['whole', 'ranges'] as const) {
        started = performance.now();
        await new CoverageIndex(course).refresh(over(how));
        took[how] = (performance.now() - started) / 1000;
        console.log(`${count(members)} members, tables read ${how}: figures ready in ${took[how].toFixed(1)} s`);
      }
      // Reads grow with the roster: the share of 60 s a million would take, from this size.
      const atMillion = ((took.ranges ?? 0) * 1_000_000) / members;
      const ok = atMillion <= TARGET_S;
      pass &&= ok;
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
    }
    return pass;
  } finally {
    await azurite.stop();
  }
}

exitWith(main());
