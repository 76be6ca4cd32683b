import type { Clock } from '../time/clock.js';
import { findLesson, findQuestion, type Course, type Language, type Lesson, type QuestionPlace } from './course.js';
import type { CourseEvent } from './events.js';
import { LateEvents } from './lateEvents.js';
import type { EventLog, ProgressStore } from './ports.js';
import {
  acknowledgementOf,
  emptyProgress,
  answerOf,
  changedSince,
  isLessonReached,
  isOpened,
  lessonsDone,
  nextStep,
  reviewsOf,
  revisionsOf,
  score,
  toReview,
  type Acknowledgement,
  type Answer,
  type Progress,
  type Score,
  type Step,
} from './progress.js';
import { grade } from './quiz.js';
import { recoverEvents, recoverEventsOf } from './recovery.js';

export interface CourseState {
  readonly progress: Progress;
  readonly step: Step;
  readonly score: Score;
  readonly lessonsDone: number;
  /** Questions missed on the first try and not yet answered correctly in a review. */
  readonly reviewsLeft: number;
  /**
   * Lessons changed since the employee's latest acknowledgement, while none of them is opened again yet: the "what
   * changed" card comes first.
   */
  readonly whatChanged: readonly Lesson[];
}

export type OpenLessonOutcome =
  { readonly kind: 'opened'; readonly state: CourseState } | { readonly kind: 'unknown-lesson' | 'not-reached' };

export type AnswerOutcome =
  | { readonly kind: 'recorded' | 'replayed'; readonly place: QuestionPlace; readonly answer: Answer }
  | { readonly kind: 'unknown-question' | 'unknown-choice' | 'not-reached' };

export type AcknowledgeOutcome =
  | { readonly kind: 'acknowledged' | 'replayed'; readonly acknowledgement: Acknowledgement }
  /** `reviews-left`: every question answered, but not every one answered correctly yet. */
  | { readonly kind: 'not-finished' | 'reviews-left' | 'outdated-version' };

/** The course rules: what comes next, what may be answered, what gets recorded. */
export class CourseService {
  private readonly structure: Course;
  private readonly appender: LateEvents;

