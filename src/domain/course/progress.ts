import { findQuestion, type Course, type Language, type Lesson, type Question } from './course.js';
import { choiceOrder } from './shuffle.js';
import { lapseDay, type Validity } from './validity.js';

/** One recorded answer. The first answer to a question is final. */
export interface Answer {
  readonly questionId: string;
  readonly choiceId: string;
  readonly correct: boolean;
  readonly at: string;
  readonly version: string;
  /** The revision of the question's lesson it was given on; absent in records made before revisions (revision 1). */
  readonly revision?: number;
}

/** "I have read and understood the policy (version X)", with the score it was given on. */
export interface Acknowledgement {
  readonly version: string;
  readonly at: string;
  readonly correct: number;
  readonly total: number;
  /** Each lesson's revision at the time; absent in records made before revisions (every lesson at revision 1). */
  readonly revisions?: Readonly<Record<string, number>>;
  /** On a renewal: the day the acknowledgement it renews lapsed. */
  readonly renews?: string;
}

/** A renewal under way: the questions put again once an acknowledgement lapsed, and the attempts at them. */
export interface RenewalRound {
  /** The day the acknowledgement it renews lapsed. */
  readonly lapse: string;
  readonly questions: readonly string[];
  /** Attempts at each question, in order; the last is the right one once it is answered correctly. */
  readonly attempts: Readonly<Record<string, readonly Answer[]>>;
}

/** One employee's state in the course. */
export interface Progress {
  readonly userId: string;
  readonly language?: Language;
  readonly lessonsOpened: readonly string[];
  /** The revision each lesson was last opened at; a lesson missing here was opened at revision 1. */
  readonly lessonRevisions?: Readonly<Record<string, number>>;
  /** The first answer to each question: the scored one, never changed. */
  readonly answers: Readonly<Record<string, Answer>>;
  /**
   * Review attempts at questions missed on the first try, in order (attempt n at index n-1);
   * the last is the correct one once the question is mastered. Absent in records made before reviews.
   */
  readonly reviews?: Readonly<Record<string, readonly Answer[]>>;
  readonly acknowledgements: readonly Acknowledgement[];
  /** First answers and review attempts given on an older revision of the question's lesson, kept for the record. */
  readonly earlier?: Readonly<Record<string, readonly Answer[]>>;
  /** The latest renewal; its attempts never count as first tries. */
  readonly renewal?: RenewalRound;
  readonly lastActivityAt?: string;
}

export function emptyProgress(userId: string): Progress {
  return { userId, lessonsOpened: [], answers: {}, acknowledgements: [] };
}

/** What the employee should see next. */
export type Step =
  | { readonly kind: 'lesson'; readonly lesson: Lesson; readonly lessonIndex: number }
  | {
      readonly kind: 'question';
      readonly lesson: Lesson;
      readonly lessonIndex: number;
      readonly question: Question;
      readonly questionIndex: number;
      /** Choice ids in the order this employee sees them. */
      readonly order: readonly string[];
    }
  | {
      /** A question missed on the first try, asked again after the lesson's takeaway. */
      readonly kind: 'review';
      readonly lesson: Lesson;
      readonly lessonIndex: number;
      readonly question: Question;
      readonly questionIndex: number;
      readonly order: readonly string[];
      /** Which review attempt at this question this is, from 1. */
      readonly attempt: number;
      /** Questions still to answer correctly, this one included. */
      readonly left: number;
    }
  | { readonly kind: 'acknowledge' }
  | { readonly kind: 'complete'; readonly acknowledgement: Acknowledgement };

export function acknowledgementOf(progress: Progress, version: string): Acknowledgement | undefined {
  return progress.acknowledgements.find((a) => a.version === version);
}

/** The latest acknowledgement of `version`: a renewal's when there is one. */
export function currentAcknowledgement(progress: Readonly<Progress>, version: string): Acknowledgement | undefined {
  return progress.acknowledgements.reduce<Acknowledgement | undefined>(
    (l, a) => (a.version === version && (l === undefined || a.at > l.at) ? a : l),
    undefined,
  );
}

