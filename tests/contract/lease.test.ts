import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableLease } from '../../src/storage/azure/lease.js';
import { TablesConnection } from '../../src/storage/azure/stores.js';
import type { Log } from '../../src/log.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

const quiet: Log = { info: () => {}, error: () => {} };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lease and what it has been told: true while it leads. */
function instance(connection: TablesConnection, leaseMs: number) {
  const lease = new TableLease(connection.client('leases'), leaseMs, quiet);
  const state = { leading: false, terms: 0 };
  const start = () =>
    lease.start({
      lead: async () => {
        state.leading = true;
        state.terms += 1;
      },
      follow: async () => {
        state.leading = false;
      },
    });
  return { lease, state, start };
}

describe('leadership on a lease row', () => {
  it('lets exactly one of several instances lead, and hands over at once when the leader stops', async () => {
    const connection = new TablesConnection({ connectionString: azurite.connectionString }, uniquePrefix());
    await connection.createTables();
    const all = [instance(connection, 900), instance(connection, 900), instance(connection, 900)];
    await Promise.all(all.map((i) => i.start()));
    await pause(700);
    expect(all.filter((i) => i.state.leading)).toHaveLength(1);
    const leader = all.find((i) => i.state.leading);
    await leader?.lease.stop();
    expect(leader?.state.leading).toBe(false);
    await pause(500);
    const rest = all.filter((i) => i !== leader);
    expect(rest.filter((i) => i.state.leading)).toHaveLength(1);
    await Promise.all(rest.map((i) => i.lease.stop()));
  });

  it('takes over from a holder that stopped renewing once its lease has lapsed, not before', async () => {
    const connection = new TablesConnection({ connectionString: azurite.connectionString }, uniquePrefix());
    await connection.createTables();
    await connection
      .client('leases')
      .createEntity({ partitionKey: 'leader', rowKey: '', holder: 'a dead instance', expiresAt: Date.now() + 1200 });
    const next = instance(connection, 600);
    await next.start();
    await pause(800);
    expect(next.state.leading).toBe(false);
    await pause(900);
    expect(next.state).toEqual({ leading: true, terms: 1 });
    await next.lease.stop();
  });
});
