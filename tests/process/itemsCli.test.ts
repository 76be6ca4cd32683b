import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import type { Course } from '../../src/domain/course/course.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { startAzurite, uniquePrefix } from '../support/azurite.js';
import { loadCourse } from '../support/hrFixtures.js';
import { right, seedOffice, wrong } from '../support/itemOffice.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('items');
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'items.ts');

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

type Run = { code: number | null; stdout: string; stderr: string };

function items(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [SCRIPT, ...args], {
      env: { ...process.env, MicrosoftAppId: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Seeds the office of tests/support/itemOffice.ts; returns the JSON its figures must give (worked by hand there). */
async function seeded(stores: Stores): Promise<unknown[]> {
  const [q1, q2, q3, q4] = await seedOffice(stores.progress, course);
  await stores.close();
  type Q = typeof q1;
  // facility, discrimination and shares to 3 decimals, as the JSON has them.
  const shares = (q: Q, of: Record<string, number>) =>
    q.choices.map((c) => ({ id: c.id, share: of[c.id] ?? 0, correct: c.correct }));
  const unused = (q: Q, from: number) =>
    wrong(q)
      .slice(from)
      .map((id) => `unused-distractor:${id}`);
  const [w11 = '', w12 = ''] = wrong(q1);
  const [w21 = '', w22 = ''] = wrong(q2);
  const [w31 = ''] = wrong(q3);
  const row = (q: Q, answerers: number, facility: number, r: number, choices: unknown, flags: unknown) => ({
    id: q.id,
    lesson: course.lessons.find((l) => l.questions.includes(q))?.id,
    answerers,
    facility,
    discrimination: r,
    choices,
    flags,
  });
  const low = ['no-discrimination'];
  return [
    row(q2, 20, 0.65, 0.036, shares(q2, { [right(q2)]: 0.65, [w21]: 0.2, [w22]: 0.15 }), [...low, ...unused(q2, 2)]),
    row(q1, 21, 0.667, 0.257, shares(q1, { [right(q1)]: 0.667, [w11]: 0.19, [w12]: 0.143 }), unused(q1, 2)),
    row(q3, 20, 0.95, 0.096, shares(q3, { [right(q3)]: 0.95, [w31]: 0.05 }), ['easy', ...low, ...unused(q3, 1)]),
    {
      ...row(
        q4,
        5,
        0,
        0,
        q4.choices.map((c) => ({ id: c.id, share: null, correct: c.correct })),
        ['too-few-answers'],
      ),
      facility: null,
      discrimination: null,
    },
  ];
}

describe('npm run items', () => {
  it('prints the item analysis of an embedded store as JSON, weakest first, and as a table', async () => {
    const dir = await tempDir();
    const dataFile = path.join(dir, 'data', 'postwise.json');
    const expected = await seeded(await openLowdbStores(dataFile, new Date('2026-11-01T08:00:00Z'), 4));
    const run = await items(['--json'], { POSTWISE_DATA_FILE: dataFile });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { answerers: number }[];
    expect(rows.slice(0, 4)).toEqual(expected);
    expect(rows).toHaveLength(course.lessons.flatMap((l) => l.questions).length);
    expect(rows.slice(4).every((r) => r.answerers === 0)).toBe(true);

    const table = await items([], { POSTWISE_DATA_FILE: dataFile });
    expect(table.code).toBe(0);
    const [head, first] = table.stdout.split('\n');
    expect(head).toMatch(/^question +lesson +answerers +facility +discrimination +choices +flags$/);
    expect(first).toMatch(/ 20 +65% +0\.036 .* no-discrimination/);
    expect(table.stdout).toMatch(/ 5 +too few answers\n/);
  });

  it('reads Azure Tables when POSTWISE_STORE is azure-tables', { timeout: 60_000 }, async () => {
    const azurite = await startAzurite();
    try {
      const prefix = uniquePrefix();
      const expected = await seeded(await openAzureStores({ connectionString: azurite.connectionString }, prefix));
      const env = {
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_CONNECTION_STRING: azurite.connectionString,
        POSTWISE_TABLE_PREFIX: prefix,
      };
      const run = await items(['--json'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as unknown[]).slice(0, 4)).toEqual(expected);
    } finally {
      await azurite.stop();
    }
  });

  it('says where it found no store, and what it takes', async () => {
    const dir = await tempDir();
    const missing = await items(['--json'], { POSTWISE_DATA_FILE: path.join(dir, 'none.json') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No Postwise store at');
    const wrongArgument = await items(['--csv'], { POSTWISE_DATA_FILE: path.join(dir, 'none.json') });
    expect(wrongArgument.code).toBe(2);
    expect(wrongArgument.stderr).toContain('with the bot STOPPED');
  });
});
