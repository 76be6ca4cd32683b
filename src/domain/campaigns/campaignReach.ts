import type { ConversationRef, ConversationStore } from '../conversations/ports.js';
import type { Clock } from '../time/clock.js';
import type { Campaign } from './campaign.js';
import { deliveryId, type Delivery } from './delivery.js';
import type { Person } from './people.js';
import type { AssignmentStore, DeliveryQueue } from './ports.js';

/** Written in batches, so a large roster never holds thousands of writes in flight at once. */
const BATCH = 500;
/** Personal chats read at a time while a campaign's deliveries are added. */
const CHATS_PAGE = 1000;

/** What a campaign writes as it reaches its people. */
export interface ReachStores {
  readonly assignments: AssignmentStore;
  readonly deliveries: DeliveryQueue;
  /** The bot's personal chats, read once per campaign so that each delivery carries its person's. */
  readonly conversations?: Pick<ConversationStore, 'chats'>;
}

/**
 * The campaign's assignments, then its deliveries: once every delivery is there, every assignment is written too.
 * Each delivery carries the person's Entra object id and language as found, and their personal chat with the bot (the
 * chats read a page at a time, each page's people added as it comes), so the worker need not read them again.
 */
export async function reach(
  campaign: Campaign,
  people: readonly Person[],
  stores: ReachStores,
  clock: Clock,
): Promise<void> {
  for (let i = 0; i < people.length; i += BATCH) {
    await Promise.all(
      people
        .slice(i, i + BATCH)
        .map(({ key, aadObjectId, language }) =>
          stores.assignments.update(
            key,
            (current) =>
              current?.campaignId === campaign.id && current.due === campaign.due
                ? undefined
                : { ...current, key, due: campaign.due, campaignId: campaign.id },
            aadObjectId ? { aadObjectId, ...(language ? { language } : {}) } : undefined,
          ),
        ),
    );
  }
  const at = clock.now().toISOString();
  const add = async (found: readonly { person: Person; chat?: ConversationRef }[]) => {
    for (let i = 0; i < found.length; i += BATCH)
      await stores.deliveries.add(
        found.slice(i, i + BATCH).map(({ person: { key, aadObjectId, language }, chat }): Delivery => ({
          id: deliveryId(campaign.id, key),
          sendId: campaign.id,
          kind: 'campaign',
          campaignId: campaign.id,
          memberKey: key,
          ...(aadObjectId ? { recipient: { aadObjectId, ...(language ? { language } : {}) } } : {}),
          ...(chat ? { chat } : {}),
          state: 'pending',
          attempts: 0,
          updatedAt: at,
        })),
      );
  };
  const byId = new Map(people.flatMap((p) => (p.aadObjectId ? [[p.aadObjectId, p] as const] : [])));
  const added = new Set<string>();
  const { conversations } = stores;
  if (conversations?.chats && byId.size > 0)
    for await (const page of conversations.chats(CHATS_PAGE)) {
      const found = page.flatMap(([id, chat]) => {
        const person = byId.get(id);
        if (!person || added.has(person.key)) return [];
        added.add(person.key);
        return [{ person, chat }];
      });
      await add(found);
    }
  await add(people.filter((p) => !added.has(p.key)).map((person) => ({ person })));
}
