// The scale phase of the tables bench alone (`npm run bench -- tablesIdle`, minutes): one instance on 10,000 and
// then 100,000 members (BENCH_TABLES_MEMBERS) behind a counting proxy, its start, an idle spell and its catch-up on
// another instance's writes (bench/tablesScale.ts), without the course turns and the campaign of bench/tables.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { startAzurite } from '../tests/support/azurite.js';
import { withChildren } from './childProcesses.js';
import { exitWith } from './report.js';
import { reportFigures } from './results.js';
import { IDLE_RATIO, idleRatio, measureScale, scaleFigures, type ScaleCosts } from './tablesScale.js';

const MEMBERS = (process.env.BENCH_TABLES_MEMBERS ?? '10000,100000').split(',').map(Number);

async function main(): Promise<boolean> {
  const azurite = await startAzurite();
  try {
    return await withChildren('postwise-tables-idle-', async (children, temp) => {
      const config = loadConfig({ ...process.env, MicrosoftAppId: '' });
      const course = (await loadContent(config.contentDir, config.org)).courses.en;
      const connector = await children.forkTs<{ url: string }>(
        fileURLToPath(new URL('./connector.ts', import.meta.url)),
      );
      const scale: ScaleCosts[] = [];
      for (const members of MEMBERS)
        scale.push(await measureScale(children, temp, azurite, course, connector.ready.url, members));
      const idleOk = idleRatio(scale) <= IDLE_RATIO;
      reportFigures(scaleFigures(scale, idleOk));
      return idleOk;
    });
  } finally {
    await azurite.stop();
  }
}

exitWith(main());
