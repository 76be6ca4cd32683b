import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CardTemplates } from '../../src/cards/templates.js';
import { HrCards } from '../../src/cards/hrCards.js';
import { CampaignCards } from '../../src/cards/campaignCards.js';
import { TeamCards } from '../../src/cards/teamCards.js';
import { TEAM_ORDER } from '../../src/domain/team/teamStatus.js';
import { enrolmentCard, enrolmentSummary } from '../../src/cards/enrolmentCards.js';
import { ScheduleCards } from '../../src/cards/scheduleCards.js';
import { languagePacks, type LanguagePack } from '../../src/cards/languagePack.js';
import { renewalCard, renewalResultCard } from '../../src/cards/renewalCards.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadContent } from '../../src/content/load.js';
import { LANGUAGES, type Language } from '../../src/domain/course/course.js';
import type { Step } from '../../src/domain/course/progress.js';
import { cardProblems, TEAMS_MESSAGE_LIMIT } from '../support/cardSchema.js';
import { cardText } from '../support/harness.js';

let cards: Readonly<Record<Language, LanguagePack>>;

beforeAll(async () => {
  const content = await loadContent(path.join(PROJECT_ROOT, 'content'), {
    name: 'Contoso Facilities',
    contactName: 'Sanne Jansen',
    contactEmail: 'sanne.jansen@contoso.example',
    policyUrl: 'https://intranet.contoso.example/social-media',
  });
  cards = languagePacks(
    await CardTemplates.load(path.join(PROJECT_ROOT, 'cards')),
    content,
    'https://intranet.contoso.example/social-media',
  );
});

/** Every card the bot can send, in one language. */
function everyCard(c: LanguagePack): [string, Record<string, unknown>][] {
  const all: [string, Record<string, unknown>][] = [
    ['welcome', c.welcome()],
    ['help', c.help('notice')],
    ['acknowledge', c.acknowledge()],
  ];
  all.push([
    'completion',
    c.completion({ version: c.course.version, at: '2026-11-02T09:30:00.000Z', correct: 20, total: 26 }),
  ]);
  for (const [li, lesson] of c.course.lessons.entries()) {
    all.push([`lesson ${lesson.id}`, c.lesson(li)]);
    for (const [qi, question] of lesson.questions.entries()) {
      const place = { lesson, lessonIndex: li, question, questionIndex: qi };
      const order = question.choices.map((choice) => choice.id);
      all.push([`question ${question.id}`, c.question(place, order)]);
      all.push([
        `review ${question.id}`,
        c.review({ kind: 'review', ...place, order: [...order].reverse(), attempt: 12, left: 26 }),
      ]);
      for (const choice of question.choices) {
        const answer = { questionId: question.id, choiceId: choice.id, correct: choice.correct, at: 'x', version: 'v' };
        all.push([`result ${question.id}/${choice.id}`, c.result(place, answer)]);
      }
    }
  }
  const lesson = c.course.lessons[0]!;
  const question = lesson.questions[0]!;
  const states: Step[] = [
    { kind: 'lesson', lesson, lessonIndex: 0 },
    {
      kind: 'review',
      lesson,
      lessonIndex: 0,
      question,
      questionIndex: 0,
      order: question.choices.map((x) => x.id),
      attempt: 1,
      left: 25,
    },
    { kind: 'acknowledge' },
  ];
  for (const step of states) {
    all.push([
      `progress ${step.kind}`,
      c.progress({
        step,
        score: { correct: 1, answered: 2, total: 26 },
        lessonsDone: 1,
        reviewsLeft: 1,
        whatChanged: [],
        progress: { userId: 'u', lessonsOpened: [], answers: {}, acknowledgements: [] },
      }),
    ]);
    all.push([
      `welcome back ${step.kind}`,
      c.greeting({
        step,
        score: { correct: 1, answered: 2, total: 26 },
        lessonsDone: 1,
        reviewsLeft: 1,
        whatChanged: [],
        progress: { userId: 'u', lessonsOpened: ['x'], answers: {}, acknowledgements: [] },
      }),
    ]);
  }
  const changed = c.whatChanged({
    step: states[0]!,
    score: { correct: 26, answered: 26, total: 26 },
    lessonsDone: 10,
    reviewsLeft: 0,
    whatChanged: c.course.lessons,
    progress: { userId: 'u', lessonsOpened: ['x'], answers: {}, acknowledgements: [] },
  });
  all.push(...changed.map((card, i): [string, Record<string, unknown>] => [`what changed ${i}`, card]));
  const lapse = '2027-10-20';
  all.push(['renewal summary', renewalCard(c, { kind: 'summary', lapse })]);
  all.push(['renewal acknowledge', renewalCard(c, { kind: 'acknowledge', lapse })]);
  all.push(['renewal reminder', renewalCard(c, { kind: 'summary', lapse }, { due: '2027-11-03', overdue: false })]);
  all.push(['renewal overdue', renewalCard(c, { kind: 'acknowledge', lapse }, { due: '2027-11-03', overdue: true })]);
  c.course.lessons.forEach((l, lessonIndex) =>
    l.questions.forEach((q, questionIndex) => {
      const place = { lesson: l, lessonIndex, question: q, questionIndex };
      const order = q.choices.map((x) => x.id);
      all.push([`renewal ${q.id}`, renewalCard(c, { kind: 'question', lapse, place, attempt: 2, order, left: 5 })]);
      const answer = { questionId: q.id, choiceId: order[0] ?? '', correct: false, at: lapse, version: 'v' };
      all.push([`renewal result ${q.id}`, renewalResultCard(c, lessonIndex, questionIndex, answer)]);
    }),
  );
  return all;
}

