import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailable } from '../../src/domain/storeUnavailable.js';
import { withinDeadline } from '../../src/domain/time/turnDeadline.js';
import { SETTLE_MS } from '../../src/storage/azure/azureTable.js';
import { TablesConnection, tableOn } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';

let azurite: Azurite;
let proxy: FaultProxy;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());
afterEach(() => proxy.close());

/** A table through the proxy, on fresh tables. */
async function faqTable() {
  proxy = await FaultProxy.start(azurite.endpoint);
  const connection = new TablesConnection({ connectionString: connectionStringTo(proxy.url) }, uniquePrefix());
  await connection.createTables();
  return tableOn(connection, 'faq');
}

/** Its write is held `ms` by the proxy, so that it reaches the store after the turn's 1 s deadline. */
function slowWrite(ms: number, healAfterMs?: number) {
  proxy.set({ latencyMs: [ms, ms] });
  if (healAfterMs !== undefined) setTimeout(() => proxy.heal(), healAfterMs);
}

const TURN_MS = 1_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a write whose answer does not come before the deadline', () => {
  it('is read back, and reported as saved when it reached the store after all', async () => {
    const table = await faqTable();
    await table.update('q1', () => ({ text: 'first' }));
    const started = Date.now();
    const written = await withinDeadline(started + TURN_MS, () =>
      table.update('q1', () => {
        slowWrite(1_500);
        return { text: 'second' };
      }),
    );
    expect(written).toEqual({ text: 'second' });
    expect(Date.now() - started).toBeLessThan(TURN_MS + SETTLE_MS + 500);
    proxy.heal();
    expect(await table.get('q1')).toEqual({ text: 'second' });
  });

  it('is refused in the store when the read-back finds it missing, so "not saved" stays true', async () => {
    const table = await faqTable();
    await table.update('q1', () => ({ text: 'first' }));
    const outcome = await withinDeadline(Date.now() + TURN_MS, () =>
      table.update('q1', () => {
        slowWrite(1_500, 100);
        return { text: 'second' };
      }),
    ).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(StoreUnavailable);
    await pause(1_000);
    expect(await table.get('q1')).toEqual({ text: 'first' });
    expect(await table.update('q1', () => ({ text: 'again' }))).toEqual({ text: 'again' });
  });

  it('leaves an empty row in place of a first write it stopped, which reads as nothing and takes the next write', async () => {
    const table = await faqTable();
    const outcome = await withinDeadline(Date.now() + TURN_MS, () =>
      table.update('new', () => {
        slowWrite(1_500, 100);
        return { text: 'first' };
      }),
    ).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(StoreUnavailable);
    await pause(1_000);
    expect(await table.get('new')).toBeUndefined();
    expect(await table.list()).toEqual([]);
    expect(await table.update('new', (current) => ({ text: current === undefined ? 'fresh' : 'stale' }))).toEqual({
      text: 'fresh',
    });
    expect(await table.list()).toEqual([{ text: 'fresh' }]);
  });

  it('gives up within its settling time when the store does not answer at all', async () => {
    const table = await faqTable();
    await table.update('q1', () => ({ text: 'first' }));
    const started = Date.now();
    const outcome = await withinDeadline(started + TURN_MS, () =>
      table.update('q1', () => {
        proxy.set({ blackHole: true });
        return { text: 'second' };
      }),
    ).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(StoreUnavailable);
    expect(Date.now() - started).toBeLessThan(TURN_MS + SETTLE_MS + 500);
    proxy.heal();
    expect(await table.get('q1')).toEqual({ text: 'first' });
  });
});
