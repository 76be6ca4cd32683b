import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course/course.js';
import { validCards } from '../support/cardSchema.js';
import {
  actionsOf,
  cardText,
  elementOf,
  shown,
  startHarness,
  type BotHarness,
  type TestUser,
} from '../support/harness.js';
import { handClock } from '../support/handClock.js';
import { completeCourseInStore, loadCourse, rosterMember } from '../support/hrFixtures.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';

let course: Course;
let h: BotHarness;
let clock: ReturnType<typeof handClock>;
let hr: TestUser;
let ann: TestUser;
let bob: TestUser;

beforeAll(async () => {
  course = await loadCourse();
});

beforeEach(async () => {
  clock = handClock('2026-11-02T09:00:00Z'); // Monday 10:00 in Amsterdam
  h = await startHarness({ clock, env: { POSTWISE_HR_USERS: HR_ID } });
  hr = hrUser(h);
  ann = h.user({ name: 'Ann Smit' });
  bob = h.user({ name: 'Bob Visser' });
  await h.stores.roster.put(rosterMember('Ann', { aad: ann.aadObjectId }));
  await h.stores.roster.put(rosterMember('Bob', { aad: bob.aadObjectId }));
});
afterEach(() => h.close());

/** HR fills in the campaign form (everyone, due 1 December) and gets the preview. */
async function previewBy(user: TestUser): Promise<Record<string, unknown>> {
  const form = validCards(await user.say(user.locale === 'nl-NL' ? 'campagne' : 'campaign')).cards.at(-1) ?? {};
  return validCards(await user.press(form, 'hrCampaignPreview', { audience: 'everyone', due: '2026-12-01' })).body
    .value;
}

/** The card *Send at…* opens on the preview. */
function sendAt(preview: Record<string, unknown>): Record<string, unknown> {
  const action = actionsOf(preview).find((a) => a.type === 'Action.ShowCard');
  expect(action?.title).toMatch(/^(Send at…|Later versturen…)$/);
  return action?.card as Record<string, unknown>;
}

/** What *Cancel* sends for the campaign listed as starting `when`. */
function cancelData(list: Record<string, unknown>, when: string): Record<string, unknown> {
  const entry = (list.body as Record<string, unknown>[]).find((e) => cardText(e).startsWith(when)) ?? {};
  return (actionsOf(elementOf(entry, 'ActionSet') ?? {})[0] as { data: Record<string, unknown> }).data;
}

/** The messages campaigns brought to people's personal chats. */
const campaignMessages = () =>
  h.connector.calls.filter(
    (c) => c.method === 'POST' && c.conversationId !== hr.conversationId && c.activity.attachments,
  );

