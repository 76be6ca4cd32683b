import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { demoDataFile, seedDemo } from '../../scripts/demoData.js';
import { cardText, startHarness } from '../support/harness.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('demo');
/** Alex Wilber, the Playground's user, as docs/sample-roster.csv lists him. */
const ALEX = '00000000-0000-0000-0000-000000000020';

describe('npm run dev -- --demo', () => {
  const title = 'fills a data file of its own with made-up answerers, so HR sees figures in understanding and coverage';
  it(title, { timeout: 60_000 }, async () => {
    const own = path.join(await tempDir(), 'postwise.json');
    const dataFile = demoDataFile(own);
    expect(dataFile).toBe(path.join(path.dirname(own), 'demo', 'postwise.json'));
    const config = loadConfig({ POSTWISE_DATA_FILE: own });
    expect(await seedDemo(config, dataFile)).toBe(true);
    expect(await seedDemo(config, dataFile)).toBe(false);

    const stores = await openLowdbStores(dataFile, new Date());
    const h = await startHarness({ stores, env: { POSTWISE_HR_USERS: ALEX } });
    try {
      const members = await h.stores.roster.list();
      const demo = members.filter((m) => /^Demo employee \d$/.test(m.name));
      expect(demo).toHaveLength(8);
      expect(members.map((m) => m.name)).toContain('Alex Wilber');
      const hr = Object.assign(h.user({ name: 'Alex Wilber' }), { aadObjectId: ALEX });
      // Six finished, two stopped after three lessons: every guideline has a figure from at least 6 people.
      const understanding = cardText((await hr.say('understanding')).cards[0]);
      expect(understanding).toMatch(/G12: \d+%/);
      expect(understanding).toMatch(/right first time: \d+ of \d+ answers, from 8 people/);
      expect(understanding).not.toMatch(/from [1-5] people/);
      const coverage = cardText((await hr.say('coverage')).cards[0]);
      expect(coverage).toContain(`6 of ${members.length} people on the roster`);
      expect(coverage).toContain('Completed\n6\nIn progress\n2');
    } finally {
      await h.close();
    }
  });
});
