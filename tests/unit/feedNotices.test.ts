import { describe, expect, it } from 'vitest';
import { deliveryId, type Delivery, type DeliveryKind } from '../../src/domain/campaigns/delivery.js';
import { memoryStores } from '../../src/storage/memory.js';
import { TeamsFeedNotices } from '../../src/teams/feedNotices.js';
import { handClock } from '../support/handClock.js';

const AAD = '0000000c-0000-4000-8000-000000000001';
const member = { key: 'anna@contoso.example', aadObjectId: AAD };

function delivery(kind: DeliveryKind, campaignId?: string): Delivery {
  return {
    id: deliveryId('s', member.key),
    sendId: 's',
    kind,
    ...(campaignId ? { campaignId } : {}),
    memberKey: member.key,
    recipient: { aadObjectId: AAD, language: 'nl' },
    state: 'pending',
    attempts: 0,
    updatedAt: '2026-12-15T09:00:00Z',
  };
}

async function notices(now: string) {
  const stores = memoryStores();
  await stores.campaigns.create({
    id: 'c1',
    createdBy: 'hr',
    createdAt: '2026-11-02T09:00:00Z',
    audience: { kind: 'everyone' },
    due: '2026-12-18',
    recipients: 1,
  });
  const renewals = { step: async () => ({ kind: 'summary' as const, lapse: '2026-12-01' }) };
  return new TeamsFeedNotices(stores, 'en', handClock(now), 'Europe/Amsterdam', renewals);
}

describe('activity feed notices', () => {
  it('make a due date reminder dueSoon before the due date and overdue after it, in the language chosen', async () => {
    const before = await (await notices('2026-12-15T09:00:00Z')).notice(delivery('reminder', 'c1'), member);
    expect(before).toEqual({
      activityType: 'dueSoon',
      templateParameters: { due: '2026-12-18' },
      previewText: 'Open de chat met Postwise om de cursus sociale media af te maken.',
      topic: 'Cursus sociale media',
    });
    const after = await (await notices('2026-12-19T09:00:00Z')).notice(delivery('reminder', 'c1'), member);
    expect(after?.activityType).toBe('overdue');
  });

  it("take a renewal reminder's due date from the lapse of the acknowledgement", async () => {
    const notice = await (await notices('2026-12-15T09:00:00Z')).notice(delivery('reminder'), member);
    expect(notice?.templateParameters).toEqual({ due: '2026-12-15' });
  });

  it('leave campaign messages, refreshers and renewals to the chat', async () => {
    const feed = await notices('2026-12-15T09:00:00Z');
    for (const kind of ['campaign', 'refresher', 'renewal'] as const)
      expect(await feed.notice(delivery(kind, kind === 'campaign' ? 'c1' : undefined), member)).toBeUndefined();
  });
});

describe('a refresher in the activity feed', () => {
  const ref = { serviceUrl: 'http://127.0.0.1:1/', channelId: 'msteams', conversationId: 'a:1', botId: '28:b' };
  async function refresherNotice(lastTurn: string | undefined) {
    const stores = memoryStores();
    await stores.conversations.put(AAD, { ...ref, ...(lastTurn ? { lastTurn } : {}) });
    const feed = new TeamsFeedNotices(stores, 'en', handClock('2026-11-09T09:00:00Z'), 'Europe/Amsterdam');
    return feed.notice(delivery('refresher'), member);
  }

  it('is announced to someone who last used the chat a week ago or longer, or never, in their language', async () => {
    const notice = {
      activityType: 'refresherDue',
      templateParameters: {},
      previewText: 'Open de chat met Postwise en beantwoord één vraag over de cursus sociale media.',
      topic: 'Cursus sociale media',
    };
    expect(await refresherNotice('2026-11-02')).toEqual(notice);
    expect(await refresherNotice(undefined)).toEqual(notice);
  });

  it('is not announced to someone who used the chat in the last six days', async () => {
    expect(await refresherNotice('2026-11-03')).toBeUndefined();
  });
});
