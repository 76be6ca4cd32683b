import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryStores } from '../../src/storage/memory.js';
import type { Stores } from '../../src/storage/stores.js';
import { FakeActivityFeed } from '../support/fakeActivityFeed.js';
import { FakeConnector } from '../support/fakeConnector.js';
import { handClock } from '../support/handClock.js';
import { cardText, startHarness, type BotHarness, type TestUser } from '../support/harness.js';
import { completeCourseInStore, loadCourse, rosterMember } from '../support/hrFixtures.js';
import { HR_ID } from '../support/hrPeople.js';

const credential = { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const CHAT_LINK = 'https://teams.microsoft.com/l/chat/0/0?users=28:postwise-bot';
const ROUND = 'refresher:2026-11-09';
const ANNA_ID = '0b6c1f7e-2a44-4d1b-9f3e-5c8a7d6e4b21';
const BERT_ID = '0b6c1f7e-2a44-4d1b-9f3e-5c8a7d6e4b22';
const COR_ID = '0b6c1f7e-2a44-4d1b-9f3e-5c8a7d6e4b23';

let feed: FakeActivityFeed;
let connector: FakeConnector;
let h: BotHarness | undefined;
let stores: Stores;
let clock: ReturnType<typeof handClock>;
let anna: TestUser;
let bert: TestUser;
let cor: TestUser;

/**
 * Anna, Bert (in Dutch) and Cor completed the course on 20 October, so a refresher is due on Monday 9 November. Anna
 * and Bert last used the chat on Monday 2 November, Cor on Sunday 8 November. The clock is then Monday 9 November.
 */
async function start(feedSetting: 'on' | 'off'): Promise<BotHarness> {
  stores = memoryStores();
  const course = await loadCourse();
  clock = handClock('2026-11-02T09:00:00Z');
  const ids = { Anna: ANNA_ID, Bert: BERT_ID, Cor: COR_ID };
  for (const [name, aad] of Object.entries(ids)) {
    await stores.roster.put(rosterMember(name, { aad }));
    await completeCourseInStore(stores, course, aad);
  }
  h = await harness(feedSetting);
  anna = Object.assign(h.user({ name: 'Anna de Vries' }), { aadObjectId: ANNA_ID });
  bert = Object.assign(h.user({ name: 'Bert Smit', locale: 'nl-NL' }), { aadObjectId: BERT_ID });
  cor = Object.assign(h.user({ name: 'Cor Visser' }), { aadObjectId: COR_ID });
  await anna.say('help');
  await bert.say('taal nl');
  clock.set('2026-11-08T15:00:00Z');
  await cor.say('help');
  clock.set('2026-11-09T09:00:00Z'); // Monday 10:00 in Amsterdam
  return h;
}

function harness(feedSetting: 'on' | 'off'): Promise<BotHarness> {
  return startHarness({
    stores,
    clock,
    connector,
    env: { POSTWISE_HR_USERS: HR_ID, POSTWISE_ACTIVITY_FEED: feedSetting, POSTWISE_GRAPH_URL: feed.url },
    graphCredential: credential,
  });
}

/** Refresher cards the fake connector got for this person after `from`. */
function refresherCards(person: TestUser, from = 0): string[] {
  return connector.calls
    .slice(from)
    .filter((c) => c.method === 'POST' && c.activity.attachments && !c.activity.replyToId)
    .filter((c) => c.conversationId === person.conversationId)
    .map((c) => cardText((c.activity.attachments as { content: unknown }[])[0]?.content))
    .filter((text) => text.includes('Refresher') || text.includes('Even opfrissen'));
}

beforeEach(async () => {
  feed = await FakeActivityFeed.start();
  connector = await FakeConnector.start();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await feed.close();
  await connector.close();
});

describe('refreshers in the Teams activity feed', () => {
  it('go to the chat, and to the feed too for people away from the chat for a week, once', async () => {
    const bot = await start('on');
    expect(await bot.app.sendDueRefreshers()).toBe(3);
    await bot.app.deliveriesIdle();

    for (const person of [anna, bert, cor]) expect(refresherCards(person)).toHaveLength(1);
    expect(feed.to(anna.aadObjectId).map((r) => ({ ...r.body, recipients: undefined }))).toEqual([
      {
        topic: { source: 'text', value: 'Social media course', webUrl: CHAT_LINK },
        activityType: 'refresherDue',
        previewText: { content: 'Open the chat with Postwise to answer one question about the social media course.' },
        templateParameters: [],
        recipients: undefined,
      },
    ]);
    expect(feed.to(bert.aadObjectId).map((r) => [r.body.activityType, r.body.topic, r.body.previewText])).toEqual([
      [
        'refresherDue',
        { source: 'text', value: 'Cursus sociale media', webUrl: CHAT_LINK },
        { content: 'Open de chat met Postwise en beantwoord één vraag over de cursus sociale media.' },
      ],
    ]);
    // Cor used the chat yesterday: the card alone, and no request to Graph for him.
    const people = feed.requests.flatMap((r) => [r.userId, ...(r.body.recipients ?? []).map((p) => p.userId)]);
    expect(people).not.toContain(cor.aadObjectId);
    expect(people.filter((id) => id !== '').sort()).toEqual([anna.aadObjectId, bert.aadObjectId].sort());
    const deliveries = await stores.deliveries.forSend(ROUND);
    expect(deliveries.map((d) => [d.memberKey.split('@')[0], d.state, d.channel]).sort()).toEqual([
      ['anna', 'sent', 'chat'],
      ['bert', 'sent', 'chat'],
      ['cor', 'sent', undefined],
    ]);
  });

  it('know a person’s last turn by its day: a turn on the morning of the round leaves the card alone', async () => {
    const bot = await start('on');
    const lastTurn = async () => (await stores.conversations.get(ANNA_ID))?.lastTurn;
    expect(await lastTurn()).toBe('2026-11-02');
    await anna.say('help');
    expect(await lastTurn()).toBe('2026-11-09');
    expect(await bot.app.sendDueRefreshers()).toBe(3);
    await bot.app.deliveriesIdle();
    expect(refresherCards(anna)).toHaveLength(1);
    expect(feed.taken.map((r) => r.userId)).toEqual([BERT_ID]);
  });

  it('send a notice in flight at a stop no more, and the card after it once', async () => {
    const first = await start('on');
    expect(await first.app.sendDueRefreshers()).toBe(3);
    await first.app.deliveriesIdle();
    await first.close();
    h = undefined;
    // As a process killed while Graph held Anna's notice leaves her delivery: claimed for the feed, card not sent.
    const id = (await stores.deliveries.forSend(ROUND)).find((d) => d.memberKey.startsWith('anna'))?.id ?? '';
    await stores.deliveries.update(id, (d) => ({ ...d, state: 'sending', channel: 'feed', attempts: 1 }));
    const requests = feed.requests.length;
    const from = connector.calls.length;
    const second = await harness('on');
    h = second;
    await second.app.deliveriesIdle();
    expect(feed.requests.length).toBe(requests);
    expect(refresherCards(anna, from)).toHaveLength(1);
    const delivery = await stores.deliveries.get(id);
    expect([delivery?.state, delivery?.channel, delivery?.attempts]).toEqual(['sent', 'chat', 2]);
  });

  it('stay in the chat alone while the feed is off', async () => {
    const bot = await start('off');
    expect(await bot.app.sendDueRefreshers()).toBe(3);
    await bot.app.deliveriesIdle();
    for (const person of [anna, bert, cor]) expect(refresherCards(person)).toHaveLength(1);
    expect(feed.requests).toEqual([]);
  });
});
