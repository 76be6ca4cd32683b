import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryId, type Delivery } from '../../src/domain/campaigns/delivery.js';
import type { Stores } from '../../src/storage/stores.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';

let azurite: Azurite;
let proxy: FaultProxy;
const prefix = uniquePrefix();
beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
}, 30_000);
afterAll(async () => {
  await proxy?.close();
  await azurite?.stop();
});

const AT = '2026-11-02T09:00:00.000Z';
const pending = (sendId: string, memberKey: string): Delivery => ({
  id: deliveryId(sendId, memberKey),
  sendId,
  kind: 'campaign',
  campaignId: sendId,
  memberKey,
  state: 'pending',
  attempts: 0,
  updatedAt: AT,
});
const claim = (d: Delivery): Delivery | undefined =>
  d.state === 'pending' ? { ...d, state: 'sending', attempts: d.attempts + 1 } : undefined;
const sent = (d: Delivery): Delivery | undefined =>
  d.state === 'sending' ? { ...d, state: 'sent', sentAt: AT, updatedAt: AT } : undefined;

/** Two processes on one account: `counted` through the counting proxy, `other` straight to Azurite. */
async function twoProcesses(): Promise<{ counted: Stores; other: Stores; close: () => Promise<void> }> {
  const counted = await openAzureStores({ connectionString: connectionStringTo(proxy.url) }, prefix);
  const other = await openAzureStores({ connectionString: azurite.connectionString }, prefix);
  return { counted, other, close: async () => void (await Promise.all([counted.close(), other.close()])) };
}

describe('delivery writes on Azure Tables', () => {
  it('claims and records the open deliveries of a send it read, in a few transactions and no reads', async () => {
    const { counted, other, close } = await twoProcesses();
    try {
      const people = Array.from({ length: 60 }, (_, i) => `p${i}@contoso.example`);
      await other.deliveries.add(people.map((key) => pending('send-a', key)));
      expect((await counted.deliveries.open()).filter((d) => d.sendId === 'send-a')).toHaveLength(60);
      const before = proxy.tally.now();
      const claimed = await Promise.all(people.map((key) => counted.deliveries.update(`send-a/${key}`, claim)));
      expect(claimed.every((d) => d?.state === 'sending' && d.attempts === 1)).toBe(true);
      const recorded = await Promise.all(people.map((key) => counted.deliveries.update(`send-a/${key}`, sent)));
      expect(recorded.every((d) => d?.state === 'sent')).toBe(true);
      const traffic = proxy.tally.since(before);
      expect(traffic.byMethod.GET ?? 0).toBe(0);
      expect(traffic.requests).toBeLessThanOrEqual(6);
      // Every write is durable, as another process reads it.
      const stored = await other.deliveries.forSend('send-a');
      expect(stored.filter((d) => d.state === 'sent')).toHaveLength(60);
    } finally {
      await close();
    }
  });

  it('changes a delivery another process moved since it was read as it is now, and the rest of the send too', async () => {
    const { counted, other, close } = await twoProcesses();
    try {
      const people = Array.from({ length: 10 }, (_, i) => `q${i}@contoso.example`);
      await other.deliveries.add(people.map((key) => pending('send-b', key)));
      await counted.deliveries.open();
      // The other process (a newer leader) claimed and sent the first one meanwhile.
      await other.deliveries.update('send-b/q0@contoso.example', claim);
      await other.deliveries.update('send-b/q0@contoso.example', sent);
      const claimed = await Promise.all(people.map((key) => counted.deliveries.update(`send-b/${key}`, claim)));
      expect(claimed[0]).toBeUndefined();
      expect(claimed.slice(1).every((d) => d?.state === 'sending')).toBe(true);
      const stored = new Map((await other.deliveries.forSend('send-b')).map((d) => [d.memberKey, d]));
      expect(stored.get('q0@contoso.example')?.state).toBe('sent');
      expect(stored.get('q0@contoso.example')?.attempts).toBe(1);
      expect(people.slice(1).every((key) => stored.get(key)?.state === 'sending')).toBe(true);
      // Written after the other process's change, a later update of it starts from there.
      const again = await counted.deliveries.update('send-b/q1@contoso.example', sent);
      expect(again?.state).toBe('sent');
      await other.deliveries.update('send-b/q2@contoso.example', (d) => ({ ...d, reason: 'moved elsewhere' }));
      const onMoved = await counted.deliveries.update('send-b/q2@contoso.example', sent);
      expect(onMoved).toMatchObject({ state: 'sent', reason: 'moved elsewhere' });
    } finally {
      await close();
    }
  });
});