describe.each(LANGUAGES)('every card in %s', (language) => {
  it('is valid Adaptive Cards 1.5, labels every input, describes every image, and fits in a Teams message', () => {
    const all = everyCard(cards[language]);
    expect(all.length).toBeGreaterThan(100);
    for (const [name, card] of all) {
      expect(cardProblems(card), name).toEqual([]);
      expect(card.version).toBe('1.5');
    }
  });

  it('shows the organisation settings instead of placeholders', () => {
    const text = everyCard(cards[language])
      .map(([, card]) => cardText(card))
      .join('\n');
    expect(text).toContain('Contoso Facilities');
    expect(text).toContain('Sanne Jansen');
    expect(text).toContain('sanne.jansen@contoso.example');
    expect(text).not.toMatch(/\{(org|contactName|contactEmail|policyUrl)\}/);
  });
});

describe('the acknowledgement and completion cards', () => {
  it("ask for the tick in words when it is missing, and write the date in the person's language", () => {
    const tickBox = (c: LanguagePack) =>
      (c.acknowledge().body as Record<string, unknown>[]).find((e) => e.type === 'Input.Toggle');
    expect(tickBox(cards.en)?.errorMessage).toMatch(/^Tick the box to confirm/);
    expect(tickBox(cards.nl)?.errorMessage).toMatch(/^Zet eerst het vinkje/);
    const ack = { version: 'v', at: '2026-12-07T23:30:00.000Z', correct: 20, total: 26 };
    expect(cardText(cards.nl.completion(ack))).toContain('Afgerond op\n7 december 2026');
    expect(cardText(cards.en.completion(ack))).toContain('7 December 2026');
  });
});

/** Praise that tells the employee they were right, in either language. */
const PRAISE =
  /\b(right|yes|exactly|correct|well done|that's it|goed zo|goed|klopt|juist|precies|ja|zo doe je het)\s*[.!]/i;

describe.each(LANGUAGES)('the result of a wrong answer in %s', (language) => {
  it('explains the better answer without praising a choice the employee did not make', () => {
    const c = cards[language];
    let checked = 0;
    for (const [li, lesson] of c.course.lessons.entries()) {
      for (const [qi, question] of lesson.questions.entries()) {
        const better = question.choices.find((choice) => choice.correct);
        for (const choice of question.choices.filter((x) => !x.correct)) {
          const answer = { questionId: question.id, choiceId: choice.id, correct: false, at: 'x', version: 'v' };
          const text = cardText(c.result({ lesson, lessonIndex: li, question, questionIndex: qi }, answer));
          // The choices themselves may start with "Yes." or "No.": only the explanations are checked.
          const explanations = text.replace(choice.text, '').replace(better?.text ?? '', '');
          expect(explanations, `${question.id}/${choice.id}`).not.toMatch(PRAISE);
          expect(text).toContain(c.text('rightAnswer', { answer: better?.text ?? '' }));
          expect(text).toContain(better?.feedback);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});

describe('the card checker', () => {
  it('rejects what Teams would not render', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Marquee', text: 'hi' }] })).not.toEqual(
      [],
    );
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', id: 'q' }] })).toEqual([
      '$.body[0]: Input.Text has no label',
    ]);
    expect(
      cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Image', url: 'https://x.example/a.png' }] }),
    ).toEqual(['$.body[0]: Image has no altText']);
    const big = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'x'.repeat(TEAMS_MESSAGE_LIMIT) }],
    };
    expect(cardProblems(big)[0]).toMatch(/over Teams/);
  });

  it('accepts Teams additions: msteams and charts', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      msteams: { width: 'Full' },
      body: [{ type: 'Chart.Donut', title: 'Coverage', data: [{ legend: 'Done', value: 3 }] }],
    };
    expect(cardProblems(card)).toEqual([]);
  });
});

