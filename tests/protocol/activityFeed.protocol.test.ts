import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cardText, startHarness, type BotHarness, type TestUser } from '../support/harness.js';
import { handClock } from '../support/handClock.js';
import { rosterMember } from '../support/hrFixtures.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';
import { sendCampaignToEveryone } from '../support/sharedCampaign.js';
import { FakeActivityFeed, type FeedRequest } from '../support/fakeActivityFeed.js';

const credential = { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const CHAT_LINK = 'https://teams.microsoft.com/l/chat/0/0?users=28:postwise-bot';

let feed: FakeActivityFeed;
let h: BotHarness;
let clock: ReturnType<typeof handClock>;
let anna: TestUser;
let bert: TestUser;
let cor: TestUser;

/** The harness with the feed on or off, Anna, Bert and Cor on the roster, and a campaign due 18 December sent. */
async function start(feedSetting: 'on' | 'off'): Promise<void> {
  clock = handClock('2026-11-02T09:00:00Z'); // Monday 10:00 in Amsterdam
  h = await startHarness({
    clock,
    env: { POSTWISE_HR_USERS: HR_ID, POSTWISE_ACTIVITY_FEED: feedSetting, POSTWISE_GRAPH_URL: feed.url },
    graphCredential: credential,
  });
  anna = h.user({ name: 'Anna de Vries' });
  bert = h.user({ name: 'Bert Smit', locale: 'nl-NL' });
  cor = h.user({ name: 'Cor Visser' });
  for (const [person, name] of [
    [anna, 'Anna'],
    [bert, 'Bert'],
    [cor, 'Cor'],
  ] as const) {
    if (person !== cor) await person.say('help');
    await h.stores.roster.put(rosterMember(name, { aad: person.aadObjectId }));
  }
  await bert.say('taal nl');
  await h.app.refreshFigures();
  // Cor has no chat with the bot: the campaign could not reach him, so nothing says the app is installed for him.
  h.connector.blocked.add(cor.aadObjectId);
  await sendCampaignToEveryone(hrUser(h));
  await h.app.deliveriesIdle();
  h.connector.blocked.delete(cor.aadObjectId);
}

/** Chat messages (cards) the fake connector got for this person after `from`. */
function chatCards(person: TestUser, from: number): string[] {
  return h.connector.calls
    .slice(from)
    .filter((c) => c.method === 'POST' && c.activity.attachments)
    .filter((c) => c.conversationId === person.conversationId || c.conversationId === `a:${person.aadObjectId}`)
    .map((c) => cardText((c.activity.attachments as { content: unknown }[])[0]?.content));
}

beforeEach(async () => {
  feed = await FakeActivityFeed.start();
});
afterEach(async () => {
  await h.close();
  await feed.close();
});

describe('due dates in the Teams activity feed', () => {
  it('sends reminders and overdue notices to the feed with the due date and a link into the chat, not the chat', async () => {
    // Anna and Bert have a chat with the bot, so the app is installed for them: their notices go in bulk.
    await start('on');
    feed.installed = new Set([anna.aadObjectId, bert.aadObjectId]);
    expect(feed.requests).toEqual([]); // the campaign itself goes to the chat
    const before = h.connector.calls.length;
    clock.set('2026-12-15T09:00:00Z'); // Tuesday, within the 3 days before the due date
    expect(await h.app.remindEmployees()).toBe(3);
    await h.app.deliveriesIdle();

    const [toAnna] = feed.to(anna.aadObjectId);
    expect(toAnna?.authorization).toBe('Bearer fake');
    expect(toAnna?.body).toEqual({
      topic: { source: 'text', value: 'Social media course', webUrl: CHAT_LINK },
      activityType: 'dueSoon',
      previewText: { content: 'Open the chat with Postwise to finish the social media course.' },
      templateParameters: [{ name: 'due', value: '2026-12-18' }],
      recipients: [{ '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId: anna.aadObjectId }],
    });
    // Cor's notice went alone, to him, and Graph said the app is not installed for him.
    const alone = feed.requests.filter((r) => r.userId !== '');
    expect(alone.map((r) => [r.userId, r.body.activityType, r.body.topic?.webUrl])).toEqual([
      [cor.aadObjectId, 'dueSoon', CHAT_LINK],
    ]);
    expect(feed.to(bert.aadObjectId).map((r) => [r.body.topic?.value, r.body.previewText?.content])).toEqual([
      ['Cursus sociale media', 'Open de chat met Postwise om de cursus sociale media af te maken.'],
    ]);
    expect(chatCards(anna, before)).toEqual([]);
    expect(chatCards(bert, before)).toEqual([]);
    // Not installed for Cor: Graph refuses, and the reminder reaches him in the chat, once.
    expect(feed.to(cor.aadObjectId)).toEqual([]);
    expect(chatCards(cor, before)).toHaveLength(1);
    expect(chatCards(cor, before)[0]).toContain('Reminder: the social media course is due on 18 December 2026');
    const deliveries = await h.stores.deliveries.forSend('reminder:2026-12-15');
    expect(deliveries.map((d) => [d.memberKey.split('@')[0], d.state, d.channel]).sort()).toEqual([
      ['anna', 'sent', 'feed'],
      ['bert', 'sent', 'feed'],
      ['cor', 'sent', 'chat'],
    ]);

    // The chat path reached Cor, so the app is installed for him now (as proactive install would have done).
    feed.installed.add(cor.aadObjectId);
    clock.set('2026-12-21T09:00:00Z'); // Monday, past the due date
    expect(await h.app.remindEmployees()).toBe(3);
    await h.app.deliveriesIdle();
    expect(feed.to(anna.aadObjectId).map((r) => [r.body.activityType, r.body.templateParameters])).toEqual([
      ['dueSoon', [{ name: 'due', value: '2026-12-18' }]],
      ['overdue', [{ name: 'due', value: '2026-12-18' }]],
    ]);
    expect(feed.to(cor.aadObjectId).map((r) => r.body.activityType)).toEqual(['overdue']);
    expect(chatCards(anna, before)).toEqual([]);
    expect(chatCards(cor, before)).toHaveLength(1);
  });

  it('waits out a 429 for its Retry-After, and then delivers each notice once', async () => {
    await start('on');
    feed.throttle.set(0, 1);
    clock.set('2026-12-15T09:00:00Z');
    expect(await h.app.remindEmployees()).toBe(3);
    await vi.waitFor(() => expect(feed.requests.length).toBeGreaterThan(0));
    // The throttled delivery is due again a second later by the bot's clock (the pace waits a real second).
    clock.set('2026-12-15T09:00:05Z');
    await h.app.deliveriesIdle();
    const [throttled, ...rest] = feed.requests;
    expect(rest).toHaveLength(3);
    const after = (r: { at: number }) => r.at - (throttled?.at ?? 0);
    // Only a notice already on its way with the throttled one went before the second asked for had passed.
    expect(rest.filter((r) => after(r) > 50 && after(r) < 950)).toEqual([]);
    const people = (r: FeedRequest | undefined) => (r?.body.recipients ?? []).map((p) => p.userId).concat(r?.userId);
    const again = rest.find((r) => people(r).some((id) => id && people(throttled).includes(id)));
    expect(again && after(again)).toBeGreaterThanOrEqual(950);
    expect(feed.taken.map((r) => r.userId).sort()).toEqual(
      [anna.aadObjectId, bert.aadObjectId, cor.aadObjectId].sort(),
    );
    const deliveries = await h.stores.deliveries.forSend('reminder:2026-12-15');
    expect(deliveries.every((d) => d.state === 'sent' && d.channel === 'feed')).toBe(true);
  });

  it("sends a campaign's reminders to people with a chat in bulk, at most 100 a request and 2 requests a second", async () => {
    await start('on');
    const many = Array.from({ length: 150 }, (_, i) => `0000000b-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const [i, aad] of many.entries()) {
      await h.stores.roster.put(rosterMember(`Many${i}`, { aad }));
      const ref = {
        serviceUrl: h.connector.url,
        channelId: 'msteams',
        conversationId: `a:${aad}`,
        botId: '28:postwise-bot',
      };
      await h.stores.conversations.put(aad, ref);
    }
    await h.app.refreshFigures();
    await sendCampaignToEveryone(hrUser(h));
    await h.app.deliveriesIdle();
    clock.set('2026-12-15T09:00:00Z');
    expect(await h.app.remindEmployees()).toBe(153);
    await h.app.deliveriesIdle();

    for (const aad of [...many, anna.aadObjectId, bert.aadObjectId]) expect(feed.to(aad)).toHaveLength(1);
    const bulk = feed.requests.filter((r) => r.userId === '');
    expect(bulk.every((r) => (r.body.recipients?.length ?? 0) <= 100)).toBe(true);
    expect(bulk.length).toBeLessThanOrEqual(10);
    // Graph's bulk limit, as it sees requests arrive (a few milliseconds of slack for the loopback).
    const busiest = Math.max(...bulk.map((r) => bulk.filter((o) => o.at >= r.at && o.at < r.at + 950).length));
    expect(busiest).toBeLessThanOrEqual(2);
  });

  it('is off by default: reminders go to the chat as before and Graph is never called', async () => {
    await start('off');
    const before = h.connector.calls.length;
    clock.set('2026-12-15T09:00:00Z');
    expect(await h.app.remindEmployees()).toBe(3);
    await h.app.deliveriesIdle();
    for (const person of [anna, bert, cor]) expect(chatCards(person, before)).toHaveLength(1);
    expect(feed.requests).toEqual([]);
  });
});
