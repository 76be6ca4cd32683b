import type { Campaign } from '../src/domain/campaigns/campaign.js';
import type { Delivery } from '../src/domain/campaigns/delivery.js';
import type { Member } from '../src/domain/roster/roster.js';
import { openAzureStores, tableOn, TablesConnection } from '../src/storage/azure/stores.js';
import { copyRecords } from '../src/storage/migrate.js';
import { conversationRefOf, employee } from './teamsActivities.js';

/** A campaign written to tables, its deliveries not yet added (adding them starts the send). */
export interface SeededCampaign {
  readonly id: string;
  readonly members: readonly Member[];
  readonly deliveries: readonly Delivery[];
}

/** Where a campaign's people are: the first is simulated employee FIRST_EMPLOYEE (bench/teamsActivities.ts). */
const FIRST_EMPLOYEE = 100_000;

/**
 * A campaign to `size` roster members, each with a chat at `serviceUrl`, written as the migration writes; its
 * deliveries not yet added.
 */
export async function seedCampaign(
  account: { connectionString: string },
  prefix: string,
  serviceUrl: string,
  size: number,
): Promise<SeededCampaign> {
  const stores = await openAzureStores(account, prefix);
  const connection = new TablesConnection(account, prefix);
  const at = new Date().toISOString();
  const members: Member[] = Array.from({ length: size }, (_, i) => {
    const who = employee(FIRST_EMPLOYEE + i, 'en');
    return {
      key: `person${i}@contoso.example`,
      name: `Person ${i}`,
      email: `person${i}@contoso.example`,
      department: 'Office',
      role: 'Staff',
      aadObjectId: who.userId,
      active: true,
      source: 'csv',
      updatedAt: at,
    };
  });
  await Promise.all([
    copyRecords(
      tableOn(connection, 'members'),
      members.map((m) => [m.key, m] as const),
    ),
    copyRecords(
      tableOn(connection, 'membersByAad'),
      members.map((m) => [(m.aadObjectId as string).toLowerCase(), m.key] as const),
    ),
    copyRecords(
      tableOn(connection, 'conversations'),
      members.map(
        (m, i) => [m.aadObjectId as string, conversationRefOf(employee(FIRST_EMPLOYEE + i, 'en'), serviceUrl)] as const,
      ),
    ),
  ]);
  const campaign: Campaign = {
    id: 'bench-campaign',
    createdBy: 'bench',
    createdAt: at,
    audience: { kind: 'everyone' },
    due: '2099-12-31',
    recipients: size,
  };
  await stores.campaigns.create(campaign);
  // As a campaign adds them: each with the person's Entra object id and personal chat.
  const deliveries: Delivery[] = members.map((m, i) => ({
    id: `${campaign.id}/${m.key}`,
    sendId: campaign.id,
    kind: 'campaign',
    campaignId: campaign.id,
    memberKey: m.key,
    recipient: { aadObjectId: m.aadObjectId as string },
    chat: conversationRefOf(employee(FIRST_EMPLOYEE + i, 'en'), serviceUrl),
    state: 'pending',
    attempts: 0,
    updatedAt: at,
  }));
  return { id: campaign.id, members, deliveries };
}

/** How a campaign's send ended, from its final deliveries and the messages per chat the connector counted. */
export function campaignOutcome(
  campaign: SeededCampaign,
  final: readonly Delivery[],
  delivered: ReadonlyMap<string, number>,
): { sent: number; unconfirmed: number; duplicates: number; lost: number; messages: number } {
  const conversationOf = new Map(
    campaign.members.map((m, i) => [m.key, employee(FIRST_EMPLOYEE + i, 'en').conversationId]),
  );
  const sent = final.filter((d) => d.state === 'sent');
  // Lost: stored as sent but never arrived, ended otherwise than sent or unconfirmed, or never stored.
  const lost =
    campaign.deliveries.length -
    final.length +
    sent.filter((d) => delivered.get(conversationOf.get(d.memberKey) ?? '') !== 1).length +
    final.filter((d) => d.state !== 'sent' && d.state !== 'unconfirmed').length;
  return {
    sent: sent.length,
    unconfirmed: final.filter((d) => d.state === 'unconfirmed').length,
    duplicates: [...delivered.values()].filter((n) => n > 1).length,
    lost,
    messages: [...delivered.values()].reduce((sum, n) => sum + n, 0),
  };
}
