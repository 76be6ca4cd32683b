import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course/course.js';
import { validCards } from '../support/cardSchema.js';
import { FileHost } from '../support/fileHost.js';
import { cardText, startHarness, type BotHarness, type TestUser } from '../support/harness.js';
import { handClock } from '../support/handClock.js';
import { completeCourseInStore, loadCourse } from '../support/hrFixtures.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';

let files: FileHost;
let course: Course;
let h: BotHarness;
let clock: ReturnType<typeof handClock>;
let hr: TestUser;

beforeAll(async () => {
  files = await FileHost.start();
  course = await loadCourse();
});
afterAll(() => files.close());

beforeEach(async () => {
  clock = handClock('2026-11-02T09:00:00Z'); // Monday 10:00 in Amsterdam
  h = await startHarness({ clock, env: { POSTWISE_HR_USERS: HR_ID } });
  hr = hrUser(h);
});
afterEach(() => h.close());

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

/** HR drops a Dutch roster with the manager column and imports it. */
async function importRoster(rows: string[][]): Promise<void> {
  const header = ['Naam', 'E-mail', 'Afdeling', 'Functie', 'Entra object id', 'Leidinggevende'];
  const csv = `\ufeff${[header, ...rows].map((r) => r.join(';')).join('\r\n')}\r\n`;
  const preview = only(validCards(await hr.sendFile('roster.csv', files.add(csv))).cards);
  await hr.press(preview, 'hrRosterImport');
}

/** Mia manages Anna (completed), Bert (in progress), Cor (not started) and Dirk (no Entra id yet); Eva is Joop's. */
async function team() {
  const mia = h.user({ name: 'Mia Bos' });
  const [anna, bert, cor, joop] = ['Anna de Vries', 'Bert Smit', 'Cor Visser', 'Joop Dam'].map((name) =>
    h.user({ name }),
  ) as [TestUser, TestUser, TestUser, TestUser];
  await importRoster([
    ['Mia Bos', 'mia@contoso.example', 'Office', 'Head of office', mia.aadObjectId, ''],
    ['Anna de Vries', 'anna@contoso.example', 'Office', 'Clerk', anna.aadObjectId, 'mia@contoso.example'],
    ['Bert Smit', 'bert@contoso.example', 'Office', 'Receptionist', bert.aadObjectId, mia.aadObjectId],
    ['Cor Visser', 'cor@contoso.example', 'Office', 'Clerk', cor.aadObjectId, 'Mia@Contoso.example'],
    ['Dirk Mol', 'dirk@contoso.example', 'Office', 'Driver', '', 'mia@contoso.example'],
    ['Joop Dam', 'joop@contoso.example', 'Office', 'Planner', joop.aadObjectId, ''],
    ['Eva de Wit', 'eva@contoso.example', 'Office', 'Clerk', '', 'joop@contoso.example'],
  ]);
  await completeCourseInStore(h.stores, course, anna.aadObjectId);
  await bert.say('start');
  await bert.click('open', { lesson: course.lessons[0]?.id });
  return { mia, anna, bert, cor, joop };
}

/** HR sends a campaign to everyone, due `due`, and waits until it is delivered. */
async function campaign(due: string): Promise<void> {
  const form = only(validCards(await hr.say('campaign')).cards);
  const preview = validCards(await hr.press(form, 'hrCampaignPreview', { audience: 'everyone', due })).body.value;
  await hr.press(preview, 'hrCampaignSend');
  await h.app.deliveriesIdle();
}

/** The card's people, one line each: a name and, after ' · ', the status. */
const people = (card: Record<string, unknown>): string[] => {
  const lines = cardText(card).split('\n');
  return lines.flatMap((line, i) => (lines[i + 1]?.startsWith(' · ') ? [`${line}${lines[i + 1]}`] : []));
};