/** The day this version's latest acknowledgement lapses on; undefined without one, or when they never lapse. */
export function lapsesOn(
  course: Course,
  progress: Readonly<Progress>,
  validity: Validity | undefined,
): string | undefined {
  const ack = validity && currentAcknowledgement(progress, course.version);
  return ack && validity ? lapseDay(ack.at, validity) : undefined;
}

/** Each lesson's revision in this course, by lesson id. */
export function revisionsOf(course: Course): Record<string, number> {
  return Object.fromEntries(course.lessons.map((l) => [l.id, l.revision]));
}

/** The employee's most recent acknowledgement, of whatever version. */
export function latestAcknowledgement(progress: Readonly<Progress>): Acknowledgement | undefined {
  return progress.acknowledgements.reduce<Acknowledgement | undefined>(
    (l, a) => (l === undefined || a.at > l.at ? a : l),
    undefined,
  );
}

/**
 * Lessons whose revision rose, or that were added, since the employee's latest acknowledgement;
 * an acknowledgement from before revisions counts as revision 1 of every lesson then in the course.
 * Empty when the employee never acknowledged.
 */
export function changedSince(course: Course, progress: Readonly<Progress>): Lesson[] {
  const latest = latestAcknowledgement(progress);
  if (!latest || latest.version === course.version) return [];
  return course.lessons.filter((l) => {
    const before = latest.revisions ? latest.revisions[l.id] : 1;
    return before === undefined || l.revision > before;
  });
}

/** Opened at the lesson's current revision: a lesson whose revision rose since is to be read again. */
export function isOpened(progress: Readonly<Progress>, lesson: Lesson): boolean {
  return progress.lessonsOpened.includes(lesson.id) && (progress.lessonRevisions?.[lesson.id] ?? 1) >= lesson.revision;
}

/** The first answer to a question of `lesson`, unless it was given on an older revision of the lesson. */
export function answerOf(progress: Readonly<Progress>, lesson: Lesson, questionId: string): Answer | undefined {
  const answer = progress.answers[questionId];
  return answer && (answer.revision ?? 1) >= lesson.revision ? answer : undefined;
}

/** The review attempts at a question so far. */
export function reviewsOf(progress: Readonly<Progress>, questionId: string): readonly Answer[] {
  return progress.reviews?.[questionId] ?? [];
}

/** Answered correctly once: on the first try or in a review. */
export function isMastered(progress: Readonly<Progress>, questionId: string): boolean {
  return progress.answers[questionId]?.correct === true || reviewsOf(progress, questionId).some((r) => r.correct);
}

/** Questions of this course missed on the first try and not yet answered correctly in a review. */
export function toReview(course: Course, progress: Readonly<Progress>): Question[] {
  return course.lessons.flatMap((l) =>
    l.questions.filter((q) => answerOf(progress, l, q.id) && !isMastered(progress, q.id)),
  );
}

/**
 * The first lesson not yet opened or question not yet answered; then, unless this version is
 * acknowledged, each question missed on the first try until it is answered correctly; then the
 * acknowledgement. An acknowledgement made before reviews existed keeps the course complete.
 */
export function nextStep(course: Course, progress: Progress): Step {
  for (const [lessonIndex, lesson] of course.lessons.entries()) {
    if (!isOpened(progress, lesson)) return { kind: 'lesson', lesson, lessonIndex };
    for (const [questionIndex, question] of lesson.questions.entries()) {
      if (!answerOf(progress, lesson, question.id)) {
        const order = choiceOrder(
          question.choices.map((c) => c.id),
          progress.userId,
          question.id,
        );
        return { kind: 'question', lesson, lessonIndex, question, questionIndex, order };
      }
    }
  }
  const acknowledgement = acknowledgementOf(progress, course.version);
  if (acknowledgement) return { kind: 'complete', acknowledgement };
  const missed = toReview(course, progress);
  const place = missed[0] && findQuestion(course, missed[0].id);
  if (!place) return { kind: 'acknowledge' };
  const { lesson, lessonIndex, question, questionIndex } = place;
  const attempt = reviewsOf(progress, question.id).length + 1;
  const order = choiceOrder(
    question.choices.map((c) => c.id),
    progress.userId,
    question.id,
    attempt,
  );
  return { kind: 'review', lesson, lessonIndex, question, questionIndex, order, attempt, left: missed.length };
}

