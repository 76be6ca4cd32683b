import { addDays, localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import { localInstant } from '../time/localTime.js';
import { isWorkingTime } from '../time/workingHours.js';
import type { CampaignRequest, Invalid } from './campaignOutcomes.js';
import type { CampaignService } from './campaignService.js';
import type { ScheduledCampaign, ScheduleStore } from './schedule.js';

/** What the *Send at…* form sent besides the campaign: the start's date (YYYY-MM-DD) and time (HH:MM), untrusted. */
export interface ScheduleRequest extends CampaignRequest {
  readonly date: unknown;
  readonly time: unknown;
}

/** Why a start was refused: not a date and time, already past, outside office hours, or not before the due date. */
export type ScheduleRefusal = 'time' | 'past' | 'outside-hours' | 'due-before-start';

export type ScheduleOutcome =
  | Invalid
  | { readonly kind: 'refused'; readonly reason: ScheduleRefusal }
  | { readonly kind: 'scheduled' | 'replayed'; readonly schedule: ScheduledCampaign }
  /** The preview was sent at once already: there is nothing to schedule. */
  | { readonly kind: 'sent' };

export type CancelOutcome =
  | { readonly kind: 'cancelled' | 'already-cancelled' | 'started'; readonly schedule: ScheduledCampaign }
  | { readonly kind: 'unknown' };

/** A campaign that failed at its time stays on the list this long, so that HR sees why nothing went out. */
const FAILED_LISTED_MS = 7 * 24 * 3_600_000;

/** Campaigns HR set to start later: scheduling, cancelling, and starting them when due, once each. */
export class ScheduleService {
  private round: Promise<number> | undefined;

  constructor(
    private readonly campaigns: Pick<CampaignService, 'preview' | 'send' | 'status'>,
    private readonly store: ScheduleStore,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /** What the *Send at…* form offers: the first date it takes (today), and the next weekday at 09:00. */
  suggested(): { first: string; date: string; time: string } {
    const first = localDate(this.clock.now(), this.timeZone);
    let date = addDays(first, 1);
    while ([0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay())) date = addDays(date, 1);
    return { first, date, time: '09:00' };
  }

  /** Checks the campaign as *Send* would, and the start; stores it. Scheduling the same preview again finds it. */
  async schedule(request: ScheduleRequest): Promise<ScheduleOutcome> {
    const preview = await this.campaigns.preview(request);
    if (preview.kind === 'invalid') return preview;
    const existing = await this.store.get(request.id);
    if (existing) return { kind: 'replayed', schedule: existing };
    if (await this.campaigns.status(request.id, 0)) return { kind: 'sent' };
    const now = this.clock.now();
    const at = localInstant(request.date, request.time, this.timeZone);
    if (!at) return { kind: 'refused', reason: 'time' };
    if (at.getTime() <= now.getTime()) return { kind: 'refused', reason: 'past' };
    if (!isWorkingTime(at, this.timeZone)) return { kind: 'refused', reason: 'outside-hours' };
    const { campaign } = preview;
    if (campaign.due <= localDate(at, this.timeZone)) return { kind: 'refused', reason: 'due-before-start' };
    const { schedule, created } = await this.store.create({
      id: campaign.id,
      createdBy: campaign.createdBy,
      createdAt: now.toISOString(),
      at: at.toISOString(),
      audience: campaign.audience,
      due: campaign.due,
      ...(campaign.note === undefined ? {} : { note: campaign.note }),
      state: 'scheduled',
    });
    return { kind: created ? 'scheduled' : 'replayed', schedule };
  }

  /** Those still to start, and those that failed at their time in the last week; earliest first. */
  async listed(): Promise<ScheduledCampaign[]> {
    const since = new Date(this.clock.now().getTime() - FAILED_LISTED_MS).toISOString();
    return (await this.store.list()).filter(
      (s) =>
        s.state === 'scheduled' || s.state === 'starting' || (s.state === 'failed' && (s.changedAt ?? '') >= since),
    );
  }

  /** Cancels a schedule that has not started; once it started (or was cancelled) nothing changes. */
  async cancel(id: string): Promise<CancelOutcome> {
    const changedAt = this.clock.now().toISOString();
    const cancelled = await this.store.update(id, (s) =>
      s.state === 'scheduled' ? { ...s, state: 'cancelled', changedAt } : undefined,
    );
    if (cancelled) return { kind: 'cancelled', schedule: cancelled };
    const schedule = await this.store.get(id);
    if (!schedule) return { kind: 'unknown' };
    return { kind: schedule.state === 'cancelled' ? 'already-cancelled' : 'started', schedule };
  }

  /**
   * Starts the schedules that are due, in office hours; returns how many it started. A start claimed before (by
   * an instance that stopped part-way) is finished: the campaign id makes sending it again add only what is missing.
   */
  startDue(): Promise<number> {
    this.round ??= this.startAll().finally(() => (this.round = undefined));
    return this.round;
  }

  private async startAll(): Promise<number> {
    const now = this.clock.now();
    if (!isWorkingTime(now, this.timeZone)) return 0;
    const due = (await this.store.list()).filter(
      (s) => (s.state === 'scheduled' || s.state === 'starting') && s.at <= now.toISOString(),
    );
    let started = 0;
    for (const s of due) if (await this.start(s.id)) started++;
    return started;
  }

  private async start(id: string): Promise<boolean> {
    const changedAt = this.clock.now().toISOString();
    await this.store.update(id, (s) => (s.state === 'scheduled' ? { ...s, state: 'starting', changedAt } : undefined));
    const claimed = await this.store.get(id);
    if (claimed?.state !== 'starting') return false;
    const outcome = await this.campaigns.send(requestOf(claimed));
    const finished = (s: ScheduledCampaign): ScheduledCampaign | undefined => {
      if (s.state !== 'starting') return undefined;
      return outcome.kind === 'invalid'
        ? { ...s, state: 'failed', failed: outcome.field, changedAt }
        : { ...s, state: 'started', recipients: outcome.recipients, changedAt };
    };
    return (await this.store.update(id, finished))?.state === 'started';
  }
}

/** The campaign request the schedule stands for, as the preview's form sent it. */
function requestOf(s: ScheduledCampaign): CampaignRequest {
  const { audience } = s;
  const wide = audience.kind === 'everyone' || audience.kind === 'departments' || audience.kind === 'group';
  return {
    id: s.id,
    createdBy: s.createdBy,
    audience: audience.kind,
    departments: audience.kind === 'departments' ? audience.departments : undefined,
    group: audience.kind === 'group' ? audience.groupId : undefined,
    due: s.due,
    note: s.note,
    includeCompleted: wide && audience.leaveOutCompleted === false ? 'yes' : 'no',
  };
}
