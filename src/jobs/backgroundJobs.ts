import type { RefresherService } from '../domain/refreshers/refresherService.js';
import type { ReminderService } from '../domain/campaigns/reminderService.js';
import type { EnrolmentService } from '../domain/enrolment/enrolmentService.js';
import type { ScheduleService } from '../domain/campaigns/scheduleService.js';
import type { RenewalService } from '../domain/renewal/renewalService.js';
import type { Log } from '../log.js';
import type { TicketThreads } from '../domain/contact/ticketThreads.js';

export interface BackgroundJobsDeps {
  readonly contactSlaHours: number;
  readonly threads: TicketThreads;
  readonly reminders: ReminderService;
  readonly refreshers: RefresherService;
  readonly enrolment: EnrolmentService;
  readonly schedules: ScheduleService;
  readonly renewals: Pick<RenewalService, 'sendDue'>;
  readonly log: Log;
}

/** The work nobody asks for: the leader runs it every minute, tests call it when they like. */
export class BackgroundJobs {
  private enrolling: Promise<void> = Promise.resolve();

  constructor(private readonly deps: BackgroundJobsDeps) {}

  /** Posts the nudge for questions left unanswered too long; returns how many. */
  sendDueNudges(): Promise<number> {
    return this.deps.threads.sendDueNudges(this.deps.contactSlaHours);
  }

  /** Posts questions and reports that are still waiting for their thread; returns how many. */
  postWaitingTickets(): Promise<number> {
    return this.deps.threads.openWaiting();
  }

  /** Starts the automatic campaign reminders that are due; returns how many people they reach. */
  async remindEmployees(): Promise<number> {
    const round = await this.deps.reminders.dueAutomatic();
    if (!round) return 0;
    this.deps.log.info('reminders.round', { recipients: round.recipients, overdue: round.overdue });
    return round.recipients;
  }

  /** Sends the course to joiners whose days have passed (standing enrolment); returns how many. */
  async enrolJoiners(): Promise<number> {
    const count = await this.deps.enrolment.enrolDue();
    if (count > 0) this.deps.log.info('enrolment.round', { recipients: count });
    return count;
  }

  /** Starts the scheduled campaigns that are due; returns how many. */
  async startScheduledCampaigns(): Promise<number> {
    const count = await this.deps.schedules.startDue();
    if (count > 0) this.deps.log.info('campaigns.scheduled-started', { count });
    return count;
  }

  /** Starts the refreshers that are due, once enrolment is done; returns how many. */
  async sendDueRefreshers(): Promise<number> {
    await this.enrolling;
    const count = await this.deps.refreshers.sendDue();
    if (count > 0) this.deps.log.info('refreshers.round', { recipients: count });
    return count;
  }

  /** Sends the renewal message to everyone whose acknowledgement lapsed; returns how many. */
  async sendDueRenewals(): Promise<number> {
    const count = await this.deps.renewals.sendDue();
    if (count > 0) this.deps.log.info('renewals.round', { recipients: count });
    return count;
  }

  /** Everyone who completed the course before refreshers existed gets them too; in the background. */
  enrolRefreshers(): void {
    const { refreshers, log } = this.deps;
    this.enrolling = refreshers
      .enrolCompleted()
      .then((count) => (count > 0 ? log.info('refreshers.enrolled', { count }) : undefined))
      .catch((error: unknown) => log.error('refreshers.enrol-failed', error));
  }

  /** Resolves once the enrolment under way (if any) is done. */
  enrolled(): Promise<void> {
    return this.enrolling;
  }

  /** One minute's round of every job; failures are logged, not thrown. */
  everyMinute(): void {
    const { log } = this.deps;
    void this.sendDueRefreshers().catch((error: unknown) => log.error('refreshers.round-failed', error));
    void this.sendDueNudges().catch((error: unknown) => log.error('nudges.failed', error));
    void this.postWaitingTickets().catch((error: unknown) => log.error('tickets.waiting-failed', error));
    void this.remindEmployees().catch((error: unknown) => log.error('reminders.employees-failed', error));
    void this.enrolJoiners().catch((error: unknown) => log.error('enrolment.round-failed', error));
    void this.startScheduledCampaigns().catch((error: unknown) => log.error('campaigns.scheduled-failed', error));
    void this.sendDueRenewals().catch((error: unknown) => log.error('renewals.round-failed', error));
  }
}
