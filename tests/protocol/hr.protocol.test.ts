import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Course } from '../../src/domain/course/course.js';
import { validCards } from '../support/cardSchema.js';
import { FileHost } from '../support/fileHost.js';
import {
  actionsOf,
  cardText,
  elementOf,
  shown,
  startHarness,
  type BotHarness,
  type HttpResult,
  type TestUser,
} from '../support/harness.js';
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
  h = await startHarness({ clock, env: { POSTWISE_HR_USERS: `${HR_ID}, hr.mail@contoso.example` } });
  hr = hrUser(h);
});
afterEach(() => h.close());

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

/** Employees as a CSV file the way Excel saves it: BOM, semicolons, CRLF. */
function rosterCsv(rows: string[][]): string {
  const lines = [['Naam', 'E-mail', 'Afdeling', 'Functie', 'Entra object id'], ...rows].map((r) => r.join(';'));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** HR drops a roster file and imports it; returns the preview card. */
async function dropRoster(user: TestUser, csv: string, name = 'roster.csv'): Promise<Record<string, unknown>> {
  return only(validCards(await user.sendFile(name, files.add(csv))).cards);
}

/** HR drops a roster file and imports it at once. */
async function importRoster(rows: string[][]): Promise<void> {
  await hr.press(await dropRoster(hr, rosterCsv(rows)), 'hrRosterImport');
}

/** Walks the whole course through the protocol, answering every question correctly. */
async function completeCourse(user: TestUser): Promise<HttpResult> {
  await user.say('start');
  for (const lesson of course.lessons) {
    await user.click('open', { lesson: lesson.id });
    for (const question of lesson.questions) {
      await user.click('answer', { question: question.id, choice: question.choices.find((c) => c.correct)?.id });
    }
  }
  return user.click('acknowledge', { version: course.version, agree: 'yes' });
}

/** Stores a finished course for people a test only needs to have finished (the protocol walk is completeCourse). */
/** The course done and acknowledged on the current version, through the store. */
const finishedBefore = (user: TestUser): Promise<void> => completeCourseInStore(h.stores, course, user.aadObjectId);

describe('HR commands', () => {
  it.each(['coverage', 'understanding', 'begrip', 'campaign', 'remind', 'roster', 'export', 'audit', 'hr'])(
    'answer "%s" from someone who is not HR politely, with no data',
    async (command) => {
      const employee = h.user();
      const result = await employee.say(command);
      expect(result.texts).toEqual([expect.stringContaining('This is for HR')]);
      expect(result.cards).toEqual([]);
    },
  );

  it('refuse an HR card button from someone who is not HR, and change nothing', async () => {
    const employee = h.user();
    const result = await employee.click('hrCampaignSend', { request: 'x1', audience: 'everyone', due: '2026-12-01' });
    expect(shown(result)).toContain('This is for HR');
    expect(result.calls).toEqual([]);
    expect(await h.stores.campaigns.list()).toEqual([]);
  });

  it('are open to HR named by e-mail, checked through the Teams member lookup', async () => {
    const byMail = h.user({ name: 'Hanna Mol' });
    h.connector.members.set(byMail.teamsId, {
      id: byMail.teamsId,
      name: 'Hanna Mol',
      email: 'Hr.Mail@contoso.example',
      aadObjectId: byMail.aadObjectId,
    });
    const result = validCards(await byMail.say('roster'));
    expect(cardText(only(result.cards))).toContain('drop a CSV file');
  });
});

describe('the roster from a CSV file dropped into the chat', () => {
  it('shows every bad row with its line and imports nothing until HR confirms the valid rows', async () => {
    const preview = await dropRoster(
      hr,
      rosterCsv([
        ['Fatima El Amrani', 'fatima@contoso.example', 'Finance', 'Accounts payable clerk', ''],
        ['Joost Bakker', 'not-an-address', 'Facilities', 'Receptionist', ''],
        ['Eva de Wit', 'eva@contoso.example', 'Office', 'Office manager', 'not-a-guid'],
        ['Piet Jansen', 'FATIMA@contoso.example', 'Finance', 'Controller', ''],
        ['Anna de Vries', 'anna@contoso.example', 'Office', 'Office manager', ''],
      ]),
    );
    const text = cardText(preview);
    expect(text).toMatch(/Line 3:.*e-mail/i);
    expect(text).toMatch(/Line 4:.*object id/i);
    expect(text).toMatch(/Line 5:.*(duplicate|same e-mail|line 2)/i);
    expect(await h.stores.roster.list()).toEqual([]);

    const importValid = actionsOf(preview).find((a) => a.verb === 'hrRosterImport');
    expect(importValid?.title).toBe('Import the 2 valid rows only');
    const imported = await hr.press(preview, 'hrRosterImport');
    expect(shown(imported)).toContain('Roster updated: 2 new');
    expect((await h.stores.roster.list()).map((m) => m.email).sort()).toEqual([
      'anna@contoso.example',
      'fatima@contoso.example',
    ]);

    const again = await hr.press(preview, 'hrRosterImport');
    expect(again.body.value).toContain('already imported');
    expect(await h.stores.roster.list()).toHaveLength(2);
  });

  it('lists every row with broken quotes, previews the good rows, and importing them leaves the people on the bad rows as they were', async () => {
    await importRoster([['Bob Boss', 'bob@contoso.example', 'Office', 'Manager', '']]);
    const csv = [
      'Naam;E-mail;Afdeling;Functie', // 1
      'Anna de Vries;anna@contoso.example;Office;Office manager', // 2
      'Bob "the boss";bob@contoso.example;Office;Manager', // 3: a quote inside an unquoted field
      'Cor Visser;cor@contoso.example;Warehouse;Picker', // 4
      '"Dirk;dirk@contoso.example;Office;Clerk', // 5: a quote never closed
      'Eva de Wit;eva@contoso.example;Office;Clerk', // 6
    ].join('\r\n');
    const preview = await dropRoster(hr, csv);
    const text = cardText(preview);
    expect(text).toMatch(/Line 3:.*quote/i);
    expect(text).toMatch(/Line 5:.*quote/i);
    expect(text).toMatch(/New\n3/);
    expect(actionsOf(preview).find((a) => a.verb === 'hrRosterImport')?.title).toBe('Import the 3 valid rows only');

    await hr.press(preview, 'hrRosterImport');
    expect(
      (await h.stores.roster.list())
        .filter((m) => m.active)
        .map((m) => m.email)
        .sort(),
    ).toEqual(['anna@contoso.example', 'bob@contoso.example', 'cor@contoso.example', 'eva@contoso.example']);
  });

  it('imports nothing from a file without one valid row, even when the import is forced', async () => {
    await importRoster([['A One', 'a@contoso.example', 'Sales', 'Rep', '']]);
    const preview = await dropRoster(hr, rosterCsv([['No Mail', '', 'Sales', 'Rep', '']]));
    expect(actionsOf(preview)).toEqual([]);
    const upload = (await h.stores.uploads.get(JSON.stringify(preview).match(/"upload":"([^"]+)"/)?.[1] ?? '')) ?? {
      id: 'none',
    };
    const forced = await hr.click('hrRosterImport', { upload: upload.id, acceptErrors: 'yes' });
    expect(shown(forced)).toMatch(/No row in this file can be imported|cannot find that roster file/);
    expect(await h.stores.roster.get('a@contoso.example')).toMatchObject({ active: true });
  });

  it('makes people missing from a new file inactive, never deletes them', async () => {
    await importRoster([
      ['A One', 'a@contoso.example', 'Sales', 'Rep', ''],
      ['B Two', 'b@contoso.example', 'Office', 'Secretary', ''],
    ]);
    const preview = await dropRoster(hr, rosterCsv([['A One', 'a@contoso.example', 'Sales', 'Rep', '']]));
    expect(cardText(preview)).toMatch(/Made inactive\n1/);
    await hr.press(preview, 'hrRosterImport');
    const b = await h.stores.roster.get('b@contoso.example');
    expect(b).toMatchObject({ name: 'B Two', active: false });
  });

  it('refuses a file that is not CSV, one that is too large, and a file from someone who is not HR', async () => {
    expect((await hr.sendFile('roster.xlsx', files.add('PK...'), 'xlsx')).texts[0]).toContain(
      'only read a roster from a .csv file',
    );
    const big = Buffer.alloc(11 * 1024 * 1024, 'a');
    expect((await hr.sendFile('big.csv', files.add(big))).texts[0]).toMatch(/cannot use this file.*limit of 10 MB/);
    const employee = h.user();
    expect(
      (await employee.sendFile('roster.csv', files.add(rosterCsv([['A', 'a@contoso.example', 'S', 'R', '']]))))
        .texts[0],
    ).toContain('cannot do anything with files');
    expect(await h.stores.roster.list()).toEqual([]);
  });

  it('refuses a file whose download address is not where Teams keeps files, and changes nothing', async () => {
    await importRoster([['A One', 'a@contoso.example', 'Sales', 'Rep', '']]);
    const before = await h.stores.roster.list();
    for (const url of [
      'https://evil.example/roster.csv',
      'http://contoso-my.sharepoint.com/personal/hr/roster.csv',
      'file:///etc/passwd',
    ]) {
      const result = await hr.sendFile('roster.csv', url);
      expect(result.texts).toEqual([
        expect.stringContaining("Teams, which keeps them in your organisation's OneDrive or SharePoint"),
      ]);
      expect(result.cards).toEqual([]);
    }
    expect(await h.stores.roster.list()).toEqual(before);
    expect(h.log.lines.filter((l) => l.includes('roster.upload-failed'))).toEqual(
      Array(3).fill(JSON.stringify({ event: 'roster.upload-failed', reason: 'refused' })),
    );
  });

  it('tells Dutch HR in Dutch what is wrong with the file and its rows', async () => {
    const dutchHr = hrUser(h, 'nl-NL');
    const preview = await dropRoster(
      dutchHr,
      rosterCsv([
        ['Fatima El Amrani', 'fatima@contoso.example', 'Financiën', 'Crediteurenadministratie', ''],
        ['', 'geen-adres', 'Facilitair', 'Receptie', ''],
        ['Eva de Wit', 'FATIMA@contoso.example', 'Kantoor', 'Officemanager', 'geen-guid'],
      ]),
    );
    const text = cardText(preview);
    expect(text).toContain('Regel 3: Naam ontbreekt; e-mail is geen geldig e-mailadres');
    expect(text).toContain('Regel 4: E-mail is hetzelfde als op regel 2; Entra-object-id is geen GUID');
    const header = await dropRoster(dutchHr, 'Naam;E-mail\r\nAnna;anna@contoso.example\r\n');
    expect(cardText(header)).toContain(
      "In de kopregel ontbreken deze kolommen: afdeling, functie; gevonden: 'Naam', 'E-mail'.",
    );
    const big = Buffer.alloc(11 * 1024 * 1024, 'a');
    expect((await dutchHr.sendFile('groot.csv', files.add(big))).texts[0]).toBe(
      'Dit bestand kan ik niet gebruiken: het bestand is groter dan de grens van 10 MB.',
    );
  });

  it('says so when the download fails', async () => {
    const result = await hr.sendFile('roster.csv', 'http://127.0.0.1:9/gone.csv');
    expect(result.texts[0]).toContain('could not download that file');
  });
});

describe('coverage', () => {
  it('counts the active roster by department and role, with a chart and a text fallback', async () => {
    const anna = h.user({ name: 'Anna de Vries' });
    const bert = h.user({ name: 'Bert Smit' });
    await importRoster([
      ['Anna de Vries', 'anna@contoso.example', 'Office', 'Office manager', anna.aadObjectId],
      ['Bert Smit', 'bert@contoso.example', 'Office', 'Receptionist', bert.aadObjectId],
      ['Cor Visser', 'cor@contoso.example', 'Warehouse', 'Picker', ''],
    ]);
    await completeCourse(anna);
    await bert.say('start');
    await bert.click('open', { lesson: course.lessons[0]?.id });

    const card = only(validCards(await hr.say('coverage')).cards);
    const text = cardText(card);
    expect(text).toContain(
      `1 of 3 people on the roster (33%) completed the course and acknowledged policy version ${course.versionName}.`,
    );
    expect(text).not.toContain(course.version);
    // Every person in exactly one of the four states, and the four add up to the group.
    expect(text).toContain(
      'Office\nOf 2: 1 completed (50%), 1 in progress, 0 need to re-acknowledge, 0 not started · 0 overdue · ' +
        '0 unreachable',
    );
    expect(text).toContain(
      'Warehouse\nOf 1: 0 completed (0%), 0 in progress, 0 need to re-acknowledge, 1 not started · 0 overdue ' +
        '· 0 unreachable',
    );
    expect(text).toContain(
      'Receptionist\nOf 1: 0 completed (0%), 1 in progress, 0 need to re-acknowledge, 0 not started',
    );
    // The donut's legend has room for every state in it; beside the chart, every state with its number.
    const donut = elementOf(card, 'Chart.Donut') as { data: { legend: string; value: number }[] };
    expect(donut.data.map((d) => [d.legend, d.value])).toEqual([
      ['Completed', 1],
      ['In progress', 1],
      ['Not started', 1],
    ]);
    const beside = elementOf(card, 'ColumnSet') as { columns: { items: Record<string, unknown>[] }[] };
    expect(beside.columns.map((c) => c.items[0]?.type)).toEqual(['Chart.Donut', 'FactSet']);
    expect(cardText(beside.columns[1])).toContain(
      'Completed\n1\nIn progress\n1\nNeeds to re-acknowledge\n0\nNot started\n1',
    );
    // One bar per department, named in full above it, in whole people: no value axis to read.
    const bars = elementOf(card, 'Chart.HorizontalBar.Stacked') as {
      data: { title: string; data: { legend: string; value: number }[] }[];
    };
    expect(bars.data.map((bar) => [bar.title, bar.data.map((s) => `${s.legend}: ${s.value}`)])).toEqual([
      ['Office', ['Completed: 1', 'In progress: 1']],
      ['Warehouse', ['Not started: 1']],
    ]);
    for (const bar of bars.data) for (const s of bar.data) expect(Number.isInteger(s.value)).toBe(true);
    expect(actionsOf(card).map((a) => a.verb)).toEqual(['understanding', 'hrNotStarted', 'hrExport', 'hrRemind']);

    const notStarted = only(validCards(await hr.press(card, 'hrNotStarted')).cards);
    expect(cardText(notStarted)).toContain('Not started (1)');
    expect(cardText(notStarted)).toContain('Cor Visser');
  });

  it('counts every person in one state in Dutch too, with the version people can say aloud', async () => {
    const anna = h.user({ name: 'Anna de Vries' });
    await importRoster([
      ['Anna de Vries', 'anna@contoso.example', 'Kantoor', 'Officemanager', anna.aadObjectId],
      ['Bert Smit', 'bert@contoso.example', 'Kantoor', 'Receptionist', ''],
    ]);
    await anna.say('start');
    await anna.click('open', { lesson: course.lessons[0]?.id });
    const dutchHr = hrUser(h, 'nl-NL');
    const card = only(validCards(await dutchHr.say('dekking')).cards);
    const text = cardText(card);
    expect(text).toContain(
      '0 van de 2 mensen op het rooster (0%) hebben de cursus afgerond en beleidsversie ' +
        `${course.versionName} bevestigd.`,
    );
    expect(text).toContain(
      'Kantoor\nVan de 2: 0 afgerond (0%), 1 bezig, 0 moeten opnieuw bevestigen, 1 niet begonnen · 0 te laat ' +
        '· 0 niet bereikbaar',
    );
    const bars = elementOf(card, 'Chart.HorizontalBar.Stacked') as {
      title: string;
      data: { title: string; data: { legend: string }[] }[];
    };
    expect(bars.title).toBe('Hoe elke afdeling ervoor staat (aantal mensen)');
    expect(bars.data.map((bar) => [bar.title, bar.data.map((s) => s.legend)])).toEqual([
      ['Kantoor', ['Bezig', 'Niet begonnen']],
    ]);
  });

  it('offers the anonymous inventory once at the end of the course, and shows HR only totals, in steps of five answers', async () => {
    await importRoster([['A One', 'a@contoso.example', 'Sales', 'Rep', '']]);
    const people = Array.from({ length: 5 }, (_, i) => h.user({ name: `Person ${i}` }));
    const finished = await completeCourse(people[0] as TestUser);
    const inventory = only(validCards(finished).cards);
    expect(cardText(inventory)).toContain('anonymous');
    const answered = validCards(
      await (people[0] as TestUser).press(inventory, 'inventory', { platforms: 'linkedin,instagram' }),
    );
    expect(cardText(answered.body.value)).toContain('Thank you');
    const twice = await (people[0] as TestUser).press(inventory, 'inventory', { platforms: 'tiktok' });
    expect(cardText(twice.body.value)).toContain('already answered');
    await finishedBefore(people[1] as TestUser);
    const forged = await (people[1] as TestUser).click('inventory', { platforms: 'linkedin,none' });
    expect(shown(forged)).toContain('Choose at least one option');

    let coverage = cardText(only((await hr.say('coverage')).cards));
    expect(coverage).toContain('Totals appear once 5 people have answered');
    // One answer so far, none published: the heading does not claim there are none.
    expect(coverage).toContain('Where employees are active (anonymous, fewer than 5 answers so far)');
    expect(coverage).not.toContain('0 answers');
    for (const person of people.slice(2)) await finishedBefore(person);
    for (const person of people.slice(1)) await person.click('inventory', { platforms: 'linkedin' });
    coverage = cardText(only((await hr.say('coverage')).cards));
    expect(coverage).toContain('Where employees are active (anonymous, 5 answers)');
    expect(coverage).toMatch(/LinkedIn\n5/);
    expect(coverage).toMatch(/Instagram\n1/);
    expect(coverage).toMatch(/TikTok\n0/);
    expect(JSON.stringify(await h.stores.inventory.totals())).not.toContain(people[0]?.aadObjectId);
  });
  it('takes the inventory only from people who finished the course, once each, and says so when it refuses', async () => {
    const stranger = h.user();
    const halfway = h.user();
    await halfway.say('start');
    await halfway.click('open', { lesson: course.lessons[0]?.id });
    for (const person of [stranger, halfway]) {
      expect(shown(await person.click('inventory', { platforms: 'linkedin' }))).toContain(
        'This question comes after the course',
      );
      expect(await h.stores.inventory.answered(person.aadObjectId)).toBe(false);
    }

    const inventory = only(validCards(await completeCourse(halfway)).cards);
    expect(cardText((await halfway.press(inventory, 'inventory', { platforms: 'linkedin' })).body.value)).toContain(
      'Thank you',
    );
    expect(await h.stores.inventory.answered(halfway.aadObjectId)).toBe(true);
    // Four more people make five answers: the published totals show that the second submit added nothing.
    const others = Array.from({ length: 4 }, () => h.user());
    for (const person of others) await finishedBefore(person);
    const twice = validCards(await halfway.press(inventory, 'inventory', { platforms: 'tiktok' }));
    expect(cardText(twice.body.value)).toContain('You have already answered this question');
    for (const person of others) await person.click('inventory', { platforms: 'instagram' });
    expect(await h.stores.inventory.totals()).toEqual({ respondents: 5, counts: { linkedin: 1, instagram: 4 } });
  });
});

describe('export and audit downloads', () => {
  it('gives HR a signed link that works once, within 15 minutes, with an Excel-ready CSV', async () => {
    await importRoster([
      ['"=HYPERLINK(""http://evil.example"",""click"")"', 'x@contoso.example', 'Office', 'Secretary', ''],
    ]);
    const card = only(validCards(await hr.say('export')).cards);
    const url = (actionsOf(card)[0] as { url: string }).url;
    expect(url.startsWith(`${h.app.url}/downloads/`)).toBe(true);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="postwise-export-2026-11-02.csv"/,
    );
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse<Record<string, string>>(body.toString('utf8').slice(1), { columns: true });
    expect(rows).toHaveLength(1);
    expect(Object.values(rows[0] ?? {})[0]).toBe(`'=HYPERLINK("http://evil.example","click")`);

    const second = await fetch(url);
    expect(second.status).toBe(410);
    expect(await second.text()).toContain('already used');
    expect(cardText(card)).toContain('The link works once, within 15 minutes');

    const tampered = url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(tampered)).status).toBe(403);
    clock.set('2026-11-02T09:15:01Z');
    expect((await fetch(url)).status).toBe(410);
  });

  it('tells Dutch HR truthfully what the link is, and a link asked for by another HR user works only once too', async () => {
    const dutchHr = hrUser(h, 'nl-NL');
    const card = only(validCards(await dutchHr.say('exporteren')).cards);
    expect(cardText(card)).toContain('De link werkt één keer, binnen 15 minuten');
    const url = (actionsOf(card)[0] as { url: string }).url;
    const other = h.user({ name: 'Hanna Mol' });
    h.connector.members.set(other.teamsId, {
      id: other.teamsId,
      name: 'Hanna Mol',
      email: 'hr.mail@contoso.example',
      aadObjectId: other.aadObjectId,
    });
    const theirs = (actionsOf(only((await other.say('export')).cards))[0] as { url: string }).url;
    expect(theirs).not.toBe(url);
    const dutch = await fetch(url);
    expect(dutch.status).toBe(200);
    expect((await dutch.text()).split('\r\n')[0]).toContain('Naam');
    const again = await fetch(url);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('al gebruikt');
    expect((await fetch(theirs)).status).toBe(200);
  });

  it('works for HR named by e-mail, who is not on the roster', async () => {
    const byMail = h.user({ name: 'Hanna Mol' });
    h.connector.members.set(byMail.teamsId, {
      id: byMail.teamsId,
      name: 'Hanna Mol',
      email: 'hr.mail@contoso.example',
      aadObjectId: byMail.aadObjectId,
    });
    const card = only(validCards(await byMail.say('export')).cards);
    expect((await fetch((actionsOf(card)[0] as { url: string }).url)).status).toBe(200);
  });

  it('gives the audit log of acknowledgements with user, version and time', async () => {
    const anna = h.user({ name: 'Anna de Vries' });
    await completeCourse(anna);
    const card = only(validCards(await hr.say('audit')).cards);
    const response = await fetch((actionsOf(card)[0] as { url: string }).url);
    const csv = (await response.text()).replace(/^\ufeff/, '');
    expect(csv).toContain(anna.aadObjectId);
    // The version as the cards name it, with the hash beside it, so HR can match the two.
    const [row] = parse<Record<string, string>>(csv, { columns: true });
    expect(row).toMatchObject({ 'Policy version': course.versionName, 'Policy version (hash)': course.version });
  });
});

