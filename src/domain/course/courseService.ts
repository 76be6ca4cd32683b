import type { Clock } from '../time/clock.js';
import { findLesson, findQuestion, type Course, type Language, type QuestionPlace } from './course.js';
import type { CourseEvent } from './events.js';
import type { EventLog, ProgressStore } from './ports.js';
import {
  acknowledgementOf,
  emptyProgress,
  isLessonReached,
  lessonsDone,
  nextStep,
  score,
  type Acknowledgement,
  type Answer,
  type Progress,
  type Score,
  type Step,
} from './progress.js';
import { grade } from './quiz.js';

export interface CourseState {
  readonly progress: Progress;
  readonly step: Step;
  readonly score: Score;
  readonly lessonsDone: number;
}

export type OpenLessonOutcome =
  | { readonly kind: 'opened'; readonly state: CourseState }
  | { readonly kind: 'unknown-lesson' | 'not-reached' };

export type AnswerOutcome =
  | { readonly kind: 'recorded' | 'replayed'; readonly place: QuestionPlace; readonly answer: Answer }
  | { readonly kind: 'unknown-question' | 'unknown-choice' | 'not-reached' };

export type AcknowledgeOutcome =
  | { readonly kind: 'acknowledged' | 'replayed'; readonly acknowledgement: Acknowledgement }
  | { readonly kind: 'not-finished' | 'outdated-version' };

/** The course rules: what comes next, what may be answered, what gets recorded. */
export class CourseService {
  private readonly structure: Course;

  constructor(
    private readonly courses: Readonly<Record<Language, Course>>,
    private readonly progressStore: ProgressStore,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {
    this.structure = courses.en;
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
    if (progress.lessonsOpened.includes(lessonId)) return { kind: 'opened', state: this.stateOf(progress) };
    if (!isLessonReached(this.structure, progress, found.index)) return { kind: 'not-reached' };
    return { kind: 'opened', state: this.stateOf(await this.progressStore.openLesson(userId, lessonId, this.now())) };
  }

  /** Records the first answer to a question; any later submit gets that first answer back. */
  async answer(userId: string, questionId: string, choiceId: string): Promise<AnswerOutcome> {
    const place = findQuestion(this.structure, questionId);
    if (!place) return { kind: 'unknown-question' };
    const progress = await this.progress(userId);
    const earlier = progress.answers[questionId];
    if (earlier) return { kind: 'replayed', place, answer: earlier };
    if (!progress.lessonsOpened.includes(place.lesson.id)) return { kind: 'not-reached' };
    const graded = grade(place.question, choiceId);
    if (!graded) return { kind: 'unknown-choice' };
    const answer: Answer = {
      questionId,
      choiceId,
      correct: graded.correct,
      at: this.now(),
      version: this.version,
    };
    const saved = await this.progressStore.recordAnswer(userId, answer);
    const stored = saved.progress.answers[questionId] ?? answer;
    if (!saved.created) return { kind: 'replayed', place, answer: stored };
    for (const event of this.answerEvents(saved.progress, stored)) await this.events.append(event);
    return { kind: 'recorded', place, answer: stored };
  }

  /** Acknowledges the current policy version once every question is answered. */
  async acknowledge(userId: string, version: string): Promise<AcknowledgeOutcome> {
    const progress = await this.progress(userId);
    const earlier = acknowledgementOf(progress, version);
    if (earlier) return { kind: 'replayed', acknowledgement: earlier };
    if (version !== this.version) return { kind: 'outdated-version' };
    const { correct, answered, total } = score(this.structure, progress);
    if (answered < total) return { kind: 'not-finished' };
    const ack: Acknowledgement = { version, at: this.now(), correct, total };
    const saved = await this.progressStore.recordAcknowledgement(userId, ack);
    const stored = acknowledgementOf(saved.progress, version) ?? ack;
    if (!saved.created) return { kind: 'replayed', acknowledgement: stored };
    await this.events.append(acknowledgedEvent(userId, stored));
    return { kind: 'acknowledged', acknowledgement: stored };
  }

  /**
   * Appends the events of answers and acknowledgements that were stored but whose events were
   * not (the process stopped between the two writes). Run at start-up, before serving anyone;
   * returns how many it appended.
   */
  async recoverEvents(): Promise<number> {
    const logged = new Set((await this.events.list()).map((e) => e.id));
    const missing = (await this.progressStore.scan((p) => this.impliedEvents(p).filter((e) => !logged.has(e.id)))).flat();
    for (const event of missing) await this.events.append(event);
    return missing.length;
  }

  /** The events recording `answer` implies: it was answered, and the course completed if it was the last question. */
  private answerEvents(progress: Progress, answer: Answer): CourseEvent[] {
    return [answeredEvent(progress.userId, answer), ...this.completedEvents(progress)];
  }

  private completedEvents(progress: Readonly<Progress>): CourseEvent[] {
    const { correct, answered, total } = score(this.structure, progress);
    if (answered < total) return [];
    const at = Object.values(progress.answers).reduce((max, a) => (a.at > max ? a.at : max), '');
    return [{ id: `${progress.userId}/completed/${this.version}`, type: 'completed', userId: progress.userId, at, version: this.version, correct, total }];
  }

  /** Every event stored progress implies; 'completed' only when its last answer was given on this version. */
  private impliedEvents(progress: Readonly<Progress>): CourseEvent[] {
    const answers = Object.values(progress.answers);
    const last = answers.reduce<Answer | undefined>((max, a) => (max === undefined || a.at > max.at ? a : max), undefined);
    return [
      ...answers.map((a) => answeredEvent(progress.userId, a)),
      ...(last?.version === this.version ? this.completedEvents(progress) : []),
      ...progress.acknowledgements.map((a) => acknowledgedEvent(progress.userId, a)),
    ];
  }

  private stateOf(progress: Progress): CourseState {
    return {
      progress,
      step: nextStep(this.structure, progress),
      score: score(this.structure, progress),
      lessonsDone: lessonsDone(this.structure, progress),
    };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

function answeredEvent(userId: string, answer: Answer): CourseEvent {
  return { id: `${userId}/answered/${answer.questionId}`, type: 'answered', userId, ...answer };
}

function acknowledgedEvent(userId: string, ack: Acknowledgement): CourseEvent {
  return { id: `${userId}/acknowledged/${ack.version}`, type: 'acknowledged', userId, ...ack };
}
