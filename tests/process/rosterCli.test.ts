import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { startAzurite, uniquePrefix } from '../support/azurite.js';
import { startBotProcess } from '../support/botProcess.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('roster-cli');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs scripts/roster.ts through tsx, as `npm run roster -- …` does, on a data file in `dir`. */
function roster(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.POSTWISE_ROSTER_SOURCE;
  Object.assign(childEnv, { POSTWISE_DATA_FILE: path.join(dir, 'postwise.json') }, env);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/roster.ts', ...args],
      { cwd: PROJECT_ROOT, env: childEnv },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

async function members(dir: string): Promise<{ email: string; active: boolean }[]> {
  const stores = await openLowdbStores(path.join(dir, 'postwise.json'), new Date());
  try {
    return (await stores.roster.list())
      .map((m) => ({ email: m.email, active: m.active }))
      .sort((a, b) => a.email.localeCompare(b.email));
  } finally {
    await stores.close();
  }
}

const CLEAN =
  '\uFEFFnaam;e-mail;afdeling;functie\r\n' +
  'Anna;anna@contoso.example;Finance;Accountant\r\n' +
  'Piet;piet@contoso.example;Office;Receptionist\r\n' +
  'Ines;ines@contoso.example;Office;Office manager\r\n';
const BAD = [
  'name,email,department,role',
  'Anna,anna@contoso.example,Finance,Accountant',
  'Bob,not-an-address,Office,Clerk',
  'Carla,carla@contoso.example,Office,Clerk',
  'Dup,ANNA@contoso.example,Office,Clerk',
  'Piet,piet@contoso.example,Office',
].join('\n');

describe('npm run roster', () => {
  it('imports a clean file, shows the roster, and deactivates who is missing from the next file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'staff.csv');
    await writeFile(file, CLEAN);
    const imported = await roster(dir, ['import', file]);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain(
      `Imported 3 rows from ${file}: 3 added, 0 updated, 0 reactivated, 0 deactivated, 0 unchanged.`,
    );

    const shown = await roster(dir, ['show']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Roster: 3 active \(3 from csv\), 0 inactive; last change \d{4}-/);
    expect(shown.stdout).toContain('  Finance: 1\n  Office: 2');

    await writeFile(file, CLEAN.split('\r\n').slice(0, 3).join('\r\n'));
    const again = await roster(dir, ['import', file]);
    expect(again.stdout).toContain('0 added, 0 updated, 0 reactivated, 1 deactivated, 2 unchanged.');
    expect(await members(dir)).toEqual([
      { email: 'anna@contoso.example', active: true },
      { email: 'ines@contoso.example', active: false },
      { email: 'piet@contoso.example', active: true },
    ]);
  });

  it('imports nothing from a file with errors, listing each line, and imports the valid rows with --accept-errors', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'staff.csv');
    await writeFile(file, CLEAN);
    expect((await roster(dir, ['import', file])).code).toBe(0);
    await writeFile(file, BAD);
    const refused = await roster(dir, ['import', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${file}, line 3: Email is not a valid e-mail address\n${file}, line 5: Email is the same as on line ` +
        `2\n${file}, line 6: It has 3 fields where the header has 4\n`,
    );
    expect(refused.stderr).toContain('Nothing was imported: 3 of 5 rows have problems.');
    expect(refused.stderr).toContain('--accept-errors to import only the 2 valid rows');
    const before = await members(dir);
    expect(before.map((m) => m.email)).toEqual([
      'anna@contoso.example',
      'ines@contoso.example',
      'piet@contoso.example',
    ]);
    expect(before.every((m) => m.active)).toBe(true);

    const accepted = await roster(dir, ['import', file, '--accept-errors']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain(
      'Skipped 3 rows with problems (--accept-errors); the people on them stay as they were.',
    );
    expect(accepted.stdout).toContain('Imported 2 rows');
    expect(accepted.stdout).toContain('1 added, 0 updated, 0 reactivated, 1 deactivated, 1 unchanged.');
    expect(await members(dir)).toEqual([
      { email: 'anna@contoso.example', active: true },
      { email: 'carla@contoso.example', active: true },
      { email: 'ines@contoso.example', active: false },
      { email: 'piet@contoso.example', active: true },
    ]);
  });

  it('explains a missing file, an empty file, an unknown command, a bad setting, and a command for the other roster source', async () => {
    const dir = await tempDir();
    const missing = path.join(dir, 'nope.csv');
    const empty = path.join(dir, 'empty.csv');
    await writeFile(empty, '');
    const noFile = await roster(dir, ['import', missing]);
    const emptyFile = await roster(dir, ['import', empty, '--accept-errors']);
    const unknown = await roster(dir, ['delete', 'everyone']);
    const badConfig = await roster(dir, ['show'], { POSTWISE_ROSTER_SOURCE: 'ldap' });
    const syncCsv = await roster(dir, ['sync']);
    const importGraph = await roster(dir, ['import', empty], { POSTWISE_ROSTER_SOURCE: 'graph' });
    expect(noFile).toMatchObject({ code: 1, stderr: `There is no file ${missing}.\n` });
    expect(emptyFile).toMatchObject({
      code: 1,
      stderr: `${empty}: The file is empty.\n\nNothing was imported. Fix the file and import it again.\n`,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown command 'delete everyone'\.\n\nUsage: npm run roster -- <command>/);
    expect(badConfig).toMatchObject({
      code: 2,
      stderr: "Configuration error: POSTWISE_ROSTER_SOURCE must be csv or graph (got 'ldap')\n",
    });
    expect(syncCsv.code).toBe(1);
    expect(syncCsv.stderr).toMatch(/POSTWISE_ROSTER_SOURCE is csv\. Set POSTWISE_ROSTER_SOURCE=graph/);
    expect(importGraph.code).toBe(1);
    expect(importGraph.stderr).toMatch(/POSTWISE_ROSTER_SOURCE is graph.*npm run roster -- sync/);
    expect(await members(dir)).toEqual([]);
  });

  const whileRunning = 'refuses to import while the bot runs on its data file, imports once it stopped, even killed -9';
  it(whileRunning, { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'staff.csv');
    await writeFile(file, CLEAN);
    const bot = startBotProcess({ PORT: '0', POSTWISE_DATA_FILE: path.join(dir, 'postwise.json') });
    try {
      await bot.listening;
      const refused = await roster(dir, ['import', file]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`Postwise is running (process ${bot.child.pid}) and holds its data file`);
      expect(refused.stderr).toContain('Stop it first');
      // A second bot on the same file is refused too.
      const second = startBotProcess({ PORT: '0', POSTWISE_DATA_FILE: path.join(dir, 'postwise.json') });
      expect(await second.exited).toBe(1);
      const inUse = `POSTWISE_DATA_FILE (${path.join(dir, 'postwise.json')}) is in use by process ${bot.child.pid}`;
      expect(second.output().stderr).toContain(inUse);
    } finally {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
    expect(await members(dir)).toEqual([]);
    const imported = await roster(dir, ['import', file]);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect((await members(dir)).length).toBe(3);
  });

  const tables = 'with POSTWISE_STORE=azure-tables imports into the tables the bot reads, not into a local file';
  it(tables, { timeout: 60_000 }, async () => {
    const azurite = await startAzurite();
    try {
      const dir = await tempDir();
      const file = path.join(dir, 'staff.csv');
      await writeFile(file, CLEAN);
      const prefix = uniquePrefix();
      const env = {
        POSTWISE_STORE: 'azure-tables',
        POSTWISE_TABLES_CONNECTION_STRING: azurite.connectionString,
        POSTWISE_TABLE_PREFIX: prefix,
      };
      const imported = await roster(dir, ['import', file], env);
      expect(imported).toMatchObject({ code: 0, stderr: '' });
      expect(imported.stdout).toContain('3 added');
      const shown = await roster(dir, ['show'], env);
      expect(shown.stdout).toMatch(/Roster: 3 active \(3 from csv\)/);
      const stores = await openAzureStores({ connectionString: azurite.connectionString }, prefix);
      const emails = (await stores.roster.list()).map((m) => m.email).sort();
      await stores.close();
      expect(emails).toEqual(['anna@contoso.example', 'ines@contoso.example', 'piet@contoso.example']);
      expect(existsSync(path.join(dir, 'postwise.json'))).toBe(false);
    } finally {
      await azurite.stop();
    }
  });
});