describe('the campaign form', () => {
  it('checks the due date and departments before the preview, and shows who will get it', async () => {
    await importRoster([
      ['A One', 'a@contoso.example', 'Sales', 'Rep', ''],
      ['B Two', 'b@contoso.example', 'Office', 'Secretary', ''],
    ]);
    const form = only(validCards(await hr.say('campaign')).cards);
    const past = validCards(await hr.press(form, 'hrCampaignPreview', { audience: 'everyone', due: '2026-10-01' }));
    expect(cardText(past.body.value)).toContain('Choose a due date after today');
    const unknown = validCards(
      await hr.press(form, 'hrCampaignPreview', {
        audience: 'departments',
        departments: 'dUnknown',
        due: '2026-12-01',
      }),
    );
    expect(cardText(unknown.body.value)).toContain('not on the roster');

    const departments = (form.body as Record<string, unknown>[]).find((e) => e.id === 'departments') as {
      choices: { title: string; value: string }[];
    };
    const sales = departments.choices.find((c) => c.title === 'Sales')?.value ?? '';
    const preview = validCards(
      await hr.press(form, 'hrCampaignPreview', {
        audience: 'departments',
        departments: sales,
        due: '2026-12-01',
        note: 'Thanks, *everyone*',
      }),
    );
    const text = cardText(preview.body.value);
    expect(text).toContain('Recipients: 1.');
    expect(text).toContain('1 December 2026');
    expect(text).toContain('Who gets it, by department\nSales\n · 1\nA One');
    expect(text).not.toContain('B Two');
    expect(await h.stores.campaigns.list()).toEqual([]);
  });

  it('offers no Entra group as audience while the roster comes from CSV files', async () => {
    const form = only(validCards(await hr.say('campaign')).cards);
    expect(cardText(form)).not.toContain('Entra group');
    expect(actionsOf(elementOf(form, 'ActionSet') ?? {})).toEqual([]);
    expect((form.body as Record<string, unknown>[]).map((e) => e.id)).not.toContain('groupSearch');
  });

  it('starts with a due date two weeks ahead, and cannot go back further than tomorrow', async () => {
    await importRoster([['A One', 'a@contoso.example', 'Sales', 'Rep', '']]);
    const form = only(validCards(await hr.say('campaign')).cards);
    const due = (form.body as Record<string, unknown>[]).find((e) => e.id === 'due');
    expect(due).toMatchObject({ type: 'Input.Date', value: '2026-11-16', min: '2026-11-03' });
    const preview = validCards(
      await hr.press(form, 'hrCampaignPreview', { audience: 'everyone', due: String(due?.value) }),
    );
    expect(cardText(preview.body.value)).toContain('16 November 2026');
  });

  it('previews who gets it per department with the first names, in Dutch too', async () => {
    const names = ['Bas', 'Cas', 'Daan', 'Eef', 'Fenna', 'Gijs', 'Hanna'];
    await importRoster([
      ...names.map((n) => [`${n} Smit`, `${n.toLowerCase()}@contoso.example`, 'Magazijn', 'Orderpicker', '']),
      ['Anna de Vries', 'anna@contoso.example', '', 'Directeur', ''],
    ]);
    const dutchHr = hrUser(h, 'nl-NL');
    const form = only(validCards(await dutchHr.say('campagne')).cards);
    const preview = validCards(
      await dutchHr.press(form, 'hrCampaignPreview', { audience: 'everyone', due: '2026-12-01' }),
    );
    const text = cardText(preview.body.value);
    expect(text).toContain('Ontvangers: 8.');
    expect(text).toContain(
      'Wie het bericht krijgt, per afdeling\nGeen afdeling\n · 1\nAnna de Vries\nMagazijn\n · 7\nBas Smit, ' +
        'Cas Smit, Daan Smit, Eef Smit, Fenna Smit en nog 2',
    );
    expect(text).not.toContain('Gijs Smit');
    expect(text).toContain('De CSV-export (typ **export**) noemt iedereen');
  });

  it('to everyone leaves out who completed the course and says so; HR can include them with the toggle', async () => {
    const alex = h.user({ name: 'Alex Wilber' });
    const bea = h.user({ name: 'Bea Smit' });
    await importRoster([
      ['Alex Wilber', 'alex@contoso.example', 'Office', 'Secretary', alex.aadObjectId],
      ['Bea Smit', 'bea@contoso.example', 'Office', 'Receptionist', bea.aadObjectId],
    ]);
    await finishedBefore(alex);
    const form = only(validCards(await hr.say('campaign')).cards);
    const toggle = (form.body as Record<string, unknown>[]).find((e) => e.id === 'includeCompleted');
    expect(toggle).toMatchObject({
      type: 'Input.Toggle',
      value: 'no',
      label: 'People who have already completed the course',
    });
    const preview = validCards(await hr.press(form, 'hrCampaignPreview', { audience: 'everyone', due: '2026-12-01' }))
      .body.value;
    expect(cardText(preview)).toContain('Recipients: 1.');
    expect(cardText(preview)).toContain('Left out: 1 who have already completed the course.');
    const before = h.connector.calls.length;
    await hr.press(preview, 'hrCampaignSend');
    await h.app.deliveriesIdle();
    const messages = h.connector.calls.slice(before).filter((c) => c.method === 'POST' && c.activity.attachments);
    expect(messages.map((c) => c.conversationId)).toEqual([`a:${bea.aadObjectId}`]);

    // Ticked: everyone, finished or not; the preview says so, and Change keeps the tick.
    const [, next] = validCards(await hr.say('campaign')).cards;
    const all = { audience: 'everyone', due: '2026-12-01', includeCompleted: 'yes' };
    const included = validCards(await hr.press(next as Record<string, unknown>, 'hrCampaignPreview', all)).body.value;
    expect(cardText(included)).toContain('Recipients: 2.');
    expect(cardText(included)).toContain('Those who have already completed the course get it too.');
    expect(cardText(included)).not.toContain('Left out');
    const changed = only(validCards(await hr.press(included, 'hrCampaign')).cards);
    expect((changed.body as Record<string, unknown>[]).find((e) => e.id === 'includeCompleted')).toMatchObject({
      value: 'yes',
    });
  });
});

