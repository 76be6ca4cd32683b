import { afterEach, describe, expect, it } from 'vitest';
import { CampaignService } from '../../src/domain/campaigns/campaignService.js';
import { deliveryId, type Delivery } from '../../src/domain/campaigns/delivery.js';
import type { ConversationRef } from '../../src/domain/conversations/ports.js';
import { systemClock } from '../../src/domain/time/clock.js';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { memoryStores } from '../../src/storage/memory.js';
import { ConnectorRequests } from '../../src/teams/connectorRequests.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { loadCourse, rosterMember, rosterKey } from '../support/hrFixtures.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const BOT = '28:00000000-0000-4000-8000-0000000000b0';
const SEND = 'campaign-1';
const T0 = '2026-11-02T09:00:00.000Z';

let fake: FakeConnector | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('a campaign delivery carrying its person’s chat', () => {
  it('gets the chat the bot has with the person when the campaign adds it, and none when there is none', async () => {
    const stores = memoryStores();
    for (const name of ['Ann', 'Bob']) await stores.roster.put(rosterMember(name, { aad: `aad-${name}` }));
    await stores.roster.put(rosterMember('Dee'));
    const ref = { serviceUrl: 'http://127.0.0.1:1/', channelId: 'msteams', conversationId: 'a:ann', botId: BOT };
    await stores.conversations.put('aad-Ann', ref);
    await stores.conversations.put('aad-Someone', { ...ref, conversationId: 'a:someone' });
    const service = new CampaignService(await loadCourse(), stores, { now: () => new Date(T0) }, 'Europe/Amsterdam');
    const sent = await service.send({
      id: SEND,
      createdBy: 'hr-1',
      audience: 'everyone',
      departments: undefined,
      due: '2026-11-20',
      note: undefined,
      includeCompleted: 'yes',
    });
    expect(sent).toMatchObject({ kind: 'created', recipients: 3 });
    const chats = new Map((await stores.deliveries.forSend(SEND)).map((d) => [d.memberKey, d.chat]));
    expect(chats).toEqual(
      new Map([
        [rosterKey('Ann'), ref],
        [rosterKey('Bob'), undefined],
        [rosterKey('Dee'), undefined],
      ]),
    );
  });

  it('is sent there with no lookup; a carried chat Teams says is gone gives way to the stored one, then to a new one', async () => {
    fake = await FakeConnector.start({});
    const stores = memoryStores();
    const chat = (conversationId: string): ConversationRef => ({
      serviceUrl: (fake as FakeConnector).url,
      channelId: 'msteams',
      conversationId,
      botId: BOT,
      tenantId: TENANT,
    });
    await stores.settings.setTeamsPlace({ serviceUrl: fake.url, tenantId: TENANT, botId: BOT });
    const names = ['Ann', 'Bob', 'Cas', 'Dee'];
    for (const name of names) await stores.roster.put(rosterMember(name, { aad: `aad-${name}` }));
    // Bob cleared the chat the campaign found and has a newer one; Cas cleared hers and has none since.
    await stores.conversations.put('aad-Bob', chat('a:bob-new'));
    await stores.conversations.put('aad-Cas', chat('gone:cas'));
    // Dee's delivery recorded an Entra object id she no longer has: her stored chat is the one to use.
    await stores.conversations.put('aad-Dee', chat('a:dee-stored'));
    fake.gone.add('gone:bob');
    fake.gone.add('gone:cas');
    const carried: Record<string, readonly [string, string]> = {
      Ann: ['aad-Ann', 'a:ann-carried'],
      Bob: ['aad-Bob', 'gone:bob'],
      Cas: ['aad-Cas', 'gone:cas'],
      Dee: ['aad-old', 'a:dee-old'],
    };
    await stores.deliveries.add(
      names.map((name): Delivery => {
        const [aadObjectId, conversationId] = carried[name] as readonly [string, string];
        return {
          id: deliveryId(SEND, rosterKey(name)),
          sendId: SEND,
          kind: 'campaign',
          campaignId: SEND,
          memberKey: rosterKey(name),
          recipient: { aadObjectId },
          chat: chat(conversationId),
          state: 'pending',
          attempts: 0,
          updatedAt: T0,
        };
      }),
    );
    const looked: string[] = [];
    const conversations = {
      get: (id: string) => {
        looked.push(id);
        return stores.conversations.get(id);
      },
      put: (id: string, ref: ConversationRef) => stores.conversations.put(id, ref),
    };
    const w = new DeliveryWorker({
      ...stores,
      sender: new ConnectorRequests(async () => undefined, conversations),
      messages: { compose: async () => ({ type: 'message', text: 'Hello' }) },
      clock: systemClock,
      log: { info: () => undefined, error: () => undefined },
      rate: 100,
      serviceUrl: fake.url,
    });
    await w.start();
    await w.idle();
    await w.stop();

    expect(Object.fromEntries(fake.delivered)).toEqual({
      'a:ann-carried': 1,
      'a:bob-new': 1,
      'a:aad-Cas': 1,
      'a:dee-stored': 1,
    });
    expect(looked.sort()).toEqual(['aad-Bob', 'aad-Cas', 'aad-Dee']);
    expect((await stores.deliveries.forSend(SEND)).map((d) => d.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });
});
