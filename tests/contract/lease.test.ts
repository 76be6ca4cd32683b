import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableLease } from '../../src/storage/azure/lease.js';
import { TablesConnection } from '../../src/storage/azure/stores.js';
import type { Log } from '../../src/log.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';

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
  const state = { leading: false, terms: 0, generation: 0 };
  const start = () =>
    lease.start({
      lead: async (generation) => {
        state.generation = generation;
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

  it('takes over from a holder that stopped renewing once it has seen its row unchanged for a lease, not before', async () => {
    const connection = new TablesConnection({ connectionString: azurite.connectionString }, uniquePrefix());
    await connection.createTables();
    await connection
      .client('leases')
      .createEntity({ partitionKey: 'leader', rowKey: '', holder: 'a dead instance', generation: 4 });
    const next = instance(connection, 1200);
    await next.start();
    await pause(800);
    expect(next.state.leading).toBe(false);
    await pause(900);
    expect(next.state).toEqual({ leading: true, terms: 1, generation: 5 });
    await next.lease.stop();
  });

  it(
    'a leader cut off from the store steps down before another instance takes over, while its renewal hangs; ' +
      'the next leader has a newer generation and the old one follows once healed',
    { timeout: 20_000 },
    async () => {
      const prefix = uniquePrefix();
      const direct = new TablesConnection({ connectionString: azurite.connectionString }, prefix);
      await direct.createTables();
      const proxies = await Promise.all([FaultProxy.start(azurite.endpoint), FaultProxy.start(azurite.endpoint)]);
      try {
        const all = proxies.map((proxy) =>
          instance(new TablesConnection({ connectionString: connectionStringTo(proxy.url) }, prefix), 1200),
        );
        await Promise.all(all.map((i) => i.start()));
        await pause(300);
        const leaderAt = all.findIndex((i) => i.state.leading);
        const [leader, other] = [all[leaderAt], all[1 - leaderAt]];
        if (!leader || !other) throw new Error('nobody leads');
        const first = leader.state.generation;
        proxies[leaderAt]?.set({ blackHole: true });
        // Sampled every 20 ms over three leases: never two leaders at once.
        let both = 0;
        for (let t = 0; t < 3600; t += 20) {
          if (leader.state.leading && other.state.leading) both += 1;
          await pause(20);
        }
        expect(both).toBe(0);
        expect(leader.state).toMatchObject({ leading: false, terms: 1 });
        expect(other.state).toMatchObject({ leading: true, terms: 1 });
        expect(other.state.generation).toBeGreaterThan(first);
        proxies[leaderAt]?.heal();
        await pause(1500);
        expect(leader.state).toMatchObject({ leading: false, terms: 1 });
        expect(other.state).toMatchObject({ leading: true, terms: 1 });
        await Promise.all(all.map((i) => i.lease.stop()));
      } finally {
        await Promise.all(proxies.map((p) => p.close()));
      }
    },
  );
});
