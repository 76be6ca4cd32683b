import type { Assignment } from '../campaigns/assignment.js';
import { deliveryId, type Delivery } from '../campaigns/delivery.js';
import type { AssignmentStore, CampaignStore, DeliveryQueue } from '../campaigns/ports.js';
import { findQuestion, type Course, type QuestionPlace } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import { acknowledgementOf, answerOf, latestAcknowledgement, memberStatus, type Progress } from '../course/progress.js';
import { grade } from '../course/quiz.js';
import type { RosterStore } from '../roster/ports.js';
import { localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import { isWorkingTime } from '../time/workingHours.js';
import type { RefresherStore } from './ports.js';
import { retention, type Retention } from './retention.js';
import {
  afterAnswer,
  enrolled,
  nextWeek,
  pickQuestion,
  quietUntil,
  refresherOrder,
  weekOf,
  type RefresherAnswer,
  type Refreshers,
} from './refresher.js';

/** What refreshers work with; the delivery queue sends what they add to it. */
export interface RefresherStores {
  readonly refreshers: RefresherStore;
  readonly progress: Pick<ProgressStore, 'get' | 'scan'>;
  readonly roster: Pick<RosterStore, 'byAadObjectId'>;
  readonly assignments: Pick<AssignmentStore, 'get'>;
  readonly campaigns: Pick<CampaignStore, 'list'>;
  readonly deliveries: Pick<DeliveryQueue, 'add'>;
}

export interface RefresherOptions {
  /** Days per Leitner box: the first review after completion, then each after a right answer. */
  readonly intervals: readonly number[];
  readonly timeZone: string;
}

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

/** Employees looked at per step of the due round, between which the event loop gets a turn. */
const CHUNK = 200;
/** Most refreshers one due round starts: more would only wait in the delivery queue. */
const MAX_PER_ROUND = 5000;

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Per round of due refreshers: today, and the week each campaign went out in. */
interface Round {
  readonly at: string;
  readonly today: string;
  readonly week: string;
  readonly campaignWeeks: ReadonlyMap<string, string>;
}

/**
 * Refreshers after completion: one question at a time on a Leitner schedule, at most one a week,
 * in office hours and never in a week with a campaign message or reminder; less and less often
 * for someone who leaves them unanswered. Their answers feed the schedule and the retention
 * counts, never the scored first try.
 */
export class RefresherService {
  private running: Promise<number> | undefined;

  constructor(
    private readonly course: Course,
    private readonly stores: RefresherStores,
    private readonly clock: Clock,
    private readonly options: RefresherOptions,
  ) {}

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
    const known = new Set(await this.stores.refreshers.userIds());
    const version = this.course.version;
    const missing = (
      await this.stores.progress.scan((p) =>
        known.has(p.userId) || !acknowledgementOf(p, version) ? undefined : p.userId,
      )
    ).filter((id) => id !== undefined);
    for (let i = 0; i < missing.length; i += CHUNK) {
      await Promise.all(
        missing.slice(i, i + CHUNK).map(async (userId) => {
          const progress = await this.stores.progress.get(userId);
          const ack = progress && latestAcknowledgement(progress);
          if (ack) await this.enrol(userId, ack.at);
        }),
      );
      await breathe();
    }
    return missing.length;
  }

  /** Adds a refresher delivery for everyone due now, in office hours; returns how many. One round at a time. */
  sendDue(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = undefined));
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
    const written = await this.stores.refreshers.update(userId, (current) =>
      current?.issued?.n === n && !answered(current, n)
        ? afterAnswer(this.course, current, answer, today, this.options.intervals)
        : undefined,
    );
    if (!written) {
      const stored = (await this.stores.refreshers.get(userId))?.answers.find((a) => a.n === n);
      return stored ? { kind: 'replayed', place, answer: stored } : { kind: 'stale' };
    }
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

  private async round(): Promise<number> {
    const now = this.clock.now();
    if (!isWorkingTime(now, this.options.timeZone)) return 0;
    const today = this.today(now);
    const campaigns = await this.stores.campaigns.list();
    const round: Round = {
      at: now.toISOString(),
      today,
      week: weekOf(today),
      campaignWeeks: new Map(
        campaigns.map((c) => [c.id, weekOf(localDate(new Date(c.createdAt), this.options.timeZone))]),
      ),
    };
    let started = 0;
    for (let looked = 0; looked < MAX_PER_ROUND;) {
      const entries = await this.stores.refreshers.dueBy(today, CHUNK);
      if (entries.length === 0) break;
      const deliveries = (await Promise.all(entries.map((e) => this.dueOne(e.userId, round)))).filter(
        (d) => d !== undefined,
      );
      // The deliveries first: an employee taken out of the index unsent would wait a week.
      if (deliveries.length > 0) await this.stores.deliveries.add(deliveries);
      await this.stores.refreshers.unfile(entries);
      started += deliveries.length;
      looked += entries.length;
      await breathe();
    }
    return started;
  }

  /**
   * The delivery of the refresher due for this employee now, if any; anyone due but not to be asked this week waits for
   * the next.
   */
  private async dueOne(userId: string, round: Round): Promise<Delivery | undefined> {
    const r = await this.stores.refreshers.get(userId);
    if (!r || r.optedOut) return undefined;
    const member = await this.stores.roster.byAadObjectId(userId);
    const delivery = (key: string): Delivery => {
      const sendId = `refresher:${round.today}`;
      return {
        id: deliveryId(sendId, key),
        sendId,
        kind: 'refresher',
        memberKey: key,
        state: 'pending',
        attempts: 0,
        updatedAt: round.at,
      };
    };
    // Issued today by a round that stopped before its delivery was added: add it (adding twice adds one).
    if (r.issued?.day === round.today && !answered(r, r.issued.n))
      return member?.active ? delivery(member.key) : undefined;
    if (r.due > round.today) return undefined;
    const quiet = quietUntil(r);
    if (quiet !== undefined && quiet > round.today) {
      await this.defer(userId, quiet);
      return undefined;
    }
    const progress = await this.stores.progress.get(userId);
    const assignment = member ? await this.stores.assignments.get(member.key) : undefined;
    if (
      !member?.active ||
      memberStatus(this.course, progress) !== 'completed' ||
      r.week === round.week ||
      this.messagedThisWeek(assignment, round)
    ) {
      await this.defer(userId, nextWeek(round.today));
      return undefined;
    }
    const question = pickQuestion(
      this.course,
      r,
      missedFirstTry(this.course, progress as Progress),
      round.today,
      this.options.intervals,
    );
    if (!question) return undefined;
    const due = nextWeek(round.today);
    const issued = await this.stores.refreshers.update(userId, (current) =>
      current && !current.optedOut && current.due <= round.today && current.week !== round.week
        ? {
            ...current,
            issued: { n: (current.issued?.n ?? 0) + 1, questionId: question.id, day: round.today, at: round.at },
            week: round.week,
            due,
          }
        : undefined,
    );
    if (!issued) return undefined;
    await this.stores.refreshers.file(due, userId);
    return delivery(member.key);
  }

  /** Whether a campaign message or reminder reached this person in the round's week. */
  private messagedThisWeek(a: Assignment | undefined, round: Round): boolean {
    const campaignWeek = a?.campaignId === undefined ? undefined : round.campaignWeeks.get(a.campaignId);
    const reminderWeek =
      a?.lastReminderAt === undefined
        ? undefined
        : weekOf(localDate(new Date(a.lastReminderAt), this.options.timeZone));
    return campaignWeek === round.week || reminderWeek === round.week;
  }

  private async defer(userId: string, day: string): Promise<void> {
    const written = await this.stores.refreshers.update(userId, (current) =>
      current && current.due < day ? { ...current, due: day } : undefined,
    );
    if (written) await this.stores.refreshers.file(day, userId);
  }

  private today(at = this.clock.now()): string {
    return localDate(at, this.options.timeZone);
  }
}

function answered(r: Readonly<Refreshers>, n: number): boolean {
  return r.answers.some((a) => a.n === n);
}

/** Questions the employee answered wrong on the first try. */
function missedFirstTry(course: Course, progress: Readonly<Progress>): Set<string> {
  return new Set(
    course.lessons.flatMap((l) =>
      l.questions.filter((q) => answerOf(progress, l, q.id)?.correct === false).map((q) => q.id),
    ),
  );
}