  constructor(
    private readonly courses: Readonly<Record<Language, Course>>,
    private readonly progressStore: ProgressStore,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {
    this.structure = courses.en;
    this.appender = new LateEvents(events);
  }

  get version(): string {
    return this.structure.version;
  }

  course(language: Language): Course {
    return this.courses[language];
  }

  async progress(userId: string): Promise<Progress> {
    return (await this.progressStore.get(userId)) ?? emptyProgress(userId);
  }

  async state(userId: string): Promise<CourseState> {
    return this.stateOf(await this.progress(userId));
  }

  /** The language the employee chose, if any. */
  language(userId: string): Promise<Language | undefined> {
    return this.progressStore.language(userId);
  }

  async setLanguage(userId: string, language: Language): Promise<void> {
    await this.progressStore.setLanguage(userId, language, this.now());
  }

  /** Opens a lesson the employee has reached and says what comes next. */
  async openLesson(userId: string, lessonId: string): Promise<OpenLessonOutcome> {
    const found = findLesson(this.structure, lessonId);
    if (!found) return { kind: 'unknown-lesson' };
    const progress = await this.progress(userId);
    if (isOpened(progress, found.lesson)) return { kind: 'opened', state: this.stateOf(progress) };
    if (!isLessonReached(this.structure, progress, found.index)) return { kind: 'not-reached' };
    return {
      kind: 'opened',
      state: this.stateOf(await this.progressStore.openLesson(userId, lessonId, this.now(), found.lesson.revision)),
    };
  }

  /**
   * Records the first answer to a question; any later submit from the question card gets that
   * first answer back. A submit from a review card (`review`: its attempt number) records that
   * review attempt, once, when it is the one the employee is at; a repeat gets it back.
   */
  async answer(userId: string, questionId: string, choiceId: string, review?: number): Promise<AnswerOutcome> {
    const place = findQuestion(this.structure, questionId);
    if (!place) return { kind: 'unknown-question' };
    const progress = await this.progress(userId);
    if (review !== undefined) return this.review(progress, place, choiceId, review);
    const earlier = answerOf(progress, place.lesson, questionId);
    if (earlier) return { kind: 'replayed', place, answer: earlier };
    if (!isOpened(progress, place.lesson)) return { kind: 'not-reached' };
    const answer = this.graded(place, choiceId);
    if (!answer) return { kind: 'unknown-choice' };
    const saved = await this.progressStore.recordAnswer(userId, answer);
    const stored = saved.progress.answers[questionId] ?? answer;
    if (!saved.created) return { kind: 'replayed', place, answer: stored };
    await this.appender.append(this.answerEvents(saved.progress, stored));
    return { kind: 'recorded', place, answer: stored };
  }

  /** The choice as an answer to the question at `place`, graded now; undefined for a choice it does not have. */
  private graded(place: QuestionPlace, choiceId: string): Answer | undefined {
    const graded = grade(place.question, choiceId);
    if (!graded) return undefined;
    const { version } = this;
    const { revision } = place.lesson;
    return { questionId: place.question.id, choiceId, correct: graded.correct, at: this.now(), version, revision };
  }

  private async review(
    progress: Progress,
    place: QuestionPlace,
    choiceId: string,
    attempt: number,
  ): Promise<AnswerOutcome> {
    const { userId } = progress;
    const questionId = place.question.id;
    const earlier = reviewsOf(progress, questionId)[attempt - 1];
    if (earlier) return { kind: 'replayed', place, answer: earlier };
    const step = nextStep(this.structure, progress);
    if (step.kind !== 'review' || step.question.id !== questionId || step.attempt !== attempt)
      return { kind: 'not-reached' };
    const answer = this.graded(place, choiceId);
    if (!answer) return { kind: 'unknown-choice' };
    const saved = await this.progressStore.recordReview(userId, attempt, answer);
    const stored = reviewsOf(saved.progress, questionId)[attempt - 1];
    if (!saved.created) return stored ? { kind: 'replayed', place, answer: stored } : { kind: 'not-reached' };
    await this.appender.append([reviewedEvent(userId, attempt, answer), ...this.completedEvents(saved.progress)]);
    return { kind: 'recorded', place, answer };
  }

  /**
   * Acknowledges the current policy version once every question is answered correctly, on the first try or in a review.
   */
  async acknowledge(userId: string, version: string): Promise<AcknowledgeOutcome> {
    const progress = await this.progress(userId);
    const earlier = acknowledgementOf(progress, version);
    if (earlier) return { kind: 'replayed', acknowledgement: earlier };
    if (version !== this.version) return { kind: 'outdated-version' };
    const { correct, answered, total } = score(this.structure, progress);
    if (answered < total) return { kind: 'not-finished' };
    if (toReview(this.structure, progress).length > 0) return { kind: 'reviews-left' };
    const ack: Acknowledgement = { version, at: this.now(), correct, total, revisions: revisionsOf(this.structure) };
    const saved = await this.progressStore.recordAcknowledgement(userId, ack);
    const stored = acknowledgementOf(saved.progress, version) ?? ack;
    if (!saved.created) return { kind: 'replayed', acknowledgement: stored };
    await this.appender.append([acknowledgedEvent(userId, stored)]);
    return { kind: 'acknowledged', acknowledgement: stored };
  }

  /** Appends the events the store did not confirm in time (see LateEvents); returns how many still wait. */
  appendLate(): Promise<number> {
    return this.appender.retry();
  }

  /** Appends the events of stored progress whose events were not (see recovery.ts); returns how many. */
  recoverEvents(): Promise<number> {
    return recoverEvents(this.events, this.progressStore, (p) => this.impliedEvents(p));
  }

  /** recoverEvents() for one employee, for the events dated within the last `withinMs` (see recovery.ts). */
  recoverEventsOf(userId: string, withinMs: number): Promise<number> {
    const since = new Date(this.clock.now().getTime() - withinMs);
    return recoverEventsOf(this.events, this.progressStore, userId, (p) => this.impliedEvents(p), since);
  }

  /**
   * The events recording `answer` implies: it was answered, and the course completed if that was the last one needed.
   */
  private answerEvents(progress: Progress, answer: Answer): CourseEvent[] {
    return [answeredEvent(progress.userId, answer), ...this.completedEvents(progress)];
  }

  /** 'completed' once every question is answered and every one answered correctly once; with the first-try score. */
  private completedEvents(progress: Readonly<Progress>): CourseEvent[] {
    const { correct, answered, total } = score(this.structure, progress);
    if (answered < total || toReview(this.structure, progress).length > 0) return [];
    const at = lastOf(allAnswers(progress))?.at ?? '';
    return [
      {
        id: `${progress.userId}/completed/${this.version}`,
        type: 'completed',
        userId: progress.userId,
        at,
        version: this.version,
        correct,
        total,
      },
    ];
  }

  /** Every event stored progress implies; 'completed' only when its last answer or review was given on this version. */
  private impliedEvents(progress: Readonly<Progress>): CourseEvent[] {
    const { userId } = progress;
    return [
      ...Object.values(progress.answers).map((a) => answeredEvent(userId, a)),
      ...Object.values(progress.reviews ?? {}).flatMap((attempts) =>
        attempts.map((a, i) => reviewedEvent(userId, i + 1, a)),
      ),
      ...(lastOf(allAnswers(progress))?.version === this.version ? this.completedEvents(progress) : []),
      ...progress.acknowledgements.map((a) => acknowledgedEvent(userId, a)),
    ];
  }

  private stateOf(progress: Progress): CourseState {
    const changed = changedSince(this.structure, progress);
    return {
      progress,
      step: nextStep(this.structure, progress),
      score: score(this.structure, progress),
      lessonsDone: lessonsDone(this.structure, progress),
      reviewsLeft: toReview(this.structure, progress).length,
      whatChanged: changed.some((l) => isOpened(progress, l)) ? [] : changed,
    };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/** The event of a first answer, as the course appends it (its id names the lesson's revision after the first). */
export function answeredEvent(userId: string, answer: Answer): CourseEvent {
  return {
    id: `${userId}/answered/${answer.questionId}${revisionSuffix(answer)}`,
    type: 'answered',
    userId,
    ...answer,
  };
}

function reviewedEvent(userId: string, attempt: number, answer: Answer): CourseEvent {
  return {
    id: `${userId}/reviewed/${answer.questionId}${revisionSuffix(answer)}/${attempt}`,
    type: 'reviewed',
    userId,
    ...answer,
    attempt,
  };
}

/** Answers on a raised lesson revision get event ids of their own; revision 1 keeps the ids it always had. */
function revisionSuffix(answer: Answer): string {
  return (answer.revision ?? 1) > 1 ? `@${answer.revision}` : '';
}

/** First answers and review attempts alike. */
function allAnswers(progress: Readonly<Progress>): Answer[] {
  return [...Object.values(progress.answers), ...Object.values(progress.reviews ?? {}).flat()];
}

function lastOf(answers: readonly Answer[]): Answer | undefined {
  return answers.reduce<Answer | undefined>((max, a) => (max === undefined || a.at > max.at ? a : max), undefined);
}

/** The event of an acknowledgement; a renewal's id names the lapse it renews. */
export function acknowledgedEvent(userId: string, ack: Acknowledgement): CourseEvent {
  const renewal = ack.renews === undefined ? '' : `/renews-${ack.renews}`;
  return { id: `${userId}/acknowledged/${ack.version}${renewal}`, type: 'acknowledged', userId, ...ack };
}
