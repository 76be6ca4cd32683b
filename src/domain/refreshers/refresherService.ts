import { findQuestion, type Course, type QuestionPlace } from '../course/course.js';
import { acknowledgementOf, latestAcknowledgement, memberStatus } from '../course/progress.js';
import { grade } from '../course/quiz.js';
import { localDate } from '../time/calendar.js';
import { yieldToEventLoop } from '../time/eventLoop.js';
import type { Clock } from '../time/clock.js';
import { CHUNK, DueRound } from './dueRound.js';
import type { RefresherOptions, RefresherStores } from './refresherDeps.js';
import { retention, type Retention } from './retention.js';
import {
  afterAnswer,
  answered,
  enrolled,
  missedFirstTry,
  nextWeek,
  pickQuestion,
  refresherOrder,
  weekOf,
  type RefresherAnswer,
  type Refreshers,
} from './refresher.js';

/** A refresher as the employee sees it: which one, the question, and the choices' order. */
export interface RefresherQuestion {
  readonly n: number;
  readonly place: QuestionPlace;
  readonly order: readonly string[];
}

export type AskOutcome =
  { readonly kind: 'asked'; readonly refresher: RefresherQuestion } | { readonly kind: 'not-completed' };

export type RefresherAnswerOutcome =
  | { readonly kind: 'recorded' | 'replayed'; readonly place: QuestionPlace; readonly answer: RefresherAnswer }
  /** `stale`: a refresher that was replaced by a newer one, or never was. */
  | { readonly kind: 'stale' | 'unknown-choice' };

/**
 * Refreshers after completion: one question at a time on a Leitner schedule, at most one a week,
 * in office hours and never in a week with a campaign message or reminder; less and less often
 * for someone who leaves them unanswered. Their answers feed the schedule and the retention
 * counts, never the scored first try.
 */
export class RefresherService {
  private running: Promise<number> | undefined;
  private readonly dueRound: DueRound;

  constructor(
    private readonly course: Course,
    private readonly stores: RefresherStores,
    private readonly clock: Clock,
    private readonly options: RefresherOptions,
  ) {
    this.dueRound = new DueRound(course, stores, clock, options);
  }

  /** Starts refreshers for someone who completed the course at `at`; nothing when they have them already. */
  async enrol(userId: string, at: string): Promise<void> {
    const today = this.today();
    const written = await this.stores.refreshers.update(userId, (current) =>
      current ? undefined : enrolled(userId, localDate(new Date(at), this.options.timeZone), this.options.intervals),
    );
    if (written) await this.stores.refreshers.file(written.due > today ? written.due : today, userId);
  }

  /**
   * Enrols everyone who completed the course before refreshers existed (or before a stop between the two writes);
   * returns how many.
   */
  async enrolCompleted(): Promise<number> {
    const missing = await this.withoutRefreshers();
    for (let i = 0; i < missing.length; i += CHUNK) {
      await Promise.all(
        missing.slice(i, i + CHUNK).map(async (userId) => {
          const progress = await this.stores.progress.get(userId);
          const ack = progress && latestAcknowledgement(progress);
          if (ack) await this.enrol(userId, ack.at);
        }),
      );
      await yieldToEventLoop();
    }
    return missing.length;
  }

  /** Who acknowledged this version and has no refreshers yet: HR's figures name the first, when there are figures. */
  private async withoutRefreshers(): Promise<string[]> {
    const { completions } = this.stores;
    const completed = completions && (await completions.completedWhere(() => true));
    if (completed?.length === 0) return [];
    const known = new Set(await this.stores.refreshers.userIds());
    if (completed) return completed.filter((id) => !known.has(id));
    const version = this.course.version;
    return (
      await this.stores.progress.scan((p) =>
        known.has(p.userId) || !acknowledgementOf(p, version) ? undefined : p.userId,
      )
    ).filter((id) => id !== undefined);
  }