describe("a manager's team", () => {
  it("lists a manager's direct reports with their status in words, those who need action first, and no scores", async () => {
    const { mia } = await team();
    await campaign('2026-11-20');
    clock.set('2026-11-23T09:00:00Z'); // after the due date
    const card = only(validCards(await mia.say('team')).cards);
    const text = cardText(card);
    expect(text).toContain('Your team (4)');
    expect(text).toContain('1 of 4 have completed the course.');
    expect(people(card)).toEqual([
      'Bert Smit · Overdue: it was due on 20 November 2026',
      'Cor Visser · Overdue: it was due on 20 November 2026',
      'Dirk Mol · Overdue: it was due on 20 November 2026',
      'Anna de Vries · Completed',
    ]);
    expect(text).not.toMatch(/Eva|Joop|Mia Bos\n/);
    expect(people(card).join('\n')).not.toMatch(/%|\d+ of \d+|score|correct/i);

    mia.locale = 'nl-NL';
    await mia.say('taal nl');
    const nl = only(validCards(await mia.say('team')).cards);
    expect(cardText(nl)).toContain('Jouw team (4)');
    expect(people(nl)).toContain('Bert Smit · Te laat: moest af zijn op 20 november 2026');
    expect(people(nl)).toContain('Anna de Vries · Afgerond');
  });

  it('shows the due date while it has not passed, and each status in its own words', async () => {
    const { mia } = await team();
    await campaign('2026-12-01');
    expect(people(only(validCards(await mia.say('team')).cards))).toEqual([
      'Cor Visser · Not started, due on 1 December 2026',
      'Dirk Mol · Not started, due on 1 December 2026',
      'Bert Smit · In progress, due on 1 December 2026',
      'Anna de Vries · Completed',
    ]);
  });

  it('reminds only those who have not finished, at most once in 3 days, and says how many it reached', async () => {
    const { mia, bert, cor } = await team();
    await campaign('2026-12-01');
    clock.set('2026-11-05T09:00:00Z'); // Thursday, 3 days after the campaign
    const card = only(validCards(await mia.say('team')).cards);
    const before = h.connector.calls.length;
    const first = await mia.press(card, 'teamRemind');
    await h.app.deliveriesIdle();
    expect(first.body.value).toBe('A reminder is on its way to 3 people in your team.');
    const reminders = h.connector.calls.slice(before).filter((c) => c.method === 'POST');
    const reached = reminders.map((c) => c.conversationId);
    expect(reached).toHaveLength(2); // Dirk has no Entra object id: his reminder cannot reach him
    // Bert talked to the bot, so he is reached in his chat; Cor through the app installed for him; not Anna.
    expect(reached.sort()).toEqual([bert.conversationId, `a:${cor.aadObjectId}`].sort());

    clock.set('2026-11-06T09:00:00Z');
    const again = h.connector.calls.length;
    const second = await mia.press(card, 'teamRemind');
    await h.app.deliveriesIdle();
    expect(JSON.stringify(second.body.value)).toContain('had a reminder less than 3 days ago: 3.');
    expect(h.connector.calls.slice(again).filter((c) => c.method === 'POST')).toEqual([]);
    // HR's reminders share the spacing: HR's reach the rest of the roster, and skip Mia's three.
    expect((await hr.say('remind')).texts[0]).toContain('had a reminder less than 3 days ago: 3.');
  });

  it('answers someone who manages nobody politely, and gives a manager no HR command', async () => {
    const { mia, joop } = await team();
    const employee = h.user({ name: 'Cor Visser' });
    const refused = await employee.say('team');
    expect(refused.texts).toEqual([expect.stringContaining('You have no team on the roster')]);
    expect(refused.cards).toEqual([]);
    expect(h.log.lines.join('\n')).toContain('team.refused');
    for (const command of ['coverage', 'remind', 'export', 'campaign', 'roster']) {
      const result = await mia.say(command);
      expect(result.texts).toEqual([expect.stringContaining('This is for HR')]);
      expect(result.cards).toEqual([]);
    }
    // Joop manages Eva, who is named by e-mail and has no Entra object id yet.
    expect(people(only(validCards(await joop.say('team')).cards))).toEqual(['Eva de Wit · Not started']);
  });
});
