import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import type { CourseEvent } from '../../src/domain/course/events.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { startAzurite, uniquePrefix } from '../support/azurite.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('audit');
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'audit.ts');

interface Run {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function audit(
  args: readonly string[],
  options: { cwd: string; dataFile: string; env?: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [SCRIPT, ...args], {
      cwd: options.cwd,
      env: { ...process.env, POSTWISE_DATA_FILE: options.dataFile, MicrosoftAppId: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

const acknowledged = (
  userId: string,
  version: string,
  at: string,
  type: 'acknowledged' | 'completed' = 'acknowledged',
): CourseEvent => ({
  id: `${userId}/${type}/${version}`,
  type,
  userId,
  at,
  version,
  correct: 20,
  total: 26,
});

/** A store in a temp folder with two roster members, three acknowledgements and other events. */
async function seeded(): Promise<{ dir: string; dataFile: string }> {
  const dir = await tempDir();
  const dataFile = path.join(dir, 'data', 'postwise.json');
  await seed(await openLowdbStores(dataFile, new Date('2026-11-01T08:00:00Z'), 4));
  return { dir, dataFile };
}

async function seed(stores: Stores): Promise<void> {
  const member = (name: string, aadObjectId: string) => ({
    key: `${name.toLowerCase()}@contoso.example`,
    name,
    email: `${name.toLowerCase()}@contoso.example`,
    department: 'Facilities',
    role: 'Receptionist',
    aadObjectId,
    active: true,
    source: 'csv' as const,
    updatedAt: '2026-11-01T08:00:00Z',
  });
  await stores.roster.put(member('Ann', 'aad-ann'));
  await stores.roster.put(member('=Bob', 'aad-bob'));
  await stores.events.append({
    id: 'aad-ann/answered/q1',
    type: 'answered',
    userId: 'aad-ann',
    at: '2026-11-02T09:00:00Z',
    version: 'v1',
    questionId: 'q1',
    choiceId: 'a',
    correct: true,
  });
  await stores.events.append(acknowledged('aad-ann', 'v1', '2026-11-02T09:30:00Z'));
  await stores.events.append(acknowledged('aad-ann', 'v1', '2026-11-02T09:30:00Z', 'completed'));
  await stores.events.append(acknowledged('aad-bob', 'v1', '2026-11-03T10:00:00Z'));
  await stores.events.append(acknowledged('not-on-roster', 'v1', '2026-11-04T11:00:00Z'));
  await stores.events.append(acknowledged('aad-ann', 'v2', '2026-12-01T08:15:00Z'));
  // Only v2 ran with names kept: v1's name cannot be derived from its hash.
  await stores.settings.recordVersionName('v2', '2026-12-01 #612');
  await stores.close();
}

const EXPECTED = [
  [
    'Acknowledged at (UTC)',
    'User id',
    'Name',
    'Email',
    'Policy version',
    'Policy version (hash)',
    'Correct answers',
    'Questions',
  ],
  ['2026-11-02T09:30:00Z', 'aad-ann', 'Ann', 'ann@contoso.example', '', 'v1', '20', '26'],
  ['2026-11-03T10:00:00Z', 'aad-bob', "'=Bob", "'=bob@contoso.example", '', 'v1', '20', '26'],
  ['2026-11-04T11:00:00Z', 'not-on-roster', '', '', '', 'v1', '20', '26'],
  ['2026-12-01T08:15:00Z', 'aad-ann', 'Ann', 'ann@contoso.example', '2026-12-01 #612', 'v2', '20', '26'],
];

describe('npm run audit -- export', () => {
  it('writes every acknowledgement, with name and e-mail from the roster, to the given file', async () => {
    const { dir, dataFile } = await seeded();
    const run = await audit(['export', 'records/../acks.csv'], { cwd: dir, dataFile });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe('Wrote 4 acknowledgements to acks.csv.\n');
    const body = await readFile(path.join(dir, 'acks.csv'));
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parse(body, { bom: true })).toEqual(EXPECTED);
  });

  it(
    'reads the acknowledgements from Azure Tables when POSTWISE_STORE is azure-tables, in the order they were made',
    { timeout: 60_000 },
    async () => {
      const azurite = await startAzurite();
      try {
        const dir = await tempDir();
        const prefix = uniquePrefix();
        await seed(await openAzureStores({ connectionString: azurite.connectionString }, prefix));
        const env = {
          POSTWISE_STORE: 'azure-tables',
          POSTWISE_TABLES_CONNECTION_STRING: azurite.connectionString,
          POSTWISE_TABLE_PREFIX: prefix,
        };
        const run = await audit(['export', '-'], { cwd: dir, dataFile: path.join(dir, 'none', 'postwise.json'), env });
        expect(run.stderr).toBe('Wrote 4 acknowledgements.\n');
        expect(run.code).toBe(0);
        expect(parse(run.stdout, { bom: true })).toEqual(EXPECTED);
      } finally {
        await azurite.stop();
      }
    },
  );

  it('writes audit-<date>.csv in the current folder by default, and to stdout for -', async () => {
    const { dir, dataFile } = await seeded();
    const toFile = await audit(['export'], { cwd: dir, dataFile });
    expect(toFile.code).toBe(0);
    const written = (await readdir(dir)).filter((f) => f.endsWith('.csv'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(toFile.stdout.toString()).toContain(written[0]);
    const toStdout = await audit(['export', '-'], { cwd: dir, dataFile });
    expect(toStdout.code).toBe(0);
    expect(toStdout.stderr).toBe('Wrote 4 acknowledgements.\n');
    expect(toStdout.stdout).toEqual(await readFile(path.join(dir, written[0] ?? '')));
  });

  it('says how to use it, and exits 2, for a missing or unknown command or extra arguments', async () => {
    const { dir, dataFile } = await seeded();
    for (const args of [[], ['import', 'x.csv'], ['export', 'a.csv', 'b.csv']]) {
      const run = await audit(args, { cwd: dir, dataFile });
      expect(run.code).toBe(2);
      expect(String(run.stdout) + String(run.stderr)).toContain('Usage: npm run audit -- export [file]');
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.csv'))).toEqual([]);
  });

  it('refuses a store that is not there rather than creating an empty one', async () => {
    const dir = await tempDir();
    const dataFile = path.join(dir, 'nowhere', 'postwise.json');
    const run = await audit(['export', 'out.csv'], { cwd: dir, dataFile });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No Postwise store at ${dataFile}`);
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
    expect(existsSync(path.join(dir, 'out.csv'))).toBe(false);
  });

  it('stops on a configuration error, naming the variable', async () => {
    const { dir, dataFile } = await seeded();
    const run = await audit(['export', 'out.csv'], {
      cwd: dir,
      dataFile,
      env: { POSTWISE_TIMEZONE: 'Mars/Olympus_Mons' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('POSTWISE_TIMEZONE');
    expect(existsSync(path.join(dir, 'out.csv'))).toBe(false);
  });

  it('names the file it could not write', async () => {
    const { dir, dataFile } = await seeded();
    const run = await audit(['export', 'missing-folder/out.csv'], { cwd: dir, dataFile });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Could not write ${path.join(dir, 'missing-folder', 'out.csv')}: ENOENT`);
  });
});
