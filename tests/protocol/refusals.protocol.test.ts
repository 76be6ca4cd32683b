import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import type { Clock } from '../../src/domain/time/clock.js';
import { verbOf } from '../../src/teams/route.js';
import { ROUTES } from '../../src/teams/routeTable.js';
import { cardProblems } from '../support/cardSchema.js';
import {
  ChannelMember,
  shown,
  startHarness,
  type BotHarness,
  type HttpResult,
  type TestUser,
} from '../support/harness.js';
import { completeCourseInStore, loadCourse, rosterMember } from '../support/hrFixtures.js';
import { HR_ID, hrInChannel, hrUser } from '../support/hrPeople.js';
import { uiPatterns } from '../support/uiPatterns.js';

const channelId = '19:contact-channel@thread.tacv2';
const fixedClock: Clock = { now: () => new Date('2026-11-02T09:00:00Z') }; // Monday 10:00 in Amsterdam

/** What a refusal case works with: a bot with a contact channel and one answered question, #1. */
interface World {
  readonly h: BotHarness;
  readonly version: string;
  /** An employee who has just started the course. */
  readonly employee: TestUser;
  /** An employee who finished the course and may answer the inventory question. */
  readonly graduate: TestUser;
  /** Acknowledged more than a year ago (acknowledgements hold 12 months here), and started the renewal. */
  readonly lapsed: TestUser;
  /** The question the lapsed employee's renewal asks first. */
  readonly renewalQuestion: string;
  readonly asker: TestUser;
  readonly hr: TestUser;
  readonly contact: ChannelMember;
  readonly thread: string;
}

/** One way a person can get a card button refused, and the texts (by ui.json key) any of which they should see. */
type Case = readonly [name: string, click: (w: World) => Promise<HttpResult>, expected: readonly string[]];

const fromChannel = (verb: string, data: Record<string, unknown> = {}): Case => [
  'clicked in a channel',
  (w) => w.contact.click(`${channelId};messageid=1`, verb, data),
  ['onlyPersonal'],
];
const notHr = (verb: string, data: Record<string, unknown> = {}): Case => [
  'clicked by someone not in HR',
  (w) => w.employee.click(verb, data),
  ['hrOnly'],
];
const campaign = { request: 'c-1', audience: 'everyone', due: '2026-12-01', note: '' };
const later = { ...campaign, startDate: '2026-11-03', startTime: '10:00' };
const schedule = (data: Record<string, unknown>) => (w: World) =>
  w.hr.click('hrCampaignSchedule', { ...later, ...data });
const GROUP_ID = '6a0e3c1d-2b4f-4a5e-9c7d-8e1f2a3b4c5d';
/** The day the lapsed employee's acknowledgement (made on 1 October 2025) lapsed. */
const LAPSE = '2026-10-01';
const renewalAnswer = (w: World, data: Record<string, unknown>) =>
  w.lapsed.click('renewalAnswer', { question: w.renewalQuestion, lapse: LAPSE, attempt: '1', ...data });

