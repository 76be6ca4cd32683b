import { addDays, daysBetween, localDate } from '../time/calendar.js';
import { activePeople, type PeopleStores } from './people.js';
import type { Assignment } from './assignment.js';
import type { Clock } from '../time/clock.js';
import type { Course } from '../course/course.js';
import type { Validity } from '../course/validity.js';
import { deliveryId, type Delivery } from './delivery.js';
import type { AssignmentStore, CampaignStore, DeliveryQueue } from './ports.js';
import { isWorkingTime, nextOpening } from '../time/workingHours.js';

/** One round of reminders: its deliveries share `sendId`. */
export interface ReminderRound {
  readonly sendId: string;
  readonly recipients: number;
  /** How many of them are past their due date. */
  readonly overdue: number;
}

export type ManualReminders =
  | { readonly kind: 'sent'; readonly sendId: string; readonly recipients: number; readonly skippedRecent: number }
  | { readonly kind: 'outside-hours'; readonly nextOpening: string }
  | { readonly kind: 'nobody' };

export interface ReminderOptions {
  /** The automatic reminder goes out once in the last this many days before the due date (0: on the due date). */
  readonly daysBefore: number;
  /** How long an acknowledgement holds: those whose acknowledgement lapsed are reminded of their renewal. */
  readonly validity?: Validity;
}

/**
 * Calendar days (in the organisation's zone) between two messages to one person: a reminder, or the campaign itself.
 */
export const REMINDER_SPACING_DAYS = 3;
const BATCH = 500;

/** An assignment from a campaign, or (without a campaign id) from the renewal of a lapsed acknowledgement. */
type Assigned = Assignment & { readonly due: string };

/** The send id of the reminders of one day (YYYY-MM-DD in the organisation's zone); campaign ids never contain ':'. */
export function reminderSendId(day: string): string {
  return `reminder:${day}`;
}

/** What reminders work on; the delivery queue sends what they add to it. */
export interface ReminderStores extends PeopleStores {
  readonly campaigns: Pick<CampaignStore, 'list'>;
  readonly deliveries: Pick<DeliveryQueue, 'add'>;
  readonly assignments: Pick<AssignmentStore, 'scan' | 'update'>;
}

interface RoundContext {
  readonly now: Date;
  readonly today: string;
  /** The local date each campaign went out on, by id. */
  readonly started: ReadonlyMap<string, string>;
  /** Local dates of reminder times: a round's people share one time, so each is worked out once. */
  readonly days: Map<string, string>;
}

/**
 * Who is reminded, when. Everyone reached by a campaign who has not completed the course, and
 * everyone asked to renew a lapsed acknowledgement who has not, is reminded once shortly before
 * the due date and once when it has passed, only in office hours, and never twice within
 * REMINDER_SPACING_DAYS; HR can remind them by hand under the same spacing.
 */
export class ReminderService {
  /** The day and campaigns of the last automatic round that finished: until either changes, nobody else is due. */
  private lastRound: string | undefined;

  constructor(
    private readonly course: Course,
    private readonly stores: ReminderStores,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly options: ReminderOptions,
  ) {}

  /**
   * Starts the automatic reminders due now, if any. All reminders of one day, automatic or by
   * hand, share the send id `reminder:<date>`, so one person gets at most one delivery a day even
   * from two rounds at once; the deliveries are added before people are marked reminded, so a
   * round stopped between the two is finished, without a second message, by the next one that day.
   */
  async dueAutomatic(): Promise<ReminderRound | undefined> {
    const now = this.clock.now();
    if (!isWorkingTime(now, this.timeZone)) return undefined;
    const context = await this.context(now);
    // Nobody is reached before a campaign or a renewal: the round every minute then reads no one's records.
    if (context.started.size === 0 && !this.options.validity) return undefined;
    // Who is due changes only with the day or a new campaign; a round marks everyone it reminds.
    const round = `${context.today}|${[...context.started.keys()].sort().join(',')}`;
    if (round === this.lastRound) return undefined;
    const picked = (await this.assigned(context.today)).filter((a) => this.automaticReason(a, context) !== undefined);
    const sendId = reminderSendId(context.today);
    const done =
      picked.length === 0
        ? { recipients: 0, overdue: 0 }
        : await this.remind(sendId, picked, context, (current) => this.automaticReason(current, context) !== undefined);
    this.lastRound = round;
    return done.recipients === 0 ? undefined : { sendId, ...done };
  }

  /**
   * HR's "Send reminders": everyone reached by a campaign or a renewal and not finished, except those messaged in the
   * last few days; with `only` (member keys, a manager's team), only those of them.
   */
  async manual(only?: readonly string[]): Promise<ManualReminders> {
    const now = this.clock.now();
    if (!isWorkingTime(now, this.timeZone))
      return { kind: 'outside-hours', nextOpening: nextOpening(now, this.timeZone).toISOString() };
    const context = await this.context(now);
    const wanted = only && new Set(only);
    const assigned = (await this.assigned(context.today)).filter((a) => !wanted || wanted.has(a.key));
    if (assigned.length === 0) return { kind: 'nobody' };
    const picked = assigned.filter((a) => !this.recent(a, context));
    const sendId = reminderSendId(context.today);
    const done = await this.remind(sendId, picked, context, (current) => !this.recent(current, context));
    return { kind: 'sent', sendId, recipients: done.recipients, skippedRecent: assigned.length - picked.length };
  }

