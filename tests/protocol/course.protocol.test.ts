import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course, Question } from '../../src/domain/course/course.js';
import { cardProblems } from '../support/cardSchema.js';
import { cardText, shown, startHarness, type BotHarness, type HttpResult, type TestUser } from '../support/harness.js';
import { shippedContent } from '../support/shippedContent.js';

let h: BotHarness;
let courses: Record<'en' | 'nl', Course>;

beforeAll(async () => {
  h = await startHarness();
  courses = (await shippedContent()).courses;
});
afterAll(() => h.close());

/** Every card the bot sends or answers with must be a valid Teams card. */
function expectValidCards(result: HttpResult): void {
  const cards = [...result.cards];
  if (result.body?.type === 'application/vnd.microsoft.card.adaptive') cards.push(result.body.value);
  for (const card of cards) expect(cardProblems(card)).toEqual([]);
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

describe.each(['en', 'nl'] as const)('a complete course walk in %s', (language) => {
  it('goes from welcome through every lesson and question to the acknowledgement', async () => {
    const course = courses[language];
    const user = h.user({ locale: language === 'nl' ? 'nl-NL' : 'en-GB' });

    const installed = await user.install();
    expect(installed.status).toBe(200);
    const welcome = only(installed.cards);
    expectValidCards(installed);
    expect(cardText(welcome)).toContain(course.title);
    expect((welcome.actions as { verb: string }[]).map((a) => a.verb)).toEqual(['start', 'later', 'ask']);

    let result = await user.press(welcome, 'start');
    expectValidCards(result);
    let card = only(result.cards);
    let correctCount = 0;
    let total = 0;
    const missed: Question[] = [];

    for (const [li, lesson] of course.lessons.entries()) {
      const text = cardText(card);
      expect(text).toContain(
        language === 'nl'
          ? `Les ${li + 1} van ${course.lessons.length}`
          : `Lesson ${li + 1} of ${course.lessons.length}`,
      );
      expect(text).toContain(lesson.title);
      expect(text).toContain(lesson.takeaway);
      result = await user.press(card, 'open');
      expectValidCards(result);
      card = only(result.cards);

      for (const [qi, question] of lesson.questions.entries()) {
        expect(cardText(card)).toContain(question.prompt);
        const choiceSet = (card.body as Record<string, unknown>[]).find((e) => e.type === 'Input.ChoiceSet');
        expect(choiceSet).toMatchObject({ style: 'expanded', isRequired: true });
        // Alternate: right on even questions, wrong on odd ones.
        const pick =
          (qi + li) % 2 === 0 ? question.choices.find((c) => c.correct) : question.choices.find((c) => !c.correct);
        if (!pick) throw new Error('no choice to pick');
        result = await user.press(card, 'answer', { choice: pick.id });
        expect(result.status).toBe(200);
        expect(result.calls).toHaveLength(0);
        expect(result.body.type).toBe('application/vnd.microsoft.card.adaptive');
        expectValidCards(result);
        const resultCard = result.body.value as Record<string, unknown>;
        expect(cardText(resultCard)).toContain(pick.feedback);
        expect(cardText(resultCard)).toContain(pick.text);
        total += 1;
        if (pick.correct) correctCount += 1;
        else missed.push(question);

        result = await user.press(resultCard, 'next');
        expectValidCards(result);
        card = only(result.cards);
      }
    }

    // Each question missed on the first try comes back once more, after its lesson's takeaway.
    expect(missed.length).toBeGreaterThan(0);
    for (const question of missed) {
      const text = cardText(card);
      expect(text).toContain(course.lessons.find((l) => l.questions.includes(question))?.takeaway);
      expect(text).toContain(question.prompt);
      result = await user.press(card, 'answer', { choice: question.choices.find((c) => c.correct)?.id ?? '' });
      expectValidCards(result);
      result = await user.press(result.body.value, 'next');
      card = only(result.cards);
    }

    // People see a version they can say aloud; the hash stays in the records.
    expect(course.versionName).toMatch(/^\d{4}-\d\d-\d\d #[1-9]\d\d$/);
    expect(cardText(card)).toContain(`(${language === 'nl' ? 'versie' : 'version'} ${course.versionName})`);
    expect(cardText(card)).not.toContain(course.version);
    for (const line of course.summary) expect(cardText(card)).toContain(line);
    result = await user.press(card, 'acknowledge', { agree: 'yes' });
    expectValidCards(result);
    const completion = result.body.value as Record<string, unknown>;
    const completionText = cardText(completion);
    expect(completionText).toContain(course.versionName);
    expect(completionText).not.toContain(course.version);
    expect(completionText).toContain(`${correctCount} ${language === 'nl' ? 'van' : 'of'} ${total}`);
    // Written out on the server in the course's language: a client's own locale plays no part.
    expect(completionText).toContain(language === 'nl' ? '2 november 2026' : '2 November 2026');
    expect(completionText).not.toContain('{{DATE');

    const events = await h.stores.events.list({ userId: user.aadObjectId });
    expect(events.filter((e) => e.type === 'answered')).toHaveLength(total);
    expect(events.filter((e) => e.type === 'reviewed')).toHaveLength(missed.length);
    expect(events.filter((e) => e.type === 'completed')).toHaveLength(1);
    const ack = only(events.filter((e) => e.type === 'acknowledged'));
    expect(ack).toMatchObject({ version: course.version, correct: correctCount, total });
    expect(events.every((e) => e.version === course.version)).toBe(true);

    const progress = await user.say(language === 'nl' ? 'voortgang' : 'progress');
    expectValidCards(progress);
    expect(cardText(only(progress.cards))).toContain(
      `${course.lessons.length} ${language === 'nl' ? 'van' : 'of'} ${course.lessons.length}`,
    );
    // Every question answered: the score cannot be read as "answered so many of so many".
    const rightFirstTime =
      language === 'nl'
        ? `${correctCount} van de ${total} vragen in één keer goed`
        : `${correctCount} of the ${total} questions right first time`;
    expect(cardText(only(progress.cards))).toContain(rightFirstTime);
  });
});

async function startCourse(user: TestUser): Promise<Record<string, unknown>> {
  const started = await user.say('start');
  return only(started.cards);
}

describe('answering', () => {
  it('replaces the question card with the recorded result on a second click, and changes nothing', async () => {
    const user = h.user();
    const lesson = await startCourse(user);
    const question = only((await user.press(lesson, 'open')).cards);
    const first = courses.en.lessons[0]?.questions[0];
    const wrong = first?.choices.find((c) => !c.correct);
    const right = first?.choices.find((c) => c.correct);
    const answered = await user.press(question, 'answer', { choice: wrong?.id ?? '' });
    const before = await h.stores.progress.get(user.aadObjectId);
    const eventsBefore = await h.stores.events.list({ userId: user.aadObjectId });

    const again = await user.press(question, 'answer', { choice: right?.id ?? '' });
    expect(again.body).toEqual(answered.body);
    expect(cardText(again.body.value)).toContain(wrong?.feedback);
    expect(await h.stores.progress.get(user.aadObjectId)).toEqual(before);
    expect(await h.stores.events.list({ userId: user.aadObjectId })).toEqual(eventsBefore);
  });

  it('refuses a question the employee has not reached, and stores nothing', async () => {
    const user = h.user();
    await startCourse(user);
    const later = courses.en.lessons[4]?.questions[0];
    const result = await user.click('answer', { question: later?.id, choice: 'a' });
    expect(shown(result)).toMatch(/not reached/);
    expect(cardText(only(result.cards))).toContain('Lesson 1 of');
    expect((await h.stores.progress.get(user.aadObjectId))?.answers ?? {}).toEqual({});
  });

  it.each([
    ['an unknown question', { question: 'no-such-question', choice: 'a' }, /out of date or not valid/],
    ['an unknown choice', { choice: 'z' }, /out of date or not valid/],
    ['no choice at all', {}, /Choose an answer first/],
    ['a question id that is not text', { question: { $gt: '' }, choice: 'a' }, /out of date or not valid/],
  ])('answers a submit with %s with a clear refusal and stores nothing', async (_name, data, message) => {
    const user = h.user();
    const lesson = await startCourse(user);
    const question = only((await user.press(lesson, 'open')).cards);
    const questionId = (question.actions as { data: { question: string } }[])[0]?.data.question;
    const result = await user.click('answer', { question: questionId, ...data });
    expect(shown(result)).toMatch(message);
    expect((await h.stores.progress.get(user.aadObjectId))?.answers).toEqual({});
    expect(await h.stores.events.list({ userId: user.aadObjectId })).toEqual([]);
  });

  it('refuses to open a lesson further on, or one that does not exist', async () => {
    const user = h.user();
    await startCourse(user);
    const far = await user.click('open', { lesson: courses.en.lessons[3]?.id });
    expect(shown(far)).toMatch(/not reached/);
    const none = await user.click('open', { lesson: 'no-such-lesson' });
    expect(shown(none)).toMatch(/out of date/);
    expect((await h.stores.progress.get(user.aadObjectId))?.lessonsOpened ?? []).toEqual([]);
  });

  it('refuses an unknown card verb', async () => {
    const user = h.user();
    const result = await user.click('deleteEverything', {});
    expect(shown(result)).toMatch(/out of date/);
    expect(await h.stores.progress.get(user.aadObjectId)).toBeUndefined();
  });
});

describe('acknowledging', () => {
  it('is refused before the last lesson, and for another version', async () => {
    const user = h.user();
    await startCourse(user);
    const early = await user.click('acknowledge', { version: courses.en.version, agree: 'yes' });
    expect(shown(early)).toMatch(/finish all the lessons/);
    const stale = await user.click('acknowledge', { version: 'old-version', agree: 'yes' });
    expect(shown(stale)).toMatch(/policy has changed/);
    const unticked = await user.click('acknowledge', { version: courses.en.version, agree: 'no' });
    expect(shown(unticked)).toMatch(/^Tick the box to confirm that you have read and understood the policy/);
    expect((await h.stores.progress.get(user.aadObjectId))?.acknowledgements ?? []).toEqual([]);
  });
});
