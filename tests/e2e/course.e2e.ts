import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadContent, type Content } from '../../src/content/load.js';
import { fill } from '../../src/content/ui.js';
import type { Language } from '../../src/domain/course/course.js';
import { PlaygroundSession } from './playgroundSession.js';

interface Run {
  readonly language: Language;
  /** How the language is chosen. */
  readonly how: string;
  /** The typed command that switches to it, if the Playground's own locale does not. */
  readonly switchTo?: string;
  readonly progressCommand: string;
  readonly answer: 'right' | 'wrong';
}

const RUNS: readonly Run[] = [
  { language: 'en', how: "the Playground's locale (en-US)", progressCommand: 'progress', answer: 'wrong' },
  { language: 'nl', how: 'typing taal nl', switchTo: 'taal nl', progressCommand: 'voortgang', answer: 'right' },
];

let content: Content;
beforeAll(async () => {
  const config = loadConfig({});
  content = await loadContent(config.contentDir, config.org);
});

describe('an employee takes the course in the Microsoft 365 Agents Playground, in chromium', () => {
  for (const run of RUNS) {
    it(`in ${run.language}, chosen by ${run.how}`, async () => {
      const session = await PlaygroundSession.open(run.language);
      try {
        await takeCourse(session, run);
      } catch (error) {
        const messages = await session.saveFailure();
        console.error(
          `The ${run.language} run failed; screenshots and logs are in ${session.artifacts}. What the page ` +
            `showed:\n${messages}`,
        );
        throw error;
      } finally {
        await session.close();
      }
    });
  }
});

/** Welcome, start, a lesson, a question answered, the feedback in its place, progress; a screenshot at each step. */
async function takeCourse(s: PlaygroundSession, run: Run): Promise<void> {
  const ui = content.ui[run.language];
  const course = content.courses[run.language];
  const lesson = course.lessons[0];
  const question = lesson?.questions[0];
  const choice = question?.choices.find((c) => c.correct === (run.answer === 'right'));
  if (!lesson || !question || !choice) throw new Error('content/ has no first lesson with a question');

  // The Playground installs the app with locale en-US, so the welcome card is English in both runs.
  const english = content.ui.en;
  const welcome = s.cardWithHeading(fill(english.welcomeTitle, { course: content.courses.en.title }));
  await welcome.waitFor();
  await s.screenshot('welcome', welcome);

  if (run.switchTo) {
    await s.send(run.switchTo);
    const confirmation = s.message(ui.languageSet);
    await confirmation.waitFor();
    await s.screenshot('language', confirmation);
  }

  await welcome.getByRole('button', { name: english.start, exact: true }).click();
  const lessonCard = s.cardWithHeading(lesson.title);
  await lessonCard.getByText(ui.remember, { exact: true }).waitFor();
  await lessonCard.getByText(lesson.takeaway, { exact: true }).waitFor();
  await s.screenshot('lesson', lessonCard);

  const toQuestions = lesson.questions.length === 1 ? ui.toQuestion : ui.toQuestions;
  await lessonCard.getByRole('button', { name: toQuestions, exact: true }).click();
  const questionCard = s.cards.filter({ has: s.page.getByRole('radiogroup') });
  await questionCard.getByText(question.prompt, { exact: true }).waitFor();
  const cardCount = await s.cards.count();
  const place = cardCount - 1;
  expect(await s.cards.nth(place).getByRole('radiogroup').count()).toBe(1);
  await s.screenshot('question', questionCard);

  await questionCard.getByRole('radio', { name: choice.text, exact: true }).check();
  await questionCard.getByRole('button', { name: ui.check, exact: true }).click();
  const result = s.cards.nth(place);
  await result.getByText(run.answer === 'right' ? ui.right : ui.notQuite, { exact: true }).waitFor();
  await result.getByText(choice.feedback, { exact: true }).waitFor();
  const better = question.choices.find((c) => c.correct);
  if (run.answer === 'wrong' && better) {
    await result.getByText(fill(ui.rightAnswer, { answer: better.text }), { exact: true }).waitFor();
    await result.getByText(better.feedback, { exact: true }).waitFor();
  }
  expect(await s.cards.count()).toBe(cardCount);
  expect(await s.page.getByRole('radiogroup').count()).toBe(0);
  await s.screenshot('feedback', result);

  await s.send(run.progressCommand);
  const total = course.lessons.reduce((n, l) => n + l.questions.length, 0);
  const score = fill(ui.answeredValue, { correct: run.answer === 'right' ? 1 : 0, answered: 1, left: total - 1 });
  const progress = s.cardWithHeading(ui.progressTitle);
  await progress.getByText(score, { exact: true }).waitFor();
  await s.screenshot('progress', progress);

  // A reload empties the chat and installs the app again: the employee is welcomed back where they are.
  await s.page.reload();
  const back = s.cardWithHeading(ui.welcomeBackTitle);
  await back.getByText(score, { exact: true }).waitFor();
  await back.getByText(fill(ui.lessonsValue, { done: 0, total: course.lessons.length }), { exact: true }).waitFor();
  expect(await welcome.count()).toBe(0);
  await s.screenshot('welcome-back', back);
  await back.getByRole('button', { name: ui.continue, exact: true }).click();
  const next = lesson.questions[1]?.prompt ?? course.lessons[1]?.title ?? '';
  await s.cards.last().getByText(next, { exact: true }).waitFor();
  await s.screenshot('continued', s.cards.last());
}