describe.each(LANGUAGES)('HR cards in %s, at their largest', (language) => {
  const longName = (i: number) => `Afdeling ${i} ${'Facilitair beheer en huisvesting '.repeat(5)}`.slice(0, 200);
  const counts = (i: number) => ({
    active: 100 + i,
    notStarted: i,
    inProgress: 10,
    reacknowledge: 0,
    completed: 90,
    overdue: 3,
    unreachable: 1,
  });
  const member = (i: number) => ({
    key: `p${i}@contoso.example`,
    name: longName(i),
    email: `p${i}@contoso.example`,
    department: longName(i),
    role: 'Office manager',
    active: true,
    source: 'csv' as const,
    updatedAt: '2026-11-02T09:00:00.000Z',
  });
  const campaign = {
    id: 'c1',
    createdBy: 'hr',
    createdAt: '2026-11-02T09:00:00.000Z',
    audience: { kind: 'everyone' as const },
    due: '2026-12-01',
    note: 'n'.repeat(500),
    recipients: 5000,
  };

  it("stay valid Adaptive Cards 1.5 under Teams' message size, with 300 departments, 1,000 unreachable people and 2,000 bad rows", () => {
    const hr = new HrCards(cards[language]);
    const groups = Array.from({ length: 300 }, (_, i) => ({ name: longName(i), counts: counts(i) }));
    const all: [string, Record<string, unknown>][] = [
      [
        'coverage',
        hr.coverage(
          {
            version: 'v1',
            versionName: '2026-11-30 #417',
            overall: counts(0),
            lessonsChanged: 2,
            byDepartment: groups,
            byRole: groups,
          },
          { respondents: 12, counts: { linkedin: 7, none: 2 } },
        ),
      ],
      [
        'coverage, empty roster',
        hr.coverage(
          {
            version: 'v1',
            versionName: '2026-11-30 #417',
            overall: { ...counts(0), active: 0 },
            lessonsChanged: 0,
            byDepartment: [],
            byRole: [],
          },
          { respondents: 0, counts: {} },
        ),
      ],
      [
        'not started',
        hr.notStarted({
          total: 1000,
          reports: Array.from({ length: 40 }, (_, i) => ({
            member: member(i),
            status: 'not-started' as const,
            lessonsDone: 0,
            lessonsTotal: 11,
            correct: 0,
            answered: 0,
            overdue: false,
          })),
        }),
      ],
      [
        'campaign form',
        new CampaignCards(hr).form({
          request: 'r1',
          departments: groups.map((g) => g.name),
          firstDue: '2026-11-03',
          defaultDue: '2026-11-16',
          notice: 'x',
        }),
      ],
      [
        'campaign preview',
        new CampaignCards(hr).preview(
          { request: 'r1' },
          campaign,
          5000,
          groups.map((g, i) => ({
            name: g.name,
            count: 17,
            people: Array.from({ length: 17 }, (_, j) => longName(i * 17 + j)),
          })),
        ),
      ],
      [
        'campaign form with groups found',
        new CampaignCards(hr).form({
          request: 'r1',
          departments: [],
          firstDue: '2026-11-03',
          defaultDue: '2026-11-16',
          values: { audience: 'group' },
          groups: {
            search: 'sales',
            choices: Array.from({ length: 15 }, (_, i) => ({ title: longName(i), value: `g-${i}` })),
            chosen: 'g-3',
            notice: 'x',
          },
        }),
      ],
      [
        'campaign preview to a group',
        new CampaignCards(hr).preview(
          { request: 'r1', audience: 'group', group: 'g-3' },
          { ...campaign, audience: { kind: 'group', groupId: 'g-3', groupName: longName(3), leaveOutCompleted: true } },
          5000,
          [{ name: 'Sales', count: 5000, people: Array.from({ length: 5 }, (_, j) => longName(j)) }],
          12,
          { first: '2026-11-03', date: '2026-11-03', time: '10:00' },
          Array.from({ length: 3000 }, (_, j) => longName(j)),
        ),
      ],
      [
        'campaign status',
        new CampaignCards(hr).status({
          campaign,
          pending: 1,
          sent: 2,
          retrying: 3,
          unconfirmed: 1,
          unreachableCount: 1000,
          failedCount: 0,
          unreachable: Array.from({ length: 1000 }, (_, i) => ({
            member: member(i),
            reason: 'blocked or removed the app (403 ConversationBlockedByUser)',
          })),
          failed: [],
        }),
      ],
      [
        'campaign preview with Send at… and what to correct',
        new CampaignCards(hr).preview({ request: 'r1' }, campaign, 5000, [], 0, {
          first: '2026-11-02',
          date: '2026-11-03',
          time: '09:00',
          notice: 'x'.repeat(300),
        }),
      ],
      [
        'scheduled campaigns',
        new ScheduleCards(hr, 'Europe/Amsterdam').list(
          Array.from({ length: 300 }, (_, i) => ({
            ...campaign,
            id: `s${i}`,
            at: '2026-11-03T09:00:00.000Z',
            audience: { kind: 'departments' as const, departments: groups.map((g) => g.name) },
            state: i % 2 === 0 ? ('scheduled' as const) : ('failed' as const),
            failed: 'no-recipients' as const,
          })),
          () => 'x'.repeat(200),
          'x'.repeat(300),
        ),
      ],
      ['roster', hr.roster({ active: 5, inactive: 1, departments: 3 }, true)],
      [
        'roster preview',
        hr.rosterPreview(
          'u1',
          'roster.csv',
          { added: 1, updated: 2, reactivated: 3, deactivated: 4, unchanged: 5 },
          10,
          Array.from({ length: 2000 }, (_, i) => ({
            line: i + 2,
            reason: 'Name is missing; Entra object id is not a GUID',
            issues: [{ code: 'name-missing' as const }, { code: 'id-invalid' as const }],
          })),
        ),
      ],
      ['campaign message', hr.campaignMessage('campaign', campaign)],
      ['overdue message', hr.campaignMessage('overdue', campaign)],
      ['inventory', hr.inventory()],
      ['download link', hr.link('ready', 'https://postwise.contoso.example/downloads/abc.def')],
      [
        "a manager's team of 500",
        new TeamCards(cards[language]).team(
          Array.from({ length: 500 }, (_, i) => ({
            key: `p${i}@contoso.example`,
            name: longName(i),
            status: TEAM_ORDER[i % TEAM_ORDER.length]!,
            ...(i % 5 === 4 ? {} : { due: '2026-12-01' }),
          })),
        ),
      ],
      [
        "a manager's team, all done",
        new TeamCards(cards[language]).team([{ key: 'a@contoso.example', name: 'Anna', status: 'completed' }]),
      ],
    ];
    expect(Object.fromEntries(all.map(([name, card]) => [name, cardProblems(card)]))).toEqual(
      Object.fromEntries(all.map(([name]) => [name, []])),
    );
  });
});