  private async context(now: Date): Promise<RoundContext> {
    const campaigns = await this.stores.campaigns.list();
    const started = new Map(campaigns.map((c) => [c.id, localDate(new Date(c.createdAt), this.timeZone)]));
    return { now, today: localDate(now, this.timeZone), started, days: new Map() };
  }

  /**
   * Assignments of active members who have not completed the course and were reached by a campaign, or whose
   * acknowledgement lapsed and who were asked to renew it (those carry no campaign id).
   */
  private async assigned(today: string): Promise<Assigned[]> {
    const { validity } = this.options;
    const statusOf = new Map(
      (await activePeople(this.course, this.stores, { validity, today }))
        .filter((p) => p.status !== 'completed')
        .map((p) => [p.key, p.status] as const),
    );
    const assignments = await this.stores.assignments.scan((a): Assigned | undefined => {
      const status = statusOf.get(a.key);
      if (status === undefined || a.due === undefined) return undefined;
      const { key, due, lastReminderAt, overdueRemindedFor } = a;
      const spacing = { key, due, lastReminderAt, overdueRemindedFor };
      if (status === 'renewal-due')
        return a.renewal === undefined ? undefined : { ...spacing, renewal: a.renewal, renewalSentAt: a.renewalSentAt };
      return a.campaignId === undefined ? undefined : { ...spacing, campaignId: a.campaignId };
    });
    return assignments.filter((a) => a !== undefined);
  }

  /** Local dates of the last reminder and of the campaign or renewal message: when this person was last messaged. */
  private contacts(a: Assignment, context: RoundContext): string[] {
    const dates = [a.lastReminderAt, a.renewalSentAt].flatMap((at) => (at ? [this.dayOf(at, context)] : []));
    const started = a.campaignId === undefined ? undefined : context.started.get(a.campaignId);
    return started === undefined ? dates : [...dates, started];
  }

  private dayOf(instant: string, context: RoundContext): string {
    let day = context.days.get(instant);
    if (day === undefined) {
      day = localDate(new Date(instant), this.timeZone);
      context.days.set(instant, day);
    }
    return day;
  }

  private recent(a: Assignment, context: RoundContext): boolean {
    return this.contacts(a, context).some((d) => daysBetween(d, context.today) < REMINDER_SPACING_DAYS);
  }

  /** Why the automatic round reminds this person now, if it does. */
  private automaticReason(a: Assignment, context: RoundContext): 'before' | 'overdue' | undefined {
    if (a.due === undefined || (a.campaignId === undefined && a.renewal === undefined) || this.recent(a, context))
      return undefined;
    const daysLeft = daysBetween(context.today, a.due);
    if (daysLeft < 0) return a.overdueRemindedFor === a.due ? undefined : 'overdue';
    if (daysLeft > this.options.daysBefore) return undefined;
    // Once in the window before the due date: a message since it opened was that reminder (or the campaign).
    const opened = addDays(a.due, -this.options.daysBefore);
    return this.contacts(a, context).some((d) => d >= opened) ? undefined : 'before';
  }

  /**
   * Adds a reminder delivery for each person, then marks them reminded if `stillDue` holds for
   * their assignment as it is now (so two rounds at once mark each person once).
   */
  private async remind(
    sendId: string,
    picked: readonly Assigned[],
    context: RoundContext,
    stillDue: (current: Assignment) => boolean,
  ): Promise<{ recipients: number; overdue: number }> {
    const at = context.now.toISOString();
    for (let i = 0; i < picked.length; i += BATCH) {
      await this.stores.deliveries.add(
        picked.slice(i, i + BATCH).map((a): Delivery => ({
          id: deliveryId(sendId, a.key),
          sendId,
          kind: 'reminder',
          ...(a.campaignId === undefined ? {} : { campaignId: a.campaignId }),
          memberKey: a.key,
          state: 'pending',
          attempts: 0,
          updatedAt: at,
        })),
      );
    }
    let recipients = 0;
    let overdue = 0;
    for (let i = 0; i < picked.length; i += BATCH) {
      const marked = await Promise.all(
        picked.slice(i, i + BATCH).map((a) =>
          this.stores.assignments.update(a.key, (current) => {
            if (!current?.due || !stillDue(current)) return undefined;
            const late = daysBetween(context.today, current.due) < 0;
            return { ...current, lastReminderAt: at, ...(late ? { overdueRemindedFor: current.due } : {}) };
          }),
        ),
      );
      for (const m of marked) {
        if (!m?.due) continue;
        recipients += 1;
        if (daysBetween(context.today, m.due) < 0) overdue += 1;
      }
    }
    return { recipients, overdue };
  }
}
