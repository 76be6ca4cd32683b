import { TableClient, type RestError } from '@azure/data-tables';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';

let azurite: Azurite;
let proxy: FaultProxy;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());
afterEach(() => proxy.close());

/** A table client with no retries of its own, so each request meets the proxy once. */
function rawClient(table: string): TableClient {
  return TableClient.fromConnectionString(connectionStringTo(proxy.url), table, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
}

/** Where the Tables SDK puts the service's error code (`x-ms-error-code`). */
const errorCode = (error: RestError) => (error.details as { errorCode?: string } | undefined)?.errorCode;

describe('the fault proxy in front of Azurite', () => {
  it('passes requests through untouched when no fault is set', async () => {
    proxy = await FaultProxy.start(azurite.endpoint);
    const stores = await openAzureStores({ connectionString: connectionStringTo(proxy.url) }, uniquePrefix());
    await stores.progress.openLesson('ann', 'why-everyone', '2026-12-07T09:00:00Z', 2);
    expect((await stores.progress.get('ann'))?.lessonsOpened).toEqual(['why-everyone']);
    expect(proxy.counts.passed).toBeGreaterThan(0);
  });

  it('answers 503 ServerBusy and 500 OperationTimedOut the way Azure Tables does', async () => {
    proxy = await FaultProxy.start(azurite.endpoint);
    const client = rawClient(`${uniquePrefix()}x`);
    proxy.set({ busy: 1 });
    const busy = (await client.createTable().catch((e: unknown) => e)) as RestError;
    expect([busy.statusCode, errorCode(busy)]).toEqual([503, 'ServerBusy']);
    proxy.set({ timedOut: 1 });
    const timedOut = (await client.createTable().catch((e: unknown) => e)) as RestError;
    expect([timedOut.statusCode, errorCode(timedOut)]).toEqual([500, 'OperationTimedOut']);
  });

  it('holds requests in a black hole until healed, and resets connections', async () => {
    proxy = await FaultProxy.start(azurite.endpoint);
    const client = rawClient(`${uniquePrefix()}y`);
    proxy.set({ blackHole: true });
    const aborted = new AbortController();
    const held = client.createTable({ abortSignal: aborted.signal }).then(
      () => 'answered',
      () => 'gave up',
    );
    const waited = await Promise.race([held, new Promise((r) => setTimeout(() => r('still waiting'), 500))]);
    expect(waited).toBe('still waiting');
    aborted.abort();
    expect(await held).toBe('gave up');
    proxy.set({ reset: 1 });
    await expect(client.createTable()).rejects.toThrow();
    expect(proxy.counts).toMatchObject({ held: 1, reset: 1 });
    proxy.heal();
    await client.createTable();
  });
});