describe.each(LANGUAGES)('the enrolment cards in %s', (language) => {
  const rule = {
    sendAfterDays: 3,
    dueDays: 14,
    since: '2026-11-02T09:00:00.000Z',
    paused: false,
    changedBy: 'hr',
    changedAt: '2026-11-02T09:00:00.000Z',
  };
  const verbs = (card: Record<string, unknown>) => (card.actions as { verb: string }[]).map((a) => a.verb);

  it('are valid Adaptive Cards 1.5 off, on and paused, with the buttons each state allows', () => {
    const pack = cards[language];
    const off = enrolmentCard(pack, { rule: undefined, sent: 0, waiting: 0 });
    const on = enrolmentCard(pack, { rule, sent: 12, waiting: 3 });
    const paused = enrolmentCard(pack, { rule: { ...rule, paused: true }, sent: 12, waiting: 3 }, 'notice');
    const form = new CampaignCards(new HrCards(pack)).form({
      request: 'r1',
      departments: [],
      firstDue: '2026-11-03',
      defaultDue: '2026-11-16',
      enrolment: enrolmentSummary(pack, { rule, sent: 12, waiting: 3 }),
    });
    const all = { off, on, paused, form };
    expect(Object.fromEntries(Object.entries(all).map(([n, c]) => [n, cardProblems(c)]))).toEqual({
      off: [],
      on: [],
      paused: [],
      form: [],
    });
    for (const card of Object.values(all)) expect(JSON.stringify(card).length).toBeLessThan(TEAMS_MESSAGE_LIMIT);
    expect(verbs(off)).toEqual(['hrEnrolmentSave']);
    expect(verbs(on)).toEqual(['hrEnrolmentSave', 'hrEnrolmentPause']);
    expect(verbs(paused)).toEqual(['hrEnrolmentSave', 'hrEnrolmentResume']);
    expect(verbs(form)).toContain('hrEnrolment');
    expect(cardText(on)).toContain('12');
    expect(cardText(form)).toContain(pack.text('enrolmentSummaryOn', { count: 12 }));
  });
});
