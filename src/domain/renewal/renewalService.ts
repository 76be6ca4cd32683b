import { findQuestion, type Course, type QuestionPlace } from '../course/course.js';
import { acknowledgedEvent } from '../course/courseService.js';
import { LateEvents } from '../course/lateEvents.js';
import { revisionsOf, score, type Acknowledgement, type Answer } from '../course/progress.js';
import { grade } from '../course/quiz.js';
import { localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import type { Validity } from '../course/validity.js';
import { renewalQuestions, renewalStep, type RenewalStep } from './renewal.js';
import type { RenewalStores } from './renewalPorts.js';
import { sendDueRenewals } from './renewalRound.js';

export type RenewalAnswerOutcome =
  | { readonly kind: 'recorded' | 'replayed'; readonly place: QuestionPlace; readonly answer: Answer }
  /** `stale`: no renewal is due, or it is at another question or attempt. */
  | { readonly kind: 'stale' | 'unknown-choice' };

export type RenewalAckOutcome =
  | { readonly kind: 'acknowledged' | 'replayed'; readonly acknowledgement: Acknowledgement }
  | { readonly kind: 'not-finished' | 'stale' };

/**
 * Yearly renewal: once this version's latest acknowledgement is older than the validity, the
 * person reads the summary, answers a few questions again until each is right, and acknowledges
 * anew. Renewal answers are kept apart from first tries, so no figure of HR's counts them.
 */
export class RenewalService {
  /** The day of the last round of renewal messages that finished. */
  private roundDay: string | undefined;

  constructor(
    private readonly course: Course,
    private readonly stores: RenewalStores,
    private readonly clock: Clock,
    private readonly validity: Validity | undefined,
    private readonly appender = new LateEvents(stores.events),
  ) {}

  /** What the person sees next in their renewal; undefined when none is due. */
  async step(userId: string): Promise<RenewalStep | undefined> {
    return renewalStep(this.course, await this.stores.progress.get(userId), this.validity, this.today());
  }

  /** Starts the renewal of the acknowledgement that lapsed on `lapse`, once; returns its first question. */
  async start(userId: string, lapse: string): Promise<RenewalStep | undefined> {
    const step = await this.step(userId);
    if (step?.kind !== 'summary' || step.lapse !== lapse) return step;
    const refreshers = await this.stores.refreshers.get(userId);
    await this.stores.progress.recordRenewal(userId, (p) =>
      p.renewal?.lapse === lapse
        ? undefined
        : { lapse, questions: renewalQuestions(this.course, p, refreshers, lapse), attempts: {} },
    );
    return this.step(userId);
  }

  /** Records attempt `attempt` at a renewal question when it is the one the person is at; a repeat gets it back. */
  async answer(
    userId: string,
    lapse: string,
    questionId: string,
    attempt: number,
    choiceId: string,
  ): Promise<RenewalAnswerOutcome> {
    const progress = await this.stores.progress.get(userId);
    const earlier =
      progress?.renewal?.lapse === lapse ? progress.renewal.attempts[questionId]?.[attempt - 1] : undefined;
    if (earlier) return this.replayed(questionId, earlier);
    const step = renewalStep(this.course, progress, this.validity, this.today());
    if (step?.kind !== 'question' || step.lapse !== lapse || step.place.question.id !== questionId)
      return { kind: 'stale' };
    if (step.attempt !== attempt) return { kind: 'stale' };
    const graded = grade(step.place.question, choiceId);
    if (!graded) return { kind: 'unknown-choice' };
    const { version } = this.course;
    const answer: Answer = { questionId, choiceId, correct: graded.correct, at: this.now(), version };
    const saved = await this.stores.progress.recordRenewal(userId, (p) => {
      const round = p.renewal;
      const before = round?.attempts[questionId] ?? [];
      if (round?.lapse !== lapse || before.length !== attempt - 1 || before.some((a) => a.correct)) return undefined;
      return { ...round, attempts: { ...round.attempts, [questionId]: [...before, answer] } };
    });
    const stored = saved.progress.renewal?.attempts[questionId]?.[attempt - 1];
    if (!stored) return { kind: 'stale' };
    return { kind: saved.created ? 'recorded' : 'replayed', place: step.place, answer: stored };
  }

  /** The new acknowledgement of the current version, once every renewal question is answered correctly. */
  async acknowledge(userId: string, lapse: string): Promise<RenewalAckOutcome> {
    const progress = await this.stores.progress.get(userId);
    const done = progress?.acknowledgements.find((a) => a.renews === lapse && a.version === this.course.version);
    if (done) return { kind: 'replayed', acknowledgement: done };
    const step = renewalStep(this.course, progress, this.validity, this.today());
    if (!progress || step?.lapse !== lapse) return { kind: 'stale' };
    if (step.kind !== 'acknowledge') return { kind: 'not-finished' };
    const { correct, total } = score(this.course, progress);
    const version = this.course.version;
    const revisions = revisionsOf(this.course);
    const ack: Acknowledgement = { version, at: this.now(), correct, total, revisions, renews: lapse };
    const saved = await this.stores.progress.recordAcknowledgement(userId, ack);
    const stored = saved.progress.acknowledgements.find((a) => a.renews === lapse && a.version === version) ?? ack;
    if (!saved.created) return { kind: 'replayed', acknowledgement: stored };
    await this.appender.append([acknowledgedEvent(userId, stored)]);
    return { kind: 'acknowledged', acknowledgement: stored };
  }

  /**
   * Adds a renewal message for everyone whose acknowledgement lapsed, in office hours; returns how
   * many. Lapses come with the day, so one round a day finds them all; a restart looks again.
   */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    if (!this.validity || this.roundDay === this.today()) return 0;
    const sent = await sendDueRenewals(this.course, this.stores, now, this.validity);
    if (sent !== undefined) this.roundDay = localDate(now, this.validity.timeZone);
    return sent ?? 0;
  }

  private replayed(questionId: string, answer: Answer): RenewalAnswerOutcome {
    const place = findQuestion(this.course, questionId);
    return place ? { kind: 'replayed', place, answer } : { kind: 'stale' };
  }

  private today(): string {
    return localDate(this.clock.now(), this.validity?.timeZone ?? 'UTC');
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
