import { describe, expect, it } from 'vitest';
import { fill } from '../../src/content/ui.js';
import { LANGUAGES, type Question } from '../../src/domain/course/course.js';
import { cardProblems } from '../support/cardSchema.js';
import { useShippedBot } from '../support/shippedBot.js';
import { actionsOf, cardText, shown, type HttpResult } from '../support/harness.js';

const bot = useShippedBot();

function only(result: HttpResult): Record<string, unknown> {
  expect(result.cards).toHaveLength(1);
  const card = result.cards[0] as Record<string, unknown>;
  expect(cardProblems(card)).toEqual([]);
  return card;
}

/** The choice ids a question card offers, top to bottom. */
function choiceOrder(card: Record<string, unknown>): string[] {
  const set = (card.body as { type: string; choices?: { value: string }[] }[]).find(
    (e) => e.type === 'Input.ChoiceSet',
  );
  return (set?.choices ?? []).map((c) => c.value);
}

const right = (q: Question) => q.choices.find((c) => c.correct)?.id ?? '';
const wrong = (q: Question) => q.choices.find((c) => !c.correct)?.id ?? '';

describe.each(LANGUAGES)('an employee who answers every question wrong first, in %s', (language) => {
  it('completes only after answering each one correctly in the review round, and keeps the first-try score', async () => {
    const ui = bot.content.ui[language];
    const course = bot.content.courses[language];
    const questions = course.lessons.flatMap((l) => l.questions);
    const user = bot.h.user({ locale: language === 'nl' ? 'nl-NL' : 'en-GB' });

    let card = only(await user.say('start'));
    for (const lesson of course.lessons) {
      card = only(await user.press(card, 'open'));
      for (const question of lesson.questions) {
        const result = await user.press(card, 'answer', { choice: wrong(question) });
        expect(cardText(result.body.value)).toContain(ui.notQuite);
        card = only(await user.press(result.body.value, 'next'));
      }
    }

    // No acknowledgement yet: every question comes back.
    const refused = await user.click('acknowledge', { version: course.version, agree: 'yes' });
    expect(shown(refused)).toBe(ui.reviewsLeft);
    expect((await bot.h.stores.progress.get(user.aadObjectId))?.acknowledgements).toEqual([]);
    const progress = cardText(only(await user.say(language === 'nl' ? 'voortgang' : 'progress')));
    expect(progress).toContain(ui.progressToReview);
    expect(progress).toContain(fill(ui.progressReview, { count: questions.length }));

    for (const [i, question] of questions.entries()) {
      const lesson = course.lessons.find((l) => l.questions.includes(question));
      const text = cardText(card);
      expect(text).toContain(fill(ui.reviewLeft, { count: questions.length - i }));
      // The lesson's takeaway, then the question.
      expect(text.indexOf(lesson?.takeaway ?? '?')).toBeGreaterThanOrEqual(0);
      expect(text.indexOf(lesson?.takeaway ?? '?')).toBeLessThan(text.indexOf(question.prompt));
      if (i === 0) {
        // Wrong once more: the same question comes back, its choices in another order.
        const result = await user.press(card, 'answer', { choice: wrong(question) });
        expect(cardText(result.body.value)).toContain(ui.notQuite);
        const again = only(await user.press(result.body.value, 'next'));
        expect(cardText(again)).toContain(question.prompt);
        expect(choiceOrder(again)).not.toEqual(choiceOrder(card));
        expect([...choiceOrder(again)].sort()).toEqual([...choiceOrder(card)].sort());
        card = again;
      }
      const result = await user.press(card, 'answer', { choice: right(question) });
      expect(cardText(result.body.value)).toContain(ui.right);
      // A second click on the same card shows the same result and records nothing more.
      const before = await bot.h.stores.progress.get(user.aadObjectId);
      expect((await user.press(card, 'answer', { choice: wrong(question) })).body).toEqual(result.body);
      expect(await bot.h.stores.progress.get(user.aadObjectId)).toEqual(before);
      card = only(await user.press(result.body.value, 'next'));
    }

    expect(cardText(card)).toContain(fill(ui.ackStatement, { version: course.versionName }));
    const completion = await user.press(card, 'acknowledge', { agree: 'yes' });
    expect(cardText(completion.body.value)).toContain(fill(ui.scoreValue, { correct: 0, total: questions.length }));

    const stored = await bot.h.stores.progress.get(user.aadObjectId);
    for (const question of questions)
      expect(stored?.answers[question.id]).toMatchObject({ choiceId: wrong(question), correct: false });
    const events = await bot.h.stores.events.list({ userId: user.aadObjectId });
    expect(events.filter((e) => e.type === 'answered')).toHaveLength(questions.length);
    expect(events.filter((e) => e.type === 'answered' && e.correct)).toEqual([]);
    expect(events.filter((e) => e.type === 'reviewed')).toHaveLength(questions.length + 1);
    expect(events.find((e) => e.type === 'completed')).toMatchObject({ correct: 0, total: questions.length });
    expect(events.find((e) => e.type === 'acknowledged')).toMatchObject({ correct: 0, total: questions.length });
  });
});