/** Every card button of the bot, with every refusal a person can cause with it. */
const REFUSALS: Readonly<Record<string, readonly Case[]>> = {
  start: [fromChannel('start')],
  next: [fromChannel('next')],
  later: [fromChannel('later')],
  progress: [fromChannel('progress')],
  open: [
    ['a stale card without a lesson', (w) => w.employee.click('open'), ['staleCard']],
    [
      'a lesson not reached yet',
      async (w) => w.employee.click('open', { lesson: (await loadCourse()).lessons[3]?.id }),
      ['notReached'],
    ],
    ['a lesson that does not exist', (w) => w.employee.click('open', { lesson: 'no-such-lesson' }), ['staleCard']],
    fromChannel('open', { lesson: 'x' }),
  ],
  answer: [
    ['a stale card without a question', (w) => w.employee.click('answer', { choice: 'a' }), ['staleCard']],
    [
      'a question not reached yet',
      async (w) =>
        w.employee.click('answer', { question: (await loadCourse()).lessons[4]?.questions[0]?.id, choice: 'a' }),
      ['notReached'],
    ],
    [
      'no choice',
      async (w) => w.employee.click('answer', { question: (await loadCourse()).lessons[0]?.questions[0]?.id }),
      ['chooseFirst', 'notReached'],
    ],
    fromChannel('answer', { question: 'x', choice: 'a' }),
  ],
  refresherAnswer: [
    [
      'a stale card without a refresher number',
      (w) => w.graduate.click('refresherAnswer', { question: 'x', choice: 'a' }),
      ['staleCard'],
    ],
    [
      'a refresher never asked',
      async (w) =>
        w.graduate.click('refresherAnswer', {
          refresher: '3',
          question: (await loadCourse()).lessons[0]?.questions[0]?.id,
          choice: 'a',
        }),
      ['refresherStale'],
    ],
    fromChannel('refresherAnswer', { refresher: '1', question: 'x', choice: 'a' }),
  ],
  renewalStart: [
    ['a stale card without a lapse', (w) => w.lapsed.click('renewalStart'), ['staleCard']],
    ['no renewal due', (w) => w.graduate.click('renewalStart', { lapse: LAPSE }), ['renewalNotDue']],
    ['a tampered lapse', (w) => w.lapsed.click('renewalStart', { lapse: '2020-01-01' }), ['renewalStale']],
    fromChannel('renewalStart', { lapse: LAPSE }),
  ],
  renewalAnswer: [
    ['a stale card without a question', (w) => renewalAnswer(w, { question: undefined, choice: 'a' }), ['staleCard']],
    ['an attempt that is no number', (w) => renewalAnswer(w, { attempt: 'first', choice: 'a' }), ['staleCard']],
    ['no choice', (w) => renewalAnswer(w, {}), ['chooseFirst']],
    ['a choice the question does not have', (w) => renewalAnswer(w, { choice: 'zz' }), ['staleCard']],
    [
      'a question the renewal does not ask now',
      (w) => renewalAnswer(w, { question: 'no-such-question', choice: 'a' }),
      ['renewalStale'],
    ],
    ['an attempt not reached yet', (w) => renewalAnswer(w, { attempt: '3', choice: 'a' }), ['renewalStale']],
    ['a tampered lapse', (w) => renewalAnswer(w, { lapse: '2020-01-01', choice: 'a' }), ['renewalStale']],
    [
      'no renewal due',
      async (w) =>
        w.graduate.click('renewalAnswer', {
          question: (await loadCourse()).lessons[0]?.questions[0]?.id,
          lapse: LAPSE,
          attempt: '1',
          choice: 'a',
        }),
      ['renewalStale'],
    ],
    fromChannel('renewalAnswer', { question: 'x', lapse: LAPSE, attempt: '1', choice: 'a' }),
  ],
  renewalAcknowledge: [
    ['a stale card without a lapse', (w) => w.lapsed.click('renewalAcknowledge', { agree: 'yes' }), ['staleCard']],
    ['the box not ticked', (w) => w.lapsed.click('renewalAcknowledge', { lapse: LAPSE, agree: 'no' }), ['ackRequired']],
    [
      'before the questions are answered',
      (w) => w.lapsed.click('renewalAcknowledge', { lapse: LAPSE, agree: 'yes' }),
      ['renewalStale'],
    ],
    ['no renewal due', (w) => w.graduate.click('renewalAcknowledge', { lapse: LAPSE, agree: 'yes' }), ['renewalStale']],
    fromChannel('renewalAcknowledge', { lapse: LAPSE, agree: 'yes' }),
  ],
  acknowledge: [
    ['a stale card without a version', (w) => w.employee.click('acknowledge', { agree: 'yes' }), ['staleCard']],
    [
      'the box not ticked',
      (w) => w.employee.click('acknowledge', { version: w.version, agree: 'no' }),
      ['ackRequired'],
    ],
    [
      'before the last lesson',
      (w) => w.employee.click('acknowledge', { version: w.version, agree: 'yes' }),
      ['notFinished'],
    ],
    fromChannel('acknowledge', { version: 'v', agree: 'yes' }),
  ],
  ask: [fromChannel('ask')],
  report: [fromChannel('report')],
  faq: [fromChannel('faq')],
  askSend: [
    [
      'an empty question',
      (w) => w.employee.click('askSend', { request: 'r1', text: '  ', category: 'policy', anonymous: 'no' }),
      ['askInvalid'],
    ],
    [
      'a question too long',
      (w) =>
        w.employee.click('askSend', { request: 'r2', text: 'x'.repeat(1001), category: 'policy', anonymous: 'no' }),
      ['askInvalid'],
    ],
    [
      'no category',
      (w) => w.employee.click('askSend', { request: 'r3', text: 'Hi?', category: 'gossip', anonymous: 'no' }),
      ['askInvalid'],
    ],
    fromChannel('askSend', { request: 'r4', text: 'Hi?', category: 'policy' }),
  ],
  reportSend: [
    [
      'an empty report',
      (w) => w.employee.click('reportSend', { request: 'r5', text: '', urgency: 'normal' }),
      ['reportInvalid'],
    ],
    [
      'a report too long',
      (w) => w.employee.click('reportSend', { request: 'r6', text: 'x'.repeat(1001), urgency: 'normal' }),
      ['reportInvalid'],
    ],
    [
      'a link that is not a web link',
      (w) =>
        w.employee.click('reportSend', { request: 'r7', text: 'Look', link: 'javascript:alert(1)', urgency: 'normal' }),
      ['reportInvalidLink'],
    ],
    fromChannel('reportSend', { request: 'r8', text: 'Look', urgency: 'normal' }),
  ],
  ticketReply: [
    [
      'a ticket that does not exist',
      (w) => w.asker.click('ticketReply', { ticket: 99, request: 'x', text: 'Hi' }),
      ['ticketUnknown'],
    ],
    [
      'someone else’s ticket',
      (w) => w.employee.click('ticketReply', { ticket: 1, request: 'x', text: 'Hi' }),
      ['ticketUnknown'],
    ],
    ['an empty reply', (w) => w.asker.click('ticketReply', { ticket: 1, request: 'x', text: '' }), ['replyInvalid']],
    [
      'a reply too long',
      (w) => w.asker.click('ticketReply', { ticket: 1, request: 'x', text: 'x'.repeat(1001) }),
      ['replyInvalid'],
    ],
    fromChannel('ticketReply', { ticket: 1, text: 'Hi' }),
  ],
  ticketReopen: [
    ['a ticket that does not exist', (w) => w.asker.click('ticketReopen', { ticket: 'abc' }), ['ticketUnknown']],
    ['someone else’s ticket', (w) => w.employee.click('ticketReopen', { ticket: 1 }), ['ticketUnknown']],
    fromChannel('ticketReopen', { ticket: 1 }),
  ],
  ticketClaim: [
    [
      'a ticket that does not exist',
      (w) => w.contact.click(w.thread, 'ticketClaim', { ticket: 99 }),
      ['ticketUnknown'],
    ],
    [
      'another ticket’s thread',
      (w) => w.contact.click(`${channelId};messageid=5`, 'ticketClaim', { ticket: 1 }),
      ['notHere'],
    ],
    ['a personal chat', (w) => w.asker.click('ticketClaim', { ticket: 1 }), ['notHere']],
  ],
  ticketResolve: [
    [
      'a ticket that does not exist',
      (w) => w.contact.click(w.thread, 'ticketResolve', { ticket: 0 }),
      ['ticketUnknown'],
    ],
    [
      'another channel',
      (w) =>
        Object.assign(new ChannelMember(w.h, 'Other', '19:other@thread.tacv2'), { locale: w.contact.locale }).click(
          `19:other@thread.tacv2;messageid=${w.thread.split('=')[1]}`,
          'ticketResolve',
          { ticket: 1 },
        ),
      ['notHere'],
    ],
    ['a personal chat', (w) => w.asker.click('ticketResolve', { ticket: 1 }), ['notHere']],
  ],
  faqEdit: [
    ['a ticket that does not exist', (w) => w.contact.click(w.thread, 'faqEdit', { ticket: 7 }), ['ticketUnknown']],
    [
      'another ticket’s thread',
      (w) => w.contact.click(`${channelId};messageid=5`, 'faqEdit', { ticket: 1 }),
      ['notHere'],
    ],
    [
      'a question not answered yet',
      (w) => w.contact.click(w.thread, 'faqEdit', { ticket: 2 }),
      ['faqNotAnswered', 'notHere'],
    ],
    ['a personal chat', (w) => w.asker.click('faqEdit', { ticket: 1 }), ['notHere']],
  ],
  faqPublish: [
    [
      'an empty question',
      (w) => w.contact.click(w.thread, 'faqPublish', { ticket: 1, question: '', answer: 'A', language: 'en' }),
      ['replyInvalid'],
    ],
    [
      'an answer too long',
      (w) =>
        w.contact.click(w.thread, 'faqPublish', { ticket: 1, question: 'Q', answer: 'x'.repeat(2001), language: 'en' }),
      ['replyInvalid'],
    ],
    [
      'an unknown language',
      (w) => w.contact.click(w.thread, 'faqPublish', { ticket: 1, question: 'Q', answer: 'A', language: 'fr' }),
      ['replyInvalid'],
    ],
    [
      'a ticket that does not exist',
      (w) => w.contact.click(w.thread, 'faqPublish', { ticket: 9, question: 'Q', answer: 'A', language: 'en' }),
      ['ticketUnknown'],
    ],
    [
      'a personal chat',
      (w) => w.asker.click('faqPublish', { ticket: 1, question: 'Q', answer: 'A', language: 'en' }),
      ['notHere'],
    ],
  ],
  inventory: [
    [
      'before finishing the course',
      (w) => w.employee.click('inventory', { platforms: 'linkedin' }),
      ['inventoryNotYet'],
    ],
    ['nothing chosen', (w) => w.graduate.click('inventory', { platforms: '' }), ['inventoryEmpty']],
    ['"none" and a platform', (w) => w.graduate.click('inventory', { platforms: 'none,linkedin' }), ['inventoryEmpty']],
    ['an unknown platform', (w) => w.graduate.click('inventory', { platforms: 'myspace' }), ['inventoryEmpty']],
    fromChannel('inventory', { platforms: 'none' }),
  ],
  coverage: [notHr('coverage'), fromChannel('coverage')],
  understanding: [notHr('understanding'), fromChannel('understanding')],
  statistics: [notHr('statistics'), fromChannel('statistics')],
  hrNotStarted: [notHr('hrNotStarted'), fromChannel('hrNotStarted')],
  hrExport: [notHr('hrExport'), fromChannel('hrExport')],
  hrRemind: [
    notHr('hrRemind'),
    ['nobody to remind', (w) => w.hr.click('hrRemind'), ['remindNobody']],
    fromChannel('hrRemind'),
  ],
  hrCampaign: [notHr('hrCampaign'), fromChannel('hrCampaign')],
  team: [['clicked by someone who manages nobody', (w) => w.employee.click('team'), ['teamNone']], fromChannel('team')],
  teamRemind: [
    ['clicked by someone who manages nobody', (w) => w.employee.click('teamRemind'), ['teamNone']],
    ['clicked by HR, who manages nobody', (w) => w.hr.click('teamRemind'), ['teamNone']],
    fromChannel('teamRemind'),
  ],
  hrCampaignPreview: [
    notHr('hrCampaignPreview', campaign),
    [
      'a stale card without a request',
      (w) => w.hr.click('hrCampaignPreview', { ...campaign, request: '' }),
      ['staleCard'],
    ],
    [
      'a due date in the past',
      (w) => w.hr.click('hrCampaignPreview', { ...campaign, due: '2026-10-01' }),
      ['campaignInvalidDue'],
    ],
    ['no audience', (w) => w.hr.click('hrCampaignPreview', { ...campaign, audience: '' }), ['campaignInvalidAudience']],
    fromChannel('hrCampaignPreview', campaign),
  ],
  hrCampaignSend: [
    notHr('hrCampaignSend', campaign),
    [
      'a stale card without a request',
      (w) => w.hr.click('hrCampaignSend', { ...campaign, request: '' }),
      ['staleCard'],
    ],
    [
      'an unknown department',
      (w) => w.hr.click('hrCampaignSend', { ...campaign, audience: 'departments', departments: 'dNowhere' }),
      ['campaignUnknownDepartments', 'campaignInvalidDepartments'],
    ],
    [
      'an Entra group while the roster is not from Graph',
      (w) => w.hr.click('hrCampaignSend', { ...campaign, audience: 'group', group: GROUP_ID }),
      ['campaignInvalidAudience'],
    ],
    fromChannel('hrCampaignSend', campaign),
  ],
  hrCampaignGroupFind: [
    notHr('hrCampaignGroupFind', { ...campaign, groupSearch: 'sales' }),
    fromChannel('hrCampaignGroupFind', { ...campaign, groupSearch: 'sales' }),
  ],
  hrCampaignStatus: [
    notHr('hrCampaignStatus', { campaign: 'c-0' }),
    ['a campaign that does not exist', (w) => w.hr.click('hrCampaignStatus', { campaign: 'c-0' }), ['campaignUnknown']],
    fromChannel('hrCampaignStatus', { campaign: 'c-0' }),
  ],
  hrEnrolment: [notHr('hrEnrolment'), fromChannel('hrEnrolment')],
  hrEnrolmentSave: [
    notHr('hrEnrolmentSave', { sendAfterDays: '3', dueDays: '14' }),
    [
      'days that are not whole days',
      (w) => w.hr.click('hrEnrolmentSave', { sendAfterDays: '1e2', dueDays: '14' }),
      ['enrolmentInvalidDays'],
    ],
    ['no days at all', (w) => w.hr.click('hrEnrolmentSave'), ['enrolmentInvalidDays']],
    fromChannel('hrEnrolmentSave', { sendAfterDays: '3', dueDays: '14' }),
  ],
  hrEnrolmentPause: [
    notHr('hrEnrolmentPause'),
    ['a pause before it was turned on', (w) => w.hr.click('hrEnrolmentPause'), ['enrolmentNotOn']],
    fromChannel('hrEnrolmentPause'),
  ],
  hrEnrolmentResume: [
    notHr('hrEnrolmentResume'),
    ['a resume before it was turned on', (w) => w.hr.click('hrEnrolmentResume'), ['enrolmentNotOn']],
    fromChannel('hrEnrolmentResume'),
  ],
  hrCampaignSchedule: [
    notHr('hrCampaignSchedule', later),
    ['a stale card without a request', schedule({ request: '' }), ['staleCard']],
    ['a tampered time', schedule({ startTime: '10:00; DROP' }), ['sendAtInvalid']],
    ['a date that does not exist', schedule({ startDate: '2026-11-31' }), ['sendAtInvalid']],
    ['a time already past', schedule({ startDate: '2026-11-02', startTime: '09:30' }), ['sendAtPast']],
    ['a time outside office hours', schedule({ startTime: '07:30' }), ['sendAtOutsideHours']],
    ['a due date before the start', schedule({ startDate: '2026-12-02' }), ['sendAtDueBeforeStart']],
    ['a due date in the past', schedule({ due: '2026-10-01' }), ['campaignInvalidDue']],
    fromChannel('hrCampaignSchedule', later),
  ],
  hrCampaignCancel: [
    notHr('hrCampaignCancel', { schedule: 's-0' }),
    ['a schedule that does not exist', (w) => w.hr.click('hrCampaignCancel', { schedule: 's-0' }), ['campaignUnknown']],
    ['a tampered id', (w) => w.hr.click('hrCampaignCancel', { schedule: { $ne: '' } }), ['campaignUnknown']],
    fromChannel('hrCampaignCancel', { schedule: 's-0' }),
  ],
  hrRosterSync: [
    notHr('hrRosterSync'),
    ['a roster from CSV files', (w) => w.hr.click('hrRosterSync'), ['rosterSyncOff']],
    fromChannel('hrRosterSync'),
  ],
  hrRosterImport: [
    notHr('hrRosterImport', { upload: 'u-0' }),
    ['an upload that does not exist', (w) => w.hr.click('hrRosterImport', { upload: 'u-0' }), ['rosterUploadUnknown']],
    fromChannel('hrRosterImport', { upload: 'u-0' }),
  ],
};

