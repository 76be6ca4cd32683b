import { beforeAll, describe, expect, it } from 'vitest';
import { recipientOf } from '../../src/delivery/recipients.js';
import type { RosterChanges } from '../../src/delivery/ports.js';
import { CampaignService } from '../../src/domain/campaigns/campaignService.js';
import { deliveryId, type Delivery } from '../../src/domain/campaigns/delivery.js';
import type { Course } from '../../src/domain/course/course.js';
import { CoverageIndex } from '../../src/domain/figures/coverageIndex.js';
import { indexedStores } from '../../src/storage/indexedStores.js';
import { memoryStores } from '../../src/storage/memory.js';
import type { Stores } from '../../src/storage/stores.js';
import { loadCourse, rosterKey, rosterMember } from '../support/hrFixtures.js';

const NOW = new Date('2026-11-02T09:00:00Z');
const SEND = 'campaign-1';

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

/** Stores feeding HR's figures, as the app has them, with Ann (Dutch), Bob (no language chosen) and Dee (no id). */
async function setup(): Promise<{ stores: Stores; index: CoverageIndex; changes: RosterChanges }> {
  const index = new CoverageIndex(course);
  const stores = indexedStores(memoryStores(), index);
  await index.refresh(stores);
  await stores.roster.put(rosterMember('Ann', { aad: 'a1' }));
  await stores.roster.put(rosterMember('Bob', { aad: 'b1' }));
  await stores.roster.put(rosterMember('Dee'));
  await stores.progress.setLanguage('a1', 'nl', NOW.toISOString());
  const changes = { changedFrom: async (key: string, id: string) => (await index.read()).changedFrom(key, id) };
  return { stores, index, changes };
}

async function campaignDeliveries(stores: Stores): Promise<Map<string, Delivery>> {
  const service = new CampaignService(course, stores, { now: () => NOW }, 'Europe/Amsterdam');
  const sent = await service.send({
    id: SEND,
    createdBy: 'hr-1',
    audience: 'everyone',
    departments: undefined,
    due: '2026-11-20',
    note: undefined,
    includeCompleted: 'yes',
  });
  expect(sent.kind).toBe('created');
  return new Map((await stores.deliveries.forSend(SEND)).map((d) => [d.memberKey, d]));
}

/** A roster that fails the test when read: the delivery's record must do. */
const unread = { get: async (key: string) => expect.fail(`the roster was read for ${key}`) };

describe('a campaign delivery’s recorded recipient', () => {
  it('carries the Entra object id and the chosen language, and nothing for someone without an id', async () => {
    const { stores } = await setup();
    const deliveries = await campaignDeliveries(stores);
    expect(deliveries.get(rosterKey('Ann'))?.recipient).toEqual({ aadObjectId: 'a1', language: 'nl' });
    expect(deliveries.get(rosterKey('Bob'))?.recipient).toEqual({ aadObjectId: 'b1' });
    expect(deliveries.get(rosterKey('Dee'))).toBeDefined();
    expect(deliveries.get(rosterKey('Dee'))?.recipient).toBeUndefined();
  });

  it('is used without a roster read while the figures show no change of the person', async () => {
    const { stores, changes } = await setup();
    const ann = (await campaignDeliveries(stores)).get(rosterKey('Ann')) as Delivery;
    expect(await recipientOf(ann, unread, changes)).toEqual({ key: rosterKey('Ann'), aadObjectId: 'a1' });
  });

  it('is not used once the person left the roster or got another id: the roster decides', async () => {
    const { stores, changes } = await setup();
    const deliveries = await campaignDeliveries(stores);
    await stores.roster.put(rosterMember('Ann', { aad: 'a1', active: false }));
    await stores.roster.put(rosterMember('Bob', { aad: 'b2' }));
    expect(await recipientOf(deliveries.get(rosterKey('Ann')) as Delivery, stores.roster, changes)).toBeUndefined();
    expect(await recipientOf(deliveries.get(rosterKey('Bob')) as Delivery, stores.roster, changes)).toMatchObject({
      key: rosterKey('Bob'),
      aadObjectId: 'b2',
      name: 'Bob',
    });
  });

  it('is not there on a delivery written before it: the roster is read', async () => {
    const { stores, changes } = await setup();
    const old: Delivery = {
      id: deliveryId(SEND, rosterKey('Ann')),
      sendId: SEND,
      kind: 'campaign',
      campaignId: SEND,
      memberKey: rosterKey('Ann'),
      state: 'pending',
      attempts: 0,
      updatedAt: NOW.toISOString(),
    };
    expect(await recipientOf(old, stores.roster, changes)).toMatchObject({ key: rosterKey('Ann'), name: 'Ann' });
    await stores.roster.put(rosterMember('Ann', { aad: 'a1', active: false }));
    expect(await recipientOf(old, stores.roster, changes)).toBeUndefined();
  });
});
