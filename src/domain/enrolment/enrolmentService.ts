import type { AssignmentStore, DeliveryQueue } from '../campaigns/ports.js';
import type { Delivery } from '../campaigns/delivery.js';
import { DeliveryTallies } from '../campaigns/deliveryTallies.js';
import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import { memberStatus } from '../course/progress.js';
import type { RosterStore } from '../roster/ports.js';
import { addDays, localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import { isWorkingTime } from '../time/workingHours.js';
import { ENROLMENT_SEND_ID, MAX_ENROLMENT_DAYS, enrolmentDeliveryId, type EnrolmentRule } from './enrolment.js';
import type { EnrolmentRuleStore } from './ports.js';

/** What standing enrolment works on; the delivery queue sends what it adds. */
export interface EnrolmentStores {
  readonly enrolment: EnrolmentRuleStore;
  readonly roster: Pick<RosterStore, 'scan'>;
  readonly progress: Pick<ProgressStore, 'get'>;
  readonly assignments: Pick<AssignmentStore, 'update'>;
  readonly deliveries: Pick<DeliveryQueue, 'add' | 'forSend'>;
}

/** The rule and what it has done, as HR's card shows it. */
export interface EnrolmentState {
  readonly rule: EnrolmentRule | undefined;
  /** Enrolment messages sent so far. */
  readonly sent: number;
  /** People who joined since the rule was turned on and will get the course once their days have passed. */
  readonly waiting: number;
}

/** HR's change to the rule, as the card sent it: nothing is trusted. */
export type EnrolmentChange =
  | { readonly kind: 'turn-on'; readonly sendAfterDays: unknown; readonly dueDays: unknown }
  | { readonly kind: 'pause' | 'resume' };

export type EnrolmentOutcome =
  | { readonly kind: 'ok'; readonly rule: EnrolmentRule }
  | { readonly kind: 'invalid'; readonly field: 'sendAfterDays' | 'dueDays' }
  /** Pause or resume before the rule was ever turned on. */
  | { readonly kind: 'not-on' };

/** A joiner the rule reaches: their member key, when they became active and when they are enrolled. */
interface Joiner {
  readonly key: string;
  readonly aadObjectId: string | undefined;
  readonly activeSince: string;
  readonly sendOn: string;
}

const BATCH = 500;

/**
 * Everyone who joins gets the course: a member added to the roster or made active again after HR turned the rule on
 * is sent the course's campaign message `sendAfterDays` days later (in office hours), due `dueDays` days after that,
 * unless they completed the current version. Who is waiting is worked out from the roster each time, and each
 * delivery's id names the member and when they became active, so no restart or change of leader sends one twice.
 */
export class EnrolmentService {
  constructor(
    private readonly course: Course,
    private readonly stores: EnrolmentStores,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async state(): Promise<EnrolmentState> {
    const rule = await this.stores.enrolment.enrolmentRule();
    if (!rule) return { rule, sent: 0, waiting: 0 };
    const deliveries = await this.stores.deliveries.forSend(ENROLMENT_SEND_ID);
    const tallies = new DeliveryTallies();
    for (const d of deliveries) tallies.put(d);
    const waiting = await this.notEnrolled(await this.joiners(rule), deliveries);
    return { rule, sent: tallies.of(ENROLMENT_SEND_ID).sent, waiting: waiting.length };
  }

  /** Turns the rule on (or changes its numbers, or resumes it); the first time, joiners are counted from now. */
  async change(change: EnrolmentChange, by: string): Promise<EnrolmentOutcome> {
    const at = this.clock.now().toISOString();
    if (change.kind === 'turn-on') {
      const sendAfterDays = days(change.sendAfterDays, 0);
      if (sendAfterDays === undefined) return { kind: 'invalid', field: 'sendAfterDays' };
      const dueDays = days(change.dueDays, 1);
      if (dueDays === undefined) return { kind: 'invalid', field: 'dueDays' };
      const rule = await this.stores.enrolment.updateEnrolmentRule((current) =>
        current && !current.paused && current.sendAfterDays === sendAfterDays && current.dueDays === dueDays
          ? undefined
          : { sendAfterDays, dueDays, since: current?.since ?? at, paused: false, changedBy: by, changedAt: at },
      );
      return rule ? { kind: 'ok', rule } : { kind: 'not-on' };
    }
    const paused = change.kind === 'pause';
    const rule = await this.stores.enrolment.updateEnrolmentRule((current) =>
      current && current.paused !== paused ? { ...current, paused, changedBy: by, changedAt: at } : undefined,
    );
    return rule ? { kind: 'ok', rule } : { kind: 'not-on' };
  }

  /**
   * Enrols everyone whose days have passed, in office hours, while the rule is on and not paused; returns how many.
   * Each gets their due date in their assignment first, then their delivery.
   */
  async enrolDue(): Promise<number> {
    const now = this.clock.now();
    if (!isWorkingTime(now, this.timeZone)) return 0;
    const rule = await this.stores.enrolment.enrolmentRule();
    if (!rule || rule.paused) return 0;
    const today = localDate(now, this.timeZone);
    const joiners = (await this.joiners(rule)).filter((j) => j.sendOn <= today && j.aadObjectId !== undefined);
    if (joiners.length === 0) return 0;
    const open = await this.notEnrolled(joiners, await this.stores.deliveries.forSend(ENROLMENT_SEND_ID));
    const at = now.toISOString();
    const due = addDays(today, rule.dueDays);
    let added = 0;
    for (let i = 0; i < open.length; i += BATCH) {
      const batch = open.slice(i, i + BATCH);
      await Promise.all(
        batch.map((j) =>
          this.stores.assignments.update(j.key, (current) => ({
            ...current,
            key: j.key,
            due,
            campaignId: ENROLMENT_SEND_ID,
            lastReminderAt: at,
          })),
        ),
      );
      added += await this.stores.deliveries.add(batch.map((j) => delivery(j, at)));
    }
    return added;
  }

  /** Active members who became active since the rule was turned on, with the day each is due to be enrolled. */
  private async joiners(rule: EnrolmentRule): Promise<Joiner[]> {
    const found = await this.stores.roster.scan((m) =>
      m.active && m.activeSince !== undefined && m.activeSince > rule.since
        ? { key: m.key, aadObjectId: m.aadObjectId, activeSince: m.activeSince }
        : undefined,
    );
    return found
      .filter((j) => j !== undefined)
      .map((j) => ({
        ...j,
        sendOn: addDays(localDate(new Date(j.activeSince), this.timeZone), rule.sendAfterDays),
      }));
  }

  /** The joiners without an enrolment delivery yet who have not completed the current version. */
  private async notEnrolled(joiners: readonly Joiner[], deliveries: readonly Delivery[]): Promise<Joiner[]> {
    const done = new Set(deliveries.map((d) => d.id));
    const open: Joiner[] = [];
    for (const j of joiners) {
      if (done.has(enrolmentDeliveryId(j.key, j.activeSince))) continue;
      const progress = j.aadObjectId === undefined ? undefined : await this.stores.progress.get(j.aadObjectId);
      if (memberStatus(this.course, progress) !== 'completed') open.push(j);
    }
    return open;
  }
}

function delivery(joiner: Joiner, at: string): Delivery {
  return {
    id: enrolmentDeliveryId(joiner.key, joiner.activeSince),
    sendId: ENROLMENT_SEND_ID,
    kind: 'campaign',
    campaignId: ENROLMENT_SEND_ID,
    memberKey: joiner.key,
    state: 'pending',
    attempts: 0,
    updatedAt: at,
  };
}

/** A whole number of days from `min` to MAX_ENROLMENT_DAYS, from a number or a card's text; else undefined. */
function days(value: unknown, min: number): number | undefined {
  const n = typeof value === 'string' && /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= MAX_ENROLMENT_DAYS ? n : undefined;
}