  /** Adds a refresher delivery for everyone due now, in office hours; returns how many. One round at a time. */
  sendDue(): Promise<number> {
    this.running ??= this.dueRound.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** The `refresher` command: the open refresher, or a new one now (this also undoes a stop). */
  async askNow(userId: string): Promise<AskOutcome> {
    const progress = await this.stores.progress.get(userId);
    if (memberStatus(this.course, progress) !== 'completed' || !progress) return { kind: 'not-completed' };
    const now = this.clock.now();
    const today = this.today(now);
    const missed = missedFirstTry(this.course, progress);
    const ack = latestAcknowledgement(progress);
    const written = await this.stores.refreshers.update(userId, (stored) => {
      const current =
        stored ?? enrolled(userId, localDate(new Date(ack?.at ?? now), this.options.timeZone), this.options.intervals);
      const { optedOut: _stop, ...r } = current;
      if (r.issued && !answered(r, r.issued.n)) return stored?.optedOut ? r : undefined;
      const question = pickQuestion(this.course, r, missed, today, this.options.intervals, true);
      if (!question) return undefined;
      const due = r.due > nextWeek(today) ? r.due : nextWeek(today);
      return {
        ...r,
        issued: { n: (r.issued?.n ?? 0) + 1, questionId: question.id, day: today, at: now.toISOString() },
        week: weekOf(today),
        due,
      };
    });
    const r = written ?? (await this.stores.refreshers.get(userId));
    if (written) await this.stores.refreshers.file(written.due, userId);
    const refresher = r && (await this.current(userId, r));
    return refresher ? { kind: 'asked', refresher } : { kind: 'not-completed' };
  }

  /** The refresher put to the employee last, as they see it; undefined when there is none. */
  async current(userId: string, known?: Refreshers): Promise<RefresherQuestion | undefined> {
    const r = known ?? (await this.stores.refreshers.get(userId));
    const place = r?.issued && findQuestion(this.course, r.issued.questionId);
    if (!r?.issued || !place) return undefined;
    return { n: r.issued.n, place, order: refresherOrder(place.question, userId, r.issued.n) };
  }

  /** Records the one answer refresher `n` takes; a repeat, or a click on a replaced refresher, changes nothing. */
  async answer(userId: string, n: number, questionId: string, choiceId: string): Promise<RefresherAnswerOutcome> {
    const r = await this.stores.refreshers.get(userId);
    const place = findQuestion(this.course, questionId);
    const earlier = r?.answers.find((a) => a.n === n && a.questionId === questionId);
    if (earlier && place) return { kind: 'replayed', place, answer: earlier };
    if (!r?.issued || r.issued.n !== n || r.issued.questionId !== questionId || !place) return { kind: 'stale' };
    const graded = grade(place.question, choiceId);
    if (!graded) return { kind: 'unknown-choice' };
    const now = this.clock.now();
    const today = this.today(now);
    const answer: RefresherAnswer = { n, questionId, choiceId, correct: graded.correct, at: now.toISOString() };
    await this.stores.answerLog?.expect(userId, answer.at);
    const written = await this.stores.refreshers.update(userId, (current) =>
      current?.issued?.n === n && !answered(current, n)
        ? afterAnswer(this.course, current, answer, today, this.options.intervals)
        : undefined,
    );
    if (!written) {
      const stored = (await this.stores.refreshers.get(userId))?.answers.find((a) => a.n === n);
      return stored ? { kind: 'replayed', place, answer: stored } : { kind: 'stale' };
    }
    await this.stores.answerLog?.written(userId, written.answers);
    await this.stores.refreshers.file(written.due, userId);
    await this.stores.refreshers.count(today, place.lesson.id, graded.correct);
    return { kind: 'recorded', place, answer };
  }

  /**
   * `stop refreshers`: no more refreshers for this employee (until they ask for one). False when they had stopped
   * already.
   */
  async stop(userId: string): Promise<boolean> {
    const at = this.clock.now().toISOString();
    const written = await this.stores.refreshers.update(userId, (current) =>
      current?.optedOut
        ? undefined
        : { ...(current ?? enrolled(userId, this.today(), this.options.intervals)), optedOut: at },
    );
    return written !== undefined;
  }

  /** HR's retention figure: refresher answers right on the first try, over the last 90 days. */
  retention(): Promise<Retention> {
    return retention(this.course, this.stores.refreshers, this.clock, this.options.timeZone);
  }

  private today(at = this.clock.now()): string {
    return localDate(at, this.options.timeZone);
  }
}