describe('a campaign', () => {
  let anna: TestUser;
  let bert: TestUser;
  let cor: TestUser;
  let sent: HttpResult;
  let preview: Record<string, unknown>;
  let before: number;
  const campaignMessages = () =>
    h.connector.calls.slice(before).filter((c) => c.method === 'POST' && c.activity.attachments);

  beforeEach(async () => {
    anna = h.user({ name: 'Anna de Vries' });
    bert = h.user({ name: 'Bert Smit' });
    cor = h.user({ name: 'Cor Visser' });
    await anna.say('help');
    await importRoster([
      ['Anna de Vries', 'anna@contoso.example', 'Office', 'Office manager', anna.aadObjectId],
      ['Bert Smit', 'bert@contoso.example', 'Office', 'Receptionist', bert.aadObjectId],
      ['Cor Visser', 'cor@contoso.example', 'Warehouse', 'Picker', cor.aadObjectId],
      ['Dirk Mol', 'dirk@contoso.example', 'Warehouse', 'Driver', ''],
    ]);
    h.connector.blocked.add(cor.aadObjectId);
    const form = only(validCards(await hr.say('campaign')).cards);
    preview = validCards(
      await hr.press(form, 'hrCampaignPreview', { audience: 'everyone', due: '2026-12-01', note: 'Thank you!' }),
    ).body.value;
    before = h.connector.calls.length;
    sent = validCards(await hr.press(preview, 'hrCampaignSend'));
    await h.app.deliveriesIdle();
  });

  it('says it is sending, then updates its own card as the messages go out, with no Refresh needed', async () => {
    expect(cardText(sent.body.value)).toMatch(
      /Sending now. This card updates itself as the messages go out.\nSent\n0\nWaiting\n[1-9]/,
    );
    // The card HR clicked Send on (the harness's cards are message 1:1) is replaced in place.
    const updates = () =>
      h.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === hr.conversationId && c.id === '1:1');
    const last = await vi.waitFor(
      () => {
        const put = updates().at(-1);
        const card = (put?.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content;
        expect(cardText(card)).toMatch(/Sent\n2\nWaiting\n0/);
        return card;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(cardText(last)).not.toContain('Sending');
    const count = updates().length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(updates()).toHaveLength(count);
  });

  it('reaches each person once in their personal chat, and lists who could not be reached and why', async () => {
    expect(cardText(sent.body.value)).toContain('Campaign, due 1 December 2026');
    const to = (conversationId: string) => campaignMessages().filter((c) => c.conversationId === conversationId);
    expect(to(anna.conversationId)).toHaveLength(1);
    expect(
      cardText((to(anna.conversationId)[0]?.activity.attachments as { content: unknown }[])[0]?.content),
    ).toContain('Please do the social media course by 1 December 2026\nOur organisation asks everyone');
    expect(to(`a:${bert.aadObjectId}`)).toHaveLength(1);
    expect(campaignMessages()).toHaveLength(2);

    const status = validCards(await hr.press(sent.body.value, 'hrCampaignStatus'));
    const text = cardText(status.body.value);
    expect(text).toMatch(/Sent\n2/);
    expect(text).toMatch(/Cor Visser\n · blocked or removed the app/);
    expect(text).toMatch(/Dirk Mol\n · no Entra object id/);
    // Dutch HR reads why, in Dutch; the export keeps the technical detail.
    const dutchHr = hrUser(h, 'nl-NL');
    const dutch = cardText(validCards(await dutchHr.press(sent.body.value, 'hrCampaignStatus')).body.value);
    expect(dutch).toMatch(/Cor Visser\n · heeft de app geblokkeerd of verwijderd/);
    expect(dutch).toMatch(/Dirk Mol\n · geen Entra-object-id op het rooster en nog geen chat met de bot/);

    const again = validCards(await hr.press(preview, 'hrCampaignSend'));
    await h.app.deliveriesIdle();
    expect(cardText(again.body.value)).toMatch(/Sent\n2/);
    expect(await h.stores.campaigns.list()).toHaveLength(1);
    expect(campaignMessages()).toHaveLength(2);

    const coverage = cardText(only((await hr.say('coverage')).cards));
    expect(coverage).toMatch(/Unreachable\n2/);

    const [last, form] = validCards(await hr.say('campaign')).cards;
    expect(cardText(last)).toMatch(/Campaign, due 1 December 2026\nSent\n2/);
    expect(cardText(form)).toContain('New campaign');
  });

  it('is followed by reminders on request, in office hours, at most one per person per 3 days', async () => {
    expect((await hr.say('remind')).texts[0]).toContain('Nobody needs a reminder now');
    clock.set('2026-11-07T11:00:00Z'); // Saturday
    const saturday = (await hr.say('remind')).texts[0];
    expect(saturday).toMatch(/only go out during office hours. Try again on Monday 9 November at 09:00\.$/);
    clock.set('2026-11-08T20:00:00Z'); // Sunday 21:00 in Amsterdam
    expect((await hr.say('remind')).texts[0]).toMatch(/Try again tomorrow at 09:00\.$/);
    clock.set('2026-11-09T01:56:00Z'); // Monday 02:56 in Amsterdam
    expect((await hr.say('remind')).texts[0]).toMatch(/Try again today at 09:00\.$/);
    clock.set('2026-11-09T09:00:00Z'); // Monday 10:00 in Amsterdam
    const first = await hr.say('remind');
    expect(first.texts[0]).toContain('Reminders are on their way to those who have not finished: 4.');
    await h.app.deliveriesIdle();
    const reminders = campaignMessages().slice(2);
    expect(reminders.map((c) => c.conversationId).sort()).toEqual(
      [anna.conversationId, `a:${bert.aadObjectId}`].sort(),
    );
    expect(cardText((reminders[0]?.activity.attachments as { content: unknown }[])[0]?.content)).toContain(
      'Reminder: the social media course is due on 1 December 2026',
    );
    expect((await hr.say('remind')).texts[0]).toContain('Nobody needs a reminder now');
  });

  it('is followed by one automatic reminder before the due date and one when overdue', async () => {
    const reminderTitles = () =>
      campaignMessages()
        .slice(2)
        .filter((c) => c.conversationId === anna.conversationId)
        .map((c) => cardText((c.activity.attachments as { content: { body: unknown[] } }[])[0]?.content.body[0]));
    clock.set('2026-11-27T09:00:00Z'); // Friday, before the last 3 days
    expect(await h.app.remindEmployees()).toBe(0);
    clock.set('2026-11-28T09:00:00Z'); // Saturday: in the window, but not office hours
    expect(await h.app.remindEmployees()).toBe(0);
    clock.set('2026-11-30T08:30:00Z'); // Monday 09:30 in Amsterdam
    expect(await h.app.remindEmployees()).toBe(4);
    expect(await h.app.remindEmployees()).toBe(0);
    await h.app.deliveriesIdle();
    expect(reminderTitles()).toEqual(['Reminder: the social media course is due on 1 December 2026']);
    clock.set('2026-12-02T09:00:00Z'); // overdue, but only 2 days after the last reminder
    expect(await h.app.remindEmployees()).toBe(0);
    clock.set('2026-12-03T09:00:00Z');
    expect(await h.app.remindEmployees()).toBe(4);
    await h.app.deliveriesIdle();
    clock.set('2026-12-10T09:00:00Z');
    expect(await h.app.remindEmployees()).toBe(0);
    expect(reminderTitles()).toEqual([
      'Reminder: the social media course is due on 1 December 2026',
      'The social media course was due on 1 December 2026',
    ]);
  });
});

describe('matching Teams users to the roster', () => {
  it('links someone on a CSV roster without an Entra object id by their Teams e-mail, so their course counts', async () => {
    await importRoster([['Eva de Wit', 'eva@contoso.example', 'Office', 'Secretary', '']]);
    const eva = h.user({ name: 'Eva de Wit' });
    h.connector.members.set(eva.teamsId, {
      id: eva.teamsId,
      name: 'Eva de Wit',
      email: 'Eva@Contoso.example',
      userPrincipalName: 'eva@contoso.example',
      aadObjectId: eva.aadObjectId,
    });
    await completeCourse(eva);
    expect(await h.stores.roster.get('eva@contoso.example')).toMatchObject({ aadObjectId: eva.aadObjectId });
    expect(cardText(only((await hr.say('coverage')).cards))).toContain('1 of 1 people on the roster (100%) completed');
  });
});
