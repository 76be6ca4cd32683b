import { expect } from 'vitest';
import { deliveryId, isFinal, type Delivery } from '../../src/domain/campaigns/delivery.js';
import type { ConversationRef } from '../../src/domain/conversations/ports.js';
import type { Member } from '../../src/domain/roster/roster.js';
import { tableOn, TablesConnection, type TablesAccount } from '../../src/storage/azure/stores.js';
import { copyRecords } from '../../src/storage/migrate.js';
import type { Stores } from '../../src/storage/stores.js';
import type { FakeConnector } from './fakeConnector.js';
import { actionsOf, type HttpResult, type TestUser } from './harness.js';
import { rosterMember } from './hrFixtures.js';

const aadOf = (m: Member) => m.aadObjectId as string;

/**
 * `count` people on the shared tables' roster, each with a chat with the bot at the fake connector,
 * written as the migration writes them. Each `batch` (0–9) gets people of its own at the one fake connector.
 */
export async function seedSharedRoster(
  account: TablesAccount,
  prefix: string,
  connector: FakeConnector,
  count: number,
  tenantId: string,
  batch = 0,
): Promise<Member[]> {
  const people = Array.from({ length: count }, (_, i) =>
    rosterMember(`Person${String(i).padStart(4, '0')}`, {
      aad: `0000000${batch}-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }),
  );
  const ref = (m: Member): ConversationRef => ({
    serviceUrl: connector.url,
    channelId: 'msteams',
    conversationId: `a:${aadOf(m)}`,
    botId: '28:postwise-bot',
    tenantId,
  });
  const connection = new TablesConnection(account, prefix);
  await Promise.all([
    copyRecords(
      tableOn(connection, 'members'),
      people.map((m) => [m.key, m] as const),
    ),
    copyRecords(
      tableOn(connection, 'membersByAad'),
      people.map((m) => [aadOf(m).toLowerCase(), m.key] as const),
    ),
    copyRecords(
      tableOn(connection, 'conversations'),
      people.map((m) => [aadOf(m), ref(m)] as const),
    ),
  ]);
  return people;
}

const ok = (result: HttpResult): HttpResult => {
  expect(result.status).toBe(200);
  return result;
};

/** HR previews and sends a campaign to everyone through the cards, as a person would. */
export async function sendCampaignToEveryone(hr: TestUser): Promise<void> {
  const form =
    ok(await hr.say('campaign')).cards.at(-1) ?? (ok(await hr.say('campaign')).body?.value as Record<string, unknown>);
  const previewed = ok(
    await hr.press(form, 'hrCampaignPreview', { audience: 'everyone', due: '2026-12-18', note: '' }),
  );
  const preview = previewed.body?.value as Record<string, unknown>;
  expect(actionsOf(preview).some((x) => x.verb === 'hrCampaignSend')).toBe(true);
  ok(await hr.press(preview, 'hrCampaignSend'));
}

/** Campaign messages the fake connector received, all told, for these people. */
export function messagesTo(connector: FakeConnector, people: readonly Member[]): number {
  return people.reduce((sum, m) => sum + (connector.delivered.get(`a:${aadOf(m)}`) ?? 0), 0);
}

/** Waits until every delivery of the send is final, or the deadline passes; the deliveries as they are then. */
export async function finalDeliveries(stores: Stores, sendId: string, deadline: number): Promise<Delivery[]> {
  for (;;) {
    const deliveries = await stores.deliveries.forSend(sendId);
    if (deliveries.every((d) => isFinal(d.state)) || Date.now() > deadline) return deliveries;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * What became of each person: received twice or more (duplicates), or lost (marked sent but not received,
 * or neither sent nor unconfirmed).
 */
export function duplicatesAndLost(
  connector: FakeConnector,
  people: readonly Member[],
  deliveries: readonly Delivery[],
  sendId: string,
) {
  const byId = new Map(deliveries.map((d) => [d.id, d]));
  const received = (m: Member) => connector.delivered.get(`a:${aadOf(m)}`) ?? 0;
  const duplicates = people.filter((m) => received(m) > 1).map((m) => m.key);
  const lost = people
    .filter((m) => {
      const d = byId.get(deliveryId(sendId, m.key));
      return !d || (d.state === 'sent' && received(m) !== 1) || (d.state !== 'sent' && d.state !== 'unconfirmed');
    })
    .map((m) => m.key);
  return { duplicates, lost };
}