/** Buttons no card has, and commands that can only be typed. */
const NOT_BUTTONS: readonly Case[] = [
  ['an unknown verb', (w) => w.employee.click('deleteEverything'), ['staleCard']],
  ['a typed command as a button', (w) => w.employee.click('language', { lang: 'nl' }), ['staleCard']],
  ['"contact here" as a button', (w) => w.contact.click(w.thread, 'contactHere'), ['staleCard']],
  ['an HR command that can only be typed', (w) => w.hr.click('hrAudit'), ['staleCard']],
  ['the welcome, which only an install brings, as a button', (w) => w.employee.click('welcome'), ['staleCard']],
];

const cardRoutes: string[] = ROUTES.filter((r) => (r.via as readonly string[]).includes('card')).map(verbOf);

describe('the refusal table', () => {
  it('covers every card button the bot has, and every verb on a card is one', async () => {
    expect(Object.keys(REFUSALS).sort()).toEqual([...cardRoutes].sort());
    const dir = path.join(PROJECT_ROOT, 'cards');
    for (const file of await readdir(dir)) {
      for (const [, verb] of (await readFile(path.join(dir, file), 'utf8')).matchAll(/"verb":\s*"([^"]+)"/g)) {
        expect(cardRoutes, `${file}: ${verb}`).toContain(verb);
      }
    }
  });
});

