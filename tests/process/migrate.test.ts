import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { deliveryId, type Delivery } from '../../src/domain/campaigns/delivery.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import type { Stores } from '../../src/storage/stores.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { startBotProcess } from '../support/botProcess.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('migrate');
let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

/** Runs scripts/migrate.ts through tsx, as `npm run migrate -- …` does. */
function migrate(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.POSTWISE_TABLES_URL;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/migrate.ts', ...args],
      { cwd: PROJECT_ROOT, env: childEnv },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

const pending = (memberKey: string): Delivery => ({
  id: deliveryId('card-1', memberKey),
  sendId: 'card-1',
  kind: 'campaign',
  campaignId: 'card-1',
  memberKey,
  state: 'pending',
  attempts: 0,
  updatedAt: 't',
});

async function fill(s: Stores): Promise<void> {
  for (const user of ['aad-1', '__proto__', 'a/b#c']) {
    await s.progress.openLesson(user, 'why-everyone', '2026-11-02T09:00:00.000Z');
    await s.progress.recordAnswer(user, { questionId: 'q1', choiceId: 'a', correct: true, at: 't', version: 'v1' });
    await s.conversations.put(user, {
      serviceUrl: 'http://127.0.0.1:1/',
      channelId: 'msteams',
      conversationId: `a:${user}`,
      botId: '28:b',
    });
  }
  await s.events.append({
    id: 'aad-1/completed/v1',
    type: 'completed',
    userId: 'aad-1',
    at: 't2',
    version: 'v1',
    correct: 1,
    total: 1,
  });
  await s.events.append({
    id: 'aad-1/answered/q1',
    type: 'answered',
    userId: 'aad-1',
    at: 't1',
    version: 'v1',
    questionId: 'q1',
    choiceId: 'a',
    correct: true,
  });
  await s.campaigns.create({
    id: 'card-1',
    createdBy: 'hr',
    createdAt: 't',
    audience: { kind: 'everyone' },
    due: '2026-11-30',
    recipients: 150,
  });
  await s.deliveries.add(Array.from({ length: 150 }, (_, i) => pending(`m${i}@contoso.example`)));
  await s.deliveries.update(deliveryId('card-1', 'm0@contoso.example'), (d) => ({ ...d, state: 'sent' }));
  await s.tickets.remember('aad-1/req-1', await s.tickets.nextNumber());
  await s.roster.put({
    key: 'ann@contoso.example',
    name: 'Ann',
    email: 'ann@contoso.example',
    department: 'Sales',
    role: 'Rep',
    active: true,
    source: 'csv',
    updatedAt: 't',
    aadObjectId: 'aad-1',
  });
  await s.settings.setTeamsPlace({
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    tenantId: 'tenant',
    botId: '28:b',
  });
}

/** What a user of either store sees. */
async function seen(s: Stores) {
  return {
    progress: await Promise.all(['aad-1', '__proto__', 'a/b#c'].map((u) => s.progress.get(u))),
    conversations: await Promise.all(['aad-1', '__proto__', 'a/b#c'].map((u) => s.conversations.get(u))),
    events: (await s.events.list()).map((e) => e.id),
    campaigns: await s.campaigns.list(),
    deliveries: (await s.deliveries.forSend('card-1')).sort((a, b) => a.id.localeCompare(b.id)),
    open: (await s.deliveries.open()).length,
    ticket: await s.tickets.remembered('aad-1/req-1'),
    nextTicket: await s.tickets.nextNumber(),
    member: await s.roster.byAadObjectId('aad-1'),
    place: await s.settings.teamsPlace(),
  };
}

describe('npm run migrate -- --to azure-tables', () => {
  it('copies the embedded store into tables, prints counts per table, changes nothing when run again, and keeps the source', async () => {
    const dataFile = path.join(await tempDir(), 'postwise.json');
    const source = await openLowdbStores(dataFile, new Date());
    await fill(source);
    await source.close();
    const prefix = uniquePrefix();
    const env = {
      POSTWISE_DATA_FILE: dataFile,
      POSTWISE_TABLES_CONNECTION_STRING: azurite.connectionString,
      POSTWISE_TABLE_PREFIX: prefix,
    };

    const first = await migrate(['--to', 'azure-tables'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^deliveries\s+150\s+150\s+0$/m);
    expect(first.stdout).toMatch(/^progress\s+3\s+3\s+0$/m);
    expect(first.stdout).toMatch(/^events\s+2\s+2\s+0$/m);
    const second = await migrate(['--to', 'azure-tables'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^deliveries\s+150\s+0\s+150$/m);
    expect(second.stdout).toMatch(/ 0 copied now\.$/m);

    const tables = await openAzureStores({ connectionString: azurite.connectionString }, prefix);
    const embedded = await openLowdbStores(dataFile, new Date());
    const expected = await seen(embedded);
    expect(expected.deliveries).toHaveLength(150);
    expect(expected.events).toEqual(['aad-1/completed/v1', 'aad-1/answered/q1']);
    expect(await seen(tables)).toEqual(expected);
    await embedded.close();
  }, 60_000);

  it('refuses while the bot runs on the data file, saying to stop it first', async () => {
    const dataFile = path.join(await tempDir(), 'postwise.json');
    const bot = startBotProcess({ PORT: '0', POSTWISE_DATA_FILE: dataFile });
    try {
      await bot.listening;
      const prefix = uniquePrefix();
      const tables = { POSTWISE_TABLES_CONNECTION_STRING: azurite.connectionString, POSTWISE_TABLE_PREFIX: prefix };
      const env = { POSTWISE_DATA_FILE: dataFile, ...tables };
      const refused = await migrate(['--to', 'azure-tables'], env);
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      const holds = `Postwise is running (process ${bot.child.pid}) and holds ${dataFile}.`;
      expect(refused.stderr).toContain(`${holds} Stop it first`);
    } finally {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
  }, 60_000);

  it('says how to call it, and names the variable when the tables are not configured', async () => {
    const usage = await migrate(['--to', 'cosmos'], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run migrate -- --to azure-tables');
    const unset = await migrate(['--to', 'azure-tables'], { POSTWISE_TABLES_CONNECTION_STRING: '' });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/^Configuration error: POSTWISE_TABLES_URL is required/);
  }, 30_000);
});
