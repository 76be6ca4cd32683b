import { findQuestion, type Course, type QuestionPlace } from '../course/course.js';
import { lapsesOn, memberStatus, type Progress, type RenewalRound } from '../course/progress.js';
import { choiceOrder, shuffled } from '../course/shuffle.js';
import type { Refreshers } from '../refreshers/refresher.js';
import { missedFirstTry } from '../refreshers/refresher.js';
import type { Validity } from '../course/validity.js';

/** Questions a renewal puts again. */
export const RENEWAL_QUESTIONS = 5;

/** What someone whose acknowledgement lapsed sees next. */
export type RenewalStep =
  | { readonly kind: 'summary'; readonly lapse: string }
  | {
      readonly kind: 'question';
      readonly lapse: string;
      readonly place: QuestionPlace;
      /** Which attempt at this question this is, from 1. */
      readonly attempt: number;
      readonly order: readonly string[];
      /** Questions still to answer correctly, this one included. */
      readonly left: number;
    }
  | { readonly kind: 'acknowledge'; readonly lapse: string };

/**
 * The renewal's questions: those missed on the first try or in the latest refresher at them
 * first, then the rest, each group in an order of this person's and this renewal's own.
 */
export function renewalQuestions(
  course: Course,
  progress: Readonly<Progress>,
  refreshers: Readonly<Refreshers> | undefined,
  lapse: string,
): string[] {
  const missed = missedFirstTry(course, progress);
  for (const [id, card] of Object.entries(refreshers?.cards ?? {})) if (card.box === 0) missed.add(id);
  const ids = course.lessons.flatMap((l) => l.questions.map((q) => q.id));
  const seed = `${progress.userId}\nrenewal ${lapse}`;
  const first = shuffled(
    ids.filter((id) => missed.has(id)),
    seed,
  );
  const rest = shuffled(
    ids.filter((id) => !missed.has(id)),
    seed,
  );
  return [...first, ...rest].slice(0, RENEWAL_QUESTIONS);
}

function mastered(round: RenewalRound, questionId: string): boolean {
  return (round.attempts[questionId] ?? []).some((a) => a.correct);
}

/**
 * Where a renewal stands; undefined when none is due. First the course summary; then each
 * question once, then again each one answered wrong until it is right; then the acknowledgement.
 */
export function renewalStep(
  course: Course,
  progress: Readonly<Progress> | undefined,
  validity: Validity | undefined,
  today: string,
): RenewalStep | undefined {
  if (!progress || memberStatus(course, progress, { validity, today }) !== 'renewal-due') return undefined;
  const lapse = lapsesOn(course, progress, validity) ?? today;
  const round = progress.renewal;
  if (round?.lapse !== lapse) return { kind: 'summary', lapse };
  const open = round.questions.filter((id) => !mastered(round, id));
  const next = open.find((id) => (round.attempts[id] ?? []).length === 0) ?? open[0];
  const place = next === undefined ? undefined : findQuestion(course, next);
  if (!place) return { kind: 'acknowledge', lapse };
  const attempt = (round.attempts[place.question.id] ?? []).length + 1;
  const ids = place.question.choices.map((c) => c.id);
  const order = choiceOrder(ids, `${progress.userId}\nrenewal ${lapse}`, place.question.id, attempt);
  return { kind: 'question', lapse, place, attempt, order, left: open.length };
}
