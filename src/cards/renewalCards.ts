import type { Answer } from '../domain/course/progress.js';
import type { RenewalStep } from '../domain/renewal/renewal.js';
import { longDate, type LanguagePack } from './languagePack.js';
import type { CardJson } from './templates.js';

type QuestionStep = Extract<RenewalStep, { kind: 'question' }>;

/** A day (YYYY-MM-DD) written out in the pack's language. */
function lapseDate(pack: LanguagePack, lapse: string): string {
  return longDate(`${lapse}T12:00:00Z`, pack.language, 'UTC');
}

/** A reminder of a renewal: its due date, and whether that has passed. */
export interface RenewalReminder {
  readonly due: string;
  readonly overdue: boolean;
}

function titleOf(pack: LanguagePack, reminder: RenewalReminder | undefined): string {
  if (!reminder) return pack.text('renewalTitle');
  const due = lapseDate(pack, reminder.due);
  return pack.text(reminder.overdue ? 'renewalOverdueTitle' : 'renewalReminderTitle', { due });
}

/**
 * The card a renewal step shows: the summary with a start button, a question, or the new acknowledgement;
 * as a reminder, its title gives the due date.
 */
export function renewalCard(pack: LanguagePack, step: RenewalStep, reminder?: RenewalReminder): CardJson {
  const title = titleOf(pack, reminder);
  if (step.kind === 'summary')
    return pack.render('renewal', {
      title,
      intro: pack.text('renewalIntro', { date: lapseDate(pack, step.lapse) }),
      summary: pack.course.summary,
      lapse: step.lapse,
    });
  if (step.kind === 'acknowledge')
    return pack.render('renewalAcknowledge', {
      title,
      statement: pack.text('ackStatement', { version: pack.course.versionName }),
      required: pack.text('ackRequired'),
      lapse: step.lapse,
    });
  return renewalQuestionCard(pack, step, title);
}

function renewalQuestionCard(pack: LanguagePack, step: QuestionStep, title: string): CardJson {
  const lesson = pack.course.lessons[step.place.lessonIndex];
  const question = lesson?.questions[step.place.questionIndex];
  if (!lesson || !question) throw new Error(`No question at ${step.place.lessonIndex}/${step.place.questionIndex}`);
  return pack.render('renewalQuestion', {
    title,
    questionId: question.id,
    lapse: step.lapse,
    attempt: String(step.attempt),
    left: pack.text('renewalLeft', { left: step.left }),
    lesson: lesson.title,
    scenario: question.scenario ?? null,
    prompt: question.prompt,
    choices: step.order.flatMap((id) =>
      question.choices.filter((c) => c.id === id).map((c) => ({ id: c.id, text: c.text })),
    ),
  });
}

/** What a renewal answer was: right or not, why, and the lesson's key point. */
export function renewalResultCard(pack: LanguagePack, lessonIndex: number, questionIndex: number, answer: Answer) {
  const lesson = pack.course.lessons[lessonIndex];
  const question = lesson?.questions[questionIndex];
  if (!lesson || !question) throw new Error(`No question at ${lessonIndex}/${questionIndex}`);
  return pack.render('renewalResult', {
    prompt: question.prompt,
    ...pack.verdict(question, answer),
    lesson: lesson.title,
    takeaway: lesson.takeaway,
  });
}
