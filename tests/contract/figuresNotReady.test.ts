import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';
import { cardText, startHarness, type BotHarness } from '../support/harness.js';
import { hrUser, HR_ID } from '../support/hrPeople.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An instance on fresh tables behind `proxy`, HR's figures built from scratch. */
async function instance(proxy: FaultProxy, prefix: string) {
  const connectionString = connectionStringTo(proxy.url);
  return startHarness({
    stores: await openAzureStores({ connectionString }, prefix),
    env: {
      POSTWISE_STORE: 'azure-tables',
      POSTWISE_TABLES_CONNECTION_STRING: connectionString,
      POSTWISE_TABLE_PREFIX: prefix,
      POSTWISE_HR_USERS: HR_ID,
    },
  });
}

/** The scans of progress HR's figures are built from (a course turn reads a person's progress by its key). */
function progressScans(prefix: string): (method: string, path: string) => boolean {
  const scan = new RegExp(`/${prefix}progress\\(\\)`);
  return (method, path) => method === 'GET' && scan.test(path);
}

const ready = (h: BotHarness) => h.log.lines.some((line) => line.includes('"event":"figures.ready"'));

describe('an instance whose figures are not built yet', () => {
  it('serves course turns at once, and tells HR to try again in a minute instead of keeping them waiting', async () => {
    const prefix = uniquePrefix();
    const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
    // The store answers everything but the scans the figures are built from: the build cannot end.
    proxy.set({ blackHole: true, only: progressScans(prefix) });
    const h = await instance(proxy, prefix);
    try {
      const started = await h.user().say('start');
      expect(started.status).toBe(200);
      expect(started.cards.length).toBeGreaterThan(0);
      expect(proxy.counts.held).toBeGreaterThan(0);
      expect(ready(h)).toBe(false);

      const asked = Date.now();
      const coverage = await hrUser(h).say('coverage');
      expect(Date.now() - asked).toBeLessThan(15_000);
      expect(coverage.status).toBe(200);
      expect(coverage.texts.join(' ')).toContain('still counting the figures');
    } finally {
      await h.close();
      await proxy.close();
    }
  }, 60_000);

  it('builds them once the store answers again after failing at start-up, and HR then sees them', async () => {
    const prefix = uniquePrefix();
    const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
    proxy.set({ busy: 1, only: progressScans(prefix) });
    const h = await instance(proxy, prefix);
    try {
      await until(() => h.log.lines.some((line) => line.includes('"event":"figures.build-failed"')), 30_000);
      const during = await hrUser(h).say('coverage');
      expect(during.texts.join(' ')).toContain('still counting the figures');

      proxy.heal();
      await until(() => ready(h), 30_000);
      const counted = await hrUser(h).say('coverage');
      expect(counted.texts.join(' ')).not.toContain('still counting');
      expect(counted.cards.map(cardText).join(' ')).toMatch(/roster/i);
    } finally {
      await h.close();
      await proxy.close();
    }
  }, 90_000);
});
