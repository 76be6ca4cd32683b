import type { Assignment } from '../campaigns/assignment.js';
import { deliveryId, type Delivery } from '../campaigns/delivery.js';
import type { Course } from '../course/course.js';
import { memberStatus, type Progress } from '../course/progress.js';
import { localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import { isWorkingTime } from '../time/workingHours.js';
import { answered, missedFirstTry, nextWeek, pickQuestion, quietUntil, weekOf } from './refresher.js';
import type { RefresherOptions, RefresherStores } from './refresherDeps.js';
import { yieldToEventLoop } from '../time/eventLoop.js';

/** Employees looked at per step (of the due round, or of enrolling), between which the event loop gets a turn. */
export const CHUNK = 200;
/** Most refreshers one due round starts: more would only wait in the delivery queue. */
const MAX_PER_ROUND = 5000;

/** Per round of due refreshers: today, and the week each campaign went out in. */
interface Round {
  readonly at: string;
  readonly today: string;
  readonly week: string;
  readonly campaignWeeks: ReadonlyMap<string, string>;
}

/** The round that adds a refresher delivery for everyone due now, in office hours. */
export class DueRound {
  constructor(
    private readonly course: Course,
    private readonly stores: RefresherStores,
    private readonly clock: Clock,
    private readonly options: RefresherOptions,
  ) {}

  /** Adds the deliveries of one round; returns how many. */
  async run(): Promise<number> {
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
      // Fewer than asked for: that was everyone due when the index was read; anyone filed since waits a round.
      if (entries.length < CHUNK) break;
      await yieldToEventLoop();
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