describe('a campaign sent at a chosen time', () => {
  it('is listed with when, who and the due date, and starts when its time comes, reaching who is on the roster then', async () => {
    const preview = await previewBy(hr);
    const later = sendAt(preview);
    expect(elementOf(later, 'Input.Date')).toMatchObject({ label: 'Date', value: '2026-11-03', min: '2026-11-02' });
    expect(elementOf(later, 'Input.Time')).toMatchObject({ label: 'Time', value: '09:00' });
    const scheduled = validCards(
      await hr.press(later, 'hrCampaignSchedule', { startDate: '2026-11-04', startTime: '14:30' }),
    );
    const list = cardText(scheduled.body.value);
    expect(list).toContain('Scheduled: the campaign goes out on Wednesday 4 November at 14:30.');
    expect(list).toContain(
      'Wednesday 4 November at 14:30\nAudience\nEveryone on the roster\nDue date\n1 December 2026',
    );
    expect(actionsOf(elementOf(scheduled.body.value, 'ActionSet') ?? {})).toMatchObject([{ title: 'Cancel' }]);

    const [listed] = validCards(await hr.say('campaign')).cards;
    expect(cardText(listed)).toContain('Scheduled campaigns\nWednesday 4 November at 14:30');

    // Cor joins and Ann finishes before it starts.
    const cor = h.user({ name: 'Cor Mol' });
    await h.stores.roster.put(rosterMember('Cor', { aad: cor.aadObjectId }));
    await completeCourseInStore(h.stores, course, ann.aadObjectId);
    clock.set('2026-11-04T13:29:00Z');
    expect(await h.app.startScheduledCampaigns()).toBe(0);
    clock.set('2026-11-04T13:30:00Z');
    expect(await h.app.startScheduledCampaigns()).toBe(1);
    expect(await h.app.startScheduledCampaigns()).toBe(0);
    await h.app.deliveriesIdle();
    expect(
      campaignMessages()
        .map((c) => c.conversationId)
        .sort(),
    ).toEqual([`a:${bob.aadObjectId}`, `a:${cor.aadObjectId}`].sort());
    expect(cardText((campaignMessages()[0]?.activity.attachments as { content: unknown }[])[0]?.content)).toContain(
      'Please do the social media course by 1 December 2026',
    );

    const [status, next] = validCards(await hr.say('campaign')).cards;
    expect(cardText(status)).toMatch(/Campaign, due 1 December 2026\nSent\n2/);
    expect(cardText(next)).toContain('New campaign');
    expect(await h.stores.campaigns.list()).toHaveLength(1);
  });

  it('can be cancelled until it starts; a second cancel, or one after the start, changes nothing and says so', async () => {
    const first = validCards(
      await hr.press(sendAt(await previewBy(hr)), 'hrCampaignSchedule', {
        startDate: '2026-11-03',
        startTime: '10:00',
      }),
    ).body.value;
    const second = validCards(
      await hr.press(sendAt(await previewBy(hr)), 'hrCampaignSchedule', {
        startDate: '2026-11-05',
        startTime: '11:00',
      }),
    ).body.value;
    expect(cardText(second)).toMatch(/Tuesday 3 November at 10:00[^]*Thursday 5 November at 11:00/);

    const cancelFirst = cancelData(first, 'Tuesday 3 November at 10:00');
    const cancelled = validCards(await hr.click('hrCampaignCancel', cancelFirst)).body.value;
    expect(cardText(cancelled)).toContain(
      'Cancelled: the campaign planned on Tuesday 3 November at 10:00 will not go out.',
    );
    expect(cardText(cancelled)).not.toContain('Tuesday 3 November at 10:00\nAudience');
    expect(cardText(cancelled)).toContain('Thursday 5 November at 11:00\nAudience');
    const again = validCards(await hr.click('hrCampaignCancel', cancelFirst)).body.value;
    expect(cardText(again)).toContain('That campaign was already cancelled.');

    clock.set('2026-11-05T10:00:00Z');
    expect(await h.app.startScheduledCampaigns()).toBe(1);
    await h.app.deliveriesIdle();
    expect(campaignMessages()).toHaveLength(2);
    const cancelSecond = cancelData(second, 'Thursday 5 November at 11:00');
    const late = validCards(await hr.click('hrCampaignCancel', cancelSecond)).body.value;
    expect(cardText(late)).toContain('That campaign has already gone out, so it can no longer be cancelled.');
    expect(cardText(late)).toContain('No campaigns are scheduled.');
    expect((await h.stores.campaigns.list()).map((c) => c.id)).toEqual([cancelSecond.schedule]);
  });

  it.each([
    ['in the past', { startDate: '2026-11-02', startTime: '09:30' }, 'That time has already passed.'],
    [
      'outside office hours',
      { startDate: '2026-11-03', startTime: '18:00' },
      'Campaigns only go out during office hours',
    ],
    ['on a Sunday', { startDate: '2026-11-08', startTime: '10:00' }, 'Campaigns only go out during office hours'],
    ['on the due date', { startDate: '2026-12-01', startTime: '10:00' }, 'The due date must come after the day'],
    ['with a tampered time', { startDate: '2026-11-03', startTime: '10:00<script>' }, 'Choose a date and a time'],
  ])('is refused %s, with the preview filled in again and nothing stored', async (_, inputs, notice) => {
    const refused = validCards(await hr.press(sendAt(await previewBy(hr)), 'hrCampaignSchedule', inputs)).body.value;
    expect(cardText(refused)).toContain(notice);
    expect(cardText(refused)).toContain('Recipients: 2.');
    expect(elementOf(sendAt(refused), 'Input.Date')).toMatchObject({ value: inputs.startDate });
    expect(await h.stores.schedules.list()).toEqual([]);
    expect(await h.stores.campaigns.list()).toEqual([]);
  });

  it('speaks Dutch to Dutch HR', async () => {
    const dutch = hrUser(h, 'nl-NL');
    const later = sendAt(await previewBy(dutch));
    expect(elementOf(later, 'Input.Time')).toMatchObject({ label: 'Tijd' });
    const refused = await dutch.press(later, 'hrCampaignSchedule', { startDate: '2026-11-07', startTime: '10:00' });
    expect(cardText(refused.body.value)).toContain('Campagnes gaan alleen tijdens kantooruren weg');
    const done = await dutch.press(later, 'hrCampaignSchedule', { startDate: '2026-11-03', startTime: '16:15' });
    const text = cardText(done.body.value);
    expect(text).toContain('Ingepland: de campagne gaat op dinsdag 3 november om 16:15 weg.');
    expect(text).toContain('Ingeplande campagnes');
    expect(text).toContain('Voor wie\nIedereen op het rooster\nUiterste datum\n1 december 2026');
  });

  it('is for HR only', async () => {
    const preview = await previewBy(hr);
    const data = (actionsOf(sendAt(preview))[0] as { data: Record<string, unknown> }).data;
    const result = await ann.click('hrCampaignSchedule', { ...data, startDate: '2026-11-03', startTime: '10:00' });
    expect(shown(result)).toContain('This is for HR');
    await hr.press(sendAt(preview), 'hrCampaignSchedule', { startDate: '2026-11-03', startTime: '10:00' });
    const cancel = await ann.click('hrCampaignCancel', { schedule: data.request });
    expect(shown(cancel)).toContain('This is for HR');
    expect(await h.stores.schedules.get(String(data.request))).toMatchObject({ state: 'scheduled' });
  });
});