describe('the order of the choices', () => {
  it('stays the same for one employee on resume and in the other language', async () => {
    const user = bot.h.user({ locale: 'en-GB' });
    const question = bot.content.courses.en.lessons[0]?.questions[0];
    const lesson = only(await user.say('start'));
    const card = only(await user.press(lesson, 'open'));
    expect(cardText(card)).toContain(question?.prompt);
    const order = choiceOrder(card);
    expect(order).toHaveLength(question?.choices.length ?? -1);

    expect(choiceOrder(only(await user.say('continue')))).toEqual(order);
    await user.say('taal nl');
    const dutch = only(await user.say('verder'));
    expect(cardText(dutch)).toContain(bot.content.courses.nl.lessons[0]?.questions[0]?.prompt);
    expect(choiceOrder(dutch)).toEqual(order);
    // Each choice keeps its own text: the Dutch card shows the Dutch text of the same choice.
    const titles = (
      (dutch.body as { type: string; choices?: { title: string }[] }[]).find((e) => e.type === 'Input.ChoiceSet')
        ?.choices ?? []
    ).map((c) => c.title);
    expect(titles).toEqual(
      order.map((id) => bot.content.courses.nl.lessons[0]?.questions[0]?.choices.find((c) => c.id === id)?.text),
    );
  });

  it('differs between employees: the right answer is not always in the same place', async () => {
    const question = bot.content.courses.en.lessons[0]?.questions[0];
    if (!question) throw new Error('no first question');
    const places = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const user = bot.h.user();
      const card = only(await user.click('open', { lesson: bot.content.courses.en.lessons[0]?.id }));
      places.add(choiceOrder(card).indexOf(right(question)));
    }
    expect([...places].sort()).toEqual(question.choices.map((_, i) => i));
  });
});

describe('an employee who completed before reviews existed', () => {
  it('stays completed, with no review round', async () => {
    const ui = bot.content.ui.en;
    const course = bot.content.courses.en;
    const user = bot.h.user();
    const questions = course.lessons.flatMap((l) => l.questions.map((q) => ({ q, revision: l.revision })));
    const at = '2026-10-01T09:00:00.000Z';
    for (const { id, revision } of course.lessons)
      await bot.h.stores.progress.openLesson(user.aadObjectId, id, at, revision);
    for (const [i, { q, revision }] of questions.entries()) {
      const choice = i % 2 === 0 ? wrong(q) : right(q);
      const answer = {
        questionId: q.id,
        choiceId: choice,
        correct: choice === right(q),
        at,
        version: course.version,
        revision,
      };
      await bot.h.stores.progress.recordAnswer(user.aadObjectId, answer);
    }
    const correct = Math.floor(questions.length / 2);
    await bot.h.stores.progress.recordAcknowledgement(user.aadObjectId, {
      version: course.version,
      at,
      correct,
      total: questions.length,
    });

    const resumed = only(await user.say('continue'));
    expect(cardText(resumed)).toContain(ui.completeTitle);
    expect(cardText(resumed)).toContain(fill(ui.scoreValue, { correct, total: questions.length }));
    const progress = cardText(only(await user.say('progress')));
    expect(progress).toContain(ui.progressDone);
    expect(progress).not.toContain(ui.progressToReview);
    expect(actionsOf(only(await user.say('progress'))).map((a) => a.verb)).not.toContain('next');
  });
});
