import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Course } from '../../src/domain/course/course.js';
import { validCards } from '../support/cardSchema.js';
import { cardsOf } from '../support/fakeConnector.js';
import { handClock } from '../support/handClock.js';
import { actionsOf, cardText, elementOf, startHarness, type BotHarness, type TestUser } from '../support/harness.js';
import { loadCourse, rosterMember } from '../support/hrFixtures.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';

let course: Course;
let h: BotHarness | undefined;
beforeAll(async () => {
  course = await loadCourse();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TEXTS = {
  en: {
    language: 'language en',
    start: 'start',
    coverage: 'coverage',
    export: 'export',
    title: 'Renew your acknowledgement',
    intro: 'Your acknowledgement of the social media policy lapsed on 20 October 2027',
    overdue: 'Your acknowledgement was to be renewed by 3 November 2027',
    wrong: 'Not quite.',
    done: 'Thank you: your acknowledgement is renewed.',
    renewalDue: 'Renewal due',
    completed: 'Completed',
    line: 'Renewal due: 1.',
    status: { due: 'renewal due', completed: 'completed' },
    headers: { name: 'Name', status: 'Status', due: 'Due', lapses: 'Acknowledgement lapses' },
  },
  nl: {
    language: 'taal nl',
    start: 'beginnen',
    coverage: 'dekking',
    export: 'exporteren',
    title: 'Vernieuw je bevestiging',
    intro: 'Je bevestiging van het socialemediabeleid is op 20 oktober 2027 verlopen',
    overdue: 'Je bevestiging had op 3 november 2027 vernieuwd moeten zijn',
    wrong: 'Niet helemaal.',
    done: 'Dank je wel: je bevestiging is vernieuwd.',
    renewalDue: 'Moet bevestiging vernieuwen',
    completed: 'Afgerond',
    line: 'Bevestiging vernieuwen: 1.',
    status: { due: 'moet bevestiging vernieuwen', completed: 'afgerond' },
    headers: { name: 'Naam', status: 'Status', due: 'Uiterlijk', lapses: 'Bevestiging verloopt' },
  },
} as const;

/** Walks the whole course through the protocol, answering every question correctly. */
async function completeCourse(user: TestUser, start: string): Promise<void> {
  await user.say(start);
  for (const lesson of course.lessons) {
    await user.click('open', { lesson: lesson.id });
    for (const question of lesson.questions)
      await user.click('answer', { question: question.id, choice: question.choices.find((c) => c.correct)?.id });
  }
  await user.click('acknowledge', { version: course.version, agree: 'yes' });
}

function choiceFor(questionId: string, correct: boolean): string {
  const question = course.lessons.flatMap((l) => l.questions).find((q) => q.id === questionId);
  const choice = question?.choices.find((c) => c.correct === correct);
  if (!choice) throw new Error(`no ${correct ? 'right' : 'wrong'} choice for ${questionId}`);
  return choice.id;
}

describe.each(LANGUAGES)('a yearly renewal, in %s', (language) => {
  const texts = TEXTS[language];
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';

  it('reaches someone who acknowledged 13 months ago, who renews in the bot; HR sees renewal due, then completed', async () => {
    const clock = handClock('2026-10-20T08:00:00Z'); // Tuesday 10:00 in Amsterdam
    h = await startHarness({
      clock,
      env: { POSTWISE_HR_USERS: HR_ID, POSTWISE_ACKNOWLEDGEMENT_MONTHS: '12' },
    });
    const bot = h;
    const anna = bot.user({ locale, name: 'Anna de Vries' });
    const hr = hrUser(bot, locale);
    await bot.stores.roster.put(rosterMember('Anna de Vries', { aad: anna.aadObjectId }));
    await anna.say(texts.language);
    await completeCourse(anna, texts.start);

    /** HR's coverage facts (state and count) and Anna's row of the export. */
    const seen = async () => {
      const card = validCards(await hr.say(texts.coverage)).cards[0] as Record<string, unknown>;
      const facts = (elementOf(card, 'FactSet') as { facts: { title: string; value: string }[] }).facts;
      const link = validCards(await hr.say(texts.export)).cards[0] as Record<string, unknown>;
      const csv = await (await fetch((actionsOf(link)[0] as { url: string }).url)).text();
      const rows = parse<Record<string, string>>(csv.replace(/^\ufeff/, ''), {
        columns: true,
        delimiter: language === 'nl' ? ';' : ',',
      });
      const row = rows.find((r) => r[texts.headers.name] === 'Anna de Vries') ?? {};
      const { status, due, lapses } = texts.headers;
      return {
        line: cardText(card).includes(texts.line),
        facts: Object.fromEntries(facts.map((f) => [f.title, f.value])),
        row: [row[status], row[due], row[lapses]],
      };
    };
    expect((await seen()).row).toEqual([texts.status.completed, '', '2027-10-20']);

    clock.set('2027-11-22T09:00:00Z'); // Monday 10:00, thirteen months later
    const before = await seen();
    expect(before.line).toBe(true);
    expect(before.facts).toMatchObject({ [texts.renewalDue]: '1', [texts.completed]: '0' });
    expect(before.row).toEqual([texts.status.due, '2027-11-03', '2027-10-20']);

    // The leader's job queues one message; the delivery worker sends it to Anna's chat.
    const sentBefore = bot.connector.calls.length;
    expect(await bot.app.sendDueRenewals()).toBe(1);
    await bot.app.deliveriesIdle();
    expect(await bot.app.sendDueRenewals()).toBe(0);
    const messages = bot.connector.calls
      .slice(sentBefore)
      .filter((c) => c.method === 'POST' && c.conversationId === anna.conversationId);
    expect(messages).toHaveLength(1);
    const message = cardsOf(messages[0]?.activity ?? {})[0] as Record<string, unknown>;
    expect(cardText(message)).toContain(texts.title);
    expect(cardText(message)).toContain(texts.intro);

    // Three days later, the one overdue reminder, like a campaign's: the renewal card under an overdue title.
    clock.set('2027-11-25T09:00:00Z');
    const remindedBefore = bot.connector.calls.length;
    expect(await bot.app.remindEmployees()).toBe(1);
    await bot.app.deliveriesIdle();
    const reminders = bot.connector.calls
      .slice(remindedBefore)
      .filter((c) => c.method === 'POST' && c.conversationId === anna.conversationId);
    expect(reminders).toHaveLength(1);
    const reminder = cardText(cardsOf(reminders[0]?.activity ?? {})[0]);
    expect(reminder).toContain(texts.overdue);
    expect(reminder).toContain(texts.intro);

    // Summary, then the questions: the first answered wrong comes back until it is right.
    let card = validCards(await anna.press(message, 'renewalStart')).cards[0] as Record<string, unknown>;
    let missed: string | undefined;
    const asked: string[] = [];
    while (actionsOf(card).some((a) => a.verb === 'renewalAnswer')) {
      const data = actionsOf(card)[0]?.data as { question: string };
      asked.push(data.question);
      missed ??= data.question;
      const wrong = data.question === missed && asked.length === 1;
      const answered = validCards(
        await anna.press(card, 'renewalAnswer', { choice: choiceFor(data.question, !wrong) }),
      );
      if (wrong) expect(cardText(answered.body.value)).toContain(texts.wrong);
      card = answered.cards[0] as Record<string, unknown>;
    }
    expect(asked.length).toBeGreaterThan(2);
    expect(asked.filter((q) => q === missed)).toHaveLength(2);
    expect(asked.at(-1)).toBe(missed);
    const done = await anna.press(card, 'renewalAcknowledge', { agree: 'yes' });
    expect(done.texts).toContain(texts.done);

    const after = await seen();
    expect(after.line).toBe(false);
    expect(after.facts).toMatchObject({ [texts.completed]: '1' });
    expect(after.facts[texts.renewalDue]).toBeUndefined();
    // The renewal's due date stays on the row, as a finished campaign's does.
    expect(after.row).toEqual([texts.status.completed, '2027-11-03', '2028-11-25']);
  });
});