describe.each([
  ['en', 'en-US'],
  ['nl', 'nl-NL'],
] as const)('every refusal from a card is shown to the person (%s)', (language, locale) => {
  let world: World;
  let pattern: (key: string) => RegExp;

  beforeAll(async () => {
    pattern = await uiPatterns(language);
    const h = await startHarness({
      clock: fixedClock,
      env: { POSTWISE_HR_USERS: HR_ID, POSTWISE_DEFAULT_LANGUAGE: language, POSTWISE_ACKNOWLEDGEMENT_MONTHS: '12' },
    });
    const hr = hrUser(h, locale);
    const contact = Object.assign(hrInChannel(h), { locale });
    await h.stores.roster.put(rosterMember('Anna', { department: 'Sales' }));
    await contact.mention('contact here');
    const asker = h.user({ locale });
    for (const question of ['Answered?', 'Not answered yet?']) {
      const card = (await asker.say('ask')).cards[0] as Record<string, unknown>;
      const request = (card.actions as { data: { request: string } }[])[0]?.data.request ?? '';
      await asker.click('askSend', { request, text: question, category: 'policy', anonymous: 'no' });
    }
    const thread = (await h.stores.tickets.get(1))?.thread?.conversationId ?? '';
    await contact.replyIn(thread, 'Yes.');
    const employee = h.user({ locale });
    await employee.say('start');
    const graduate = h.user({ locale });
    await completeCourseInStore(h.stores, await loadCourse(), graduate.aadObjectId);
    const lapsed = h.user({ locale });
    await completeCourseInStore(h.stores, await loadCourse(), lapsed.aadObjectId, '2025-10-01T10:00:00Z');
    await lapsed.click('renewalStart', { lapse: LAPSE });
    const renewal = (await h.stores.progress.get(lapsed.aadObjectId))?.renewal;
    const renewalQuestion = renewal?.questions[0] ?? '';
    expect(renewalQuestion).not.toBe('');
    const version = (await loadCourse()).version;
    world = { h, version, employee, graduate, lapsed, renewalQuestion, asker, hr, contact, thread };
  });
  afterAll(() => world.h.close());

  const cases = [
    ...Object.entries(REFUSALS).flatMap(([route, list]) => list.map((c) => [route, ...c] as const)),
    ...NOT_BUTTONS.map((c) => ['-', ...c] as const),
  ];

  it.each(cases)('%s: %s', async (_route, _name, click, expected) => {
    const result = await click(world);
    const seen = shown(result);
    expect(
      expected.some((key) => pattern(key).test(seen)),
      `"${seen}" is none of ${expected.join(', ')}`,
    ).toBe(true);
    if (result.body.type === 'application/vnd.microsoft.card.adaptive')
      expect(cardProblems(result.body.value)).toEqual([]);
  });

  it('and none of them changed anything', async () => {
    const { stores } = world.h;
    expect((await stores.tickets.unresolved()).map((t) => [t.number, t.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
    ]);
    expect(await stores.faq.list()).toEqual([]);
    expect(await stores.campaigns.list()).toEqual([]);
    expect(await stores.inventory.totals()).toMatchObject({ respondents: 0 });
    expect((await stores.progress.get(world.employee.aadObjectId))?.acknowledgements ?? []).toEqual([]);
    const lapsed = await stores.progress.get(world.lapsed.aadObjectId);
    expect(lapsed?.renewal?.attempts).toEqual({});
    expect(lapsed?.acknowledgements).toHaveLength(1);
  });
});
