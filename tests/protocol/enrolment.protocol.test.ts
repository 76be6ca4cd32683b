import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validCards } from '../support/cardSchema.js';
import { FileHost } from '../support/fileHost.js';
import { cardText, startHarness, type BotHarness, type TestUser } from '../support/harness.js';
import { handClock } from '../support/handClock.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';

let files: FileHost;
let h: BotHarness;
let clock: ReturnType<typeof handClock>;
let hr: TestUser;

beforeAll(async () => {
  files = await FileHost.start();
});
afterAll(() => files.close());

beforeEach(async () => {
  clock = handClock('2026-11-02T09:00:00Z'); // Monday 10:00 in Amsterdam
  h = await startHarness({ clock, env: { POSTWISE_HR_USERS: HR_ID } });
  hr = hrUser(h);
});
afterEach(() => h.close());

/** HR drops a roster file (Excel's Dutch CSV) and imports it at once. */
async function importRoster(rows: string[][]): Promise<void> {
  const lines = [['Naam', 'E-mail', 'Afdeling', 'Functie', 'Entra object id'], ...rows].map((r) => r.join(';'));
  const preview = validCards(await hr.sendFile('roster.csv', files.add(`${lines.join('\r\n')}\r\n`))).cards[0];
  await hr.press(preview as Record<string, unknown>, 'hrRosterImport');
}

/** The campaign form, and the enrolment card its button sends below it. */
async function enrolmentCard(user = hr): Promise<{ form: Record<string, unknown>; card: Record<string, unknown> }> {
  const form = validCards(await user.say(user.locale === 'nl-NL' ? 'campagne' : 'campaign')).cards.at(-1);
  const card = validCards(await user.press(form as Record<string, unknown>, 'hrEnrolment')).cards[0];
  return { form: form as Record<string, unknown>, card: card as Record<string, unknown> };
}

const courseMessages = (to: string) =>
  h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === to && c.activity.attachments);
const firstCardText = (call: { activity: Record<string, unknown> } | undefined) =>
  cardText((call?.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content);

describe('everyone who joins', () => {
  it('gets the course the days after joining that HR set, with the due date that many days later', async () => {
    const anna = h.user({ name: 'Anna de Vries' });
    const bert = h.user({ name: 'Bert Smit' });
    await importRoster([['Anna de Vries', 'anna@contoso.example', 'Office', 'Office manager', anna.aadObjectId]]);

    const { form, card } = await enrolmentCard();
    expect(cardText(form)).toContain('Everyone who joins: off.');
    const on = validCards(await hr.press(card, 'hrEnrolmentSave', { sendAfterDays: '3', dueDays: '14' })).body.value;
    expect(cardText(on)).toMatch(/Status\nOn\nSent after joining \(days\)\n3\nDue after that \(days\)\n14/);

    clock.set('2026-11-02T10:00:00Z');
    await importRoster([
      ['Anna de Vries', 'anna@contoso.example', 'Office', 'Office manager', anna.aadObjectId],
      ['Bert Smit', 'bert@contoso.example', 'Office', 'Receptionist', bert.aadObjectId],
    ]);
    clock.set('2026-11-04T15:00:00Z');
    expect(await h.app.enrolJoiners()).toBe(0);
    expect(cardText((await enrolmentCard()).card)).toMatch(/Sent so far\n0\nWaiting\n1/);

    clock.set('2026-11-05T08:30:00Z'); // Thursday 09:30 in Amsterdam, the third day after Bert joined
    expect(await h.app.enrolJoiners()).toBe(1);
    expect(await h.app.enrolJoiners()).toBe(0);
    await h.app.deliveriesIdle();
    const toBert = courseMessages(`a:${bert.aadObjectId}`);
    expect(toBert).toHaveLength(1);
    expect(firstCardText(toBert[0])).toContain('Please do the social media course by 19 November 2026');
    // Anna was on the roster before HR turned it on: campaigns are for her.
    expect(courseMessages(`a:${anna.aadObjectId}`)).toHaveLength(0);

    const after = await enrolmentCard();
    expect(cardText(after.form)).toContain('Everyone who joins: on. Sent so far: 1.');
    expect(cardText(after.card)).toMatch(/Sent so far\n1\nWaiting\n0/);
    const coverage = cardText(validCards(await hr.say('coverage')).cards[0]);
    expect(coverage).toMatch(/Not started\n2/);
  });

  it('sends nothing while paused, and the joiners who waited once HR resumes', async () => {
    const cas = h.user({ name: 'Cas Bakker' });
    const { card } = await enrolmentCard();
    await hr.press(card, 'hrEnrolmentSave', { sendAfterDays: '0', dueDays: '7' });
    const paused = validCards(await hr.press((await enrolmentCard()).card, 'hrEnrolmentPause')).body.value;
    expect(cardText(paused)).toContain('Status\nPaused');
    clock.set('2026-11-02T09:05:00Z');
    await importRoster([['Cas Bakker', 'cas@contoso.example', 'Warehouse', 'Driver', cas.aadObjectId]]);
    expect(await h.app.enrolJoiners()).toBe(0);

    const dutch = await enrolmentCard(hrUser(h, 'nl-NL'));
    expect(cardText(dutch.form)).toContain('Iedereen die erbij komt: gepauzeerd. Tot nu toe verstuurd: 0.');
    expect(cardText(dutch.card)).toMatch(/Stand\nGepauzeerd/);
    const resumed = validCards(await hr.press(paused, 'hrEnrolmentResume')).body.value;
    expect(cardText(resumed)).toContain('Status\nOn');
    expect(await h.app.enrolJoiners()).toBe(1);
    await h.app.deliveriesIdle();
    expect(firstCardText(courseMessages(`a:${cas.aadObjectId}`)[0])).toContain('by 9 November 2026');
  });

  it('shows what to correct when the days are not whole days in range, and changes nothing', async () => {
    const { card } = await enrolmentCard();
    const refused = validCards(await hr.press(card, 'hrEnrolmentSave', { sendAfterDays: '-2', dueDays: '14' }));
    expect(cardText(refused.body.value)).toContain('Enter whole days: 0 to 365 before it is sent');
    expect(cardText(refused.body.value)).toContain('Status\nOff');
    expect(await h.stores.enrolment.enrolmentRule()).toBeUndefined();
  });
});