export interface Score {
  readonly correct: number;
  readonly answered: number;
  readonly total: number;
}

/** Counts answers to the questions of this course; answers to removed questions do not count. */
export function score(course: Course, progress: Progress): Score {
  let correct = 0;
  let answered = 0;
  let total = 0;
  for (const lesson of course.lessons) {
    for (const question of lesson.questions) {
      total += 1;
      const answer = answerOf(progress, lesson, question.id);
      if (answer) {
        answered += 1;
        if (answer.correct) correct += 1;
      }
    }
  }
  return { correct, answered, total };
}

/**
 * When every question of this course had been answered correctly once (the later of the
 * first-try-correct and review-correct times); undefined while one is not yet.
 */
export function masteredAt(course: Course, progress: Readonly<Progress>): string | undefined {
  let latest = '';
  for (const lesson of course.lessons) {
    for (const question of lesson.questions) {
      const first = answerOf(progress, lesson, question.id);
      if (!first) return undefined;
      const at = first.correct ? first.at : reviewsOf(progress, question.id).find((r) => r.correct)?.at;
      if (at === undefined) return undefined;
      if (at > latest) latest = at;
    }
  }
  return latest === '' ? undefined : latest;
}

/** Lessons opened with every question answered. */
export function lessonsDone(course: Course, progress: Progress): number {
  return course.lessons.filter((l) => isOpened(progress, l) && l.questions.every((q) => answerOf(progress, l, q.id)))
    .length;
}

/** A lesson can be opened once every lesson before it is done. */
export function isLessonReached(course: Course, progress: Progress, lessonIndex: number): boolean {
  const step = nextStep(course, progress);
  // Reviews come after the last lesson: every lesson is reached by then.
  if (step.kind === 'lesson' || step.kind === 'question') return lessonIndex <= step.lessonIndex;
  return true;
}

/**
 * Where an employee stands for HR: completed means every lesson done and this version acknowledged;
 * needs-reacknowledge means an earlier version acknowledged but not this one; renewal-due means
 * completed, but the latest acknowledgement is older than the validity allows.
 */
export type MemberStatus = 'not-started' | 'in-progress' | 'needs-reacknowledge' | 'renewal-due' | 'completed';

/** Acknowledgements lapse (once `today`, YYYY-MM-DD, reaches their lapse day) only when given one. */
export interface RenewalClock {
  readonly validity: Validity | undefined;
  readonly today: string;
}

export function memberStatus(
  course: Course,
  progress: Readonly<Progress> | undefined,
  renewal?: RenewalClock,
): MemberStatus {
  if (
    !progress ||
    (progress.lessonsOpened.length === 0 &&
      Object.keys(progress.answers).length === 0 &&
      progress.acknowledgements.length === 0)
  ) {
    return 'not-started';
  }
  // Completion needs this version's acknowledgement: without one, no need to walk the course.
  if (!acknowledgementOf(progress, course.version))
    return progress.acknowledgements.length > 0 ? 'needs-reacknowledge' : 'in-progress';
  if (nextStep(course, progress).kind !== 'complete') return 'in-progress';
  return renewal ? statusOn('completed', lapsesOn(course, progress, renewal.validity), renewal.today) : 'completed';
}

/** The status on `today` of someone whose status without a clock is `status`, and whose acknowledgement lapses then. */
export function statusOn(status: MemberStatus, lapse: string | undefined, today: string): MemberStatus {
  return status === 'completed' && lapse !== undefined && lapse <= today ? 'renewal-due' : status;
}
