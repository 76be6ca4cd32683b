import { addDays } from '../time/calendar.js';
import type { Course, Question } from '../course/course.js';
import { answerOf, type Progress } from '../course/progress.js';
import { choiceOrder, shuffled } from '../course/shuffle.js';

/** One question's place in the Leitner schedule: its box (an index into the intervals) and the day it is due. */
export interface RefresherCard {
  readonly box: number;
  /** YYYY-MM-DD in the organisation's zone. */
  readonly due: string;
}

/** A refresher put to the employee: the n-th, on which question, on which day. */
export interface IssuedRefresher {
  readonly n: number;
  readonly questionId: string;
  readonly day: string;
  readonly at: string;
}

/** The one answer a refresher takes: its first try. */
export interface RefresherAnswer {
  readonly n: number;
  readonly questionId: string;
  readonly choiceId: string;
  readonly correct: boolean;
  readonly at: string;
}

/** One employee's refreshers, keyed by user id. */
export interface Refreshers {
  readonly userId: string;
  /** The day the course was completed; questions never asked in a refresher are due a first interval after it. */
  readonly start: string;
  /** The first day the next refresher may go out. */
  readonly due: string;
  /** Questions asked in a refresher so far. */
  readonly cards: Readonly<Record<string, RefresherCard>>;
  /** The latest refresher put to the employee. */
  readonly issued?: IssuedRefresher;
  /** Answers to the latest few refreshers, newest last: a repeated submit gets its answer back. */
  readonly answers: readonly RefresherAnswer[];
  /** The Monday (YYYY-MM-DD) of the week the latest refresher went out. */
  readonly week?: string;
  /** When the employee said `stop refreshers`; absent while they get them. */
  readonly optedOut?: string;
}

/** Answers kept per employee for repeated submits. */
const ANSWERS_KEPT = 5;
/** The longest quiet spell, in weeks, after refreshers left unanswered. */
const QUIET_WEEKS_MAX = 8;

/** The Monday of the week a YYYY-MM-DD date falls in. */
export function weekOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The Monday after the week of `day`. */
export function nextWeek(day: string): string {
  return addDays(weekOf(day), 7);
}

/** Someone who completed the course on `day` and has no refreshers yet. */
export function enrolled(userId: string, day: string, intervals: readonly number[]): Refreshers {
  return { userId, start: day, due: addDays(day, intervals[0] ?? 3), cards: {}, answers: [] };
}

function cardOf(r: Readonly<Refreshers>, questionId: string, intervals: readonly number[]): RefresherCard {
  return r.cards[questionId] ?? { box: 0, due: addDays(r.start, intervals[0] ?? 3) };
}

/**
 * The question the next refresher asks: of the questions due by `today` (all of them when
 * `anyDue`), one missed on the first try first, then the one due longest, then the next in the
 * employee's own rotation of the course's questions.
 */
export function pickQuestion(
  course: Course,
  r: Readonly<Refreshers>,
  missed: ReadonlySet<string>,
  today: string,
  intervals: readonly number[],
  anyDue = false,
): Question | undefined {
  const questions = course.lessons.flatMap((l) => l.questions);
  const rotation = shuffled(
    questions.map((q) => q.id),
    `${r.userId}\nrefresher`,
  );
  const rank = new Map(rotation.map((id, i) => [id, i]));
  const candidates = questions
    .map((q) => ({ q, card: cardOf(r, q.id, intervals) }))
    .filter(({ card }) => anyDue || card.due <= today)
    .sort(
      (a, b) =>
        Number(!missed.has(a.q.id)) - Number(!missed.has(b.q.id)) ||
        a.card.due.localeCompare(b.card.due) ||
        (rank.get(a.q.id) ?? 0) - (rank.get(b.q.id) ?? 0),
    );
  return candidates[0]?.q;
}

/** The first day after `today` the next refresher may go out: the earliest due question, not before next week. */
export function nextDue(course: Course, r: Readonly<Refreshers>, today: string, intervals: readonly number[]): string {
  const earliest = course.lessons
    .flatMap((l) => l.questions)
    .reduce((min, q) => {
      const due = cardOf(r, q.id, intervals).due;
      return due < min ? due : min;
    }, '9999-12-31');
  const week = nextWeek(today);
  return earliest < week ? week : earliest;
}

/** The refreshers after `answer`: a right answer moves the question up a box, a wrong one back to the first. */
export function afterAnswer(
  course: Course,
  r: Readonly<Refreshers>,
  answer: RefresherAnswer,
  today: string,
  intervals: readonly number[],
): Refreshers {
  const before = cardOf(r, answer.questionId, intervals);
  const box = answer.correct ? Math.min(before.box + 1, intervals.length - 1) : 0;
  const cards = { ...r.cards, [answer.questionId]: { box, due: addDays(today, intervals[box] ?? 3) } };
  const next = { ...r, cards, answers: [...r.answers, answer].slice(-ANSWERS_KEPT) };
  return { ...next, due: nextDue(course, next, today, intervals) };
}

/**
 * The first day a new refresher may go out to someone who left the latest ones unanswered: the
 * gap from the week of the last one doubles with each left in a row (2, 4, then 8 weeks).
 * Undefined when the latest was answered, or there was none.
 */
export function quietUntil(r: Readonly<Refreshers>): string | undefined {
  if (!r.issued) return undefined;
  const lastAnswered = r.answers.reduce((n, a) => Math.max(n, a.n), 0);
  const unanswered = r.issued.n - lastAnswered;
  if (unanswered <= 0) return undefined;
  return addDays(weekOf(r.issued.day), 7 * Math.min(2 ** unanswered, QUIET_WEEKS_MAX));
}

/**
 * The refresher's choices, shuffled per employee and refresher, and never in the order the
 * employee saw on their first try.
 */
export function refresherOrder(question: Question, userId: string, n: number): string[] {
  const ids = question.choices.map((c) => c.id);
  const first = choiceOrder(ids, userId, question.id);
  const order = shuffled(ids, `${userId}\n${question.id}\nrefresher ${n}`);
  const same = order.length > 1 && order.every((id, i) => id === first[i]);
  return same ? [...order.slice(1), ...order.slice(0, 1)] : order;
}

/** Whether refresher `n` has its answer. */
export function answered(r: Readonly<Refreshers>, n: number): boolean {
  return r.answers.some((a) => a.n === n);
}

/** Questions the employee answered wrong on the first try. */
export function missedFirstTry(course: Course, progress: Readonly<Progress>): Set<string> {
  return new Set(
    course.lessons.flatMap((l) =>
      l.questions.filter((q) => answerOf(progress, l, q.id)?.correct === false).map((q) => q.id),
    ),
  );
}
