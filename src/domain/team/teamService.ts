import type { ManualReminders, ReminderService } from '../campaigns/reminderService.js';
import type { AssignmentStore } from '../campaigns/ports.js';
import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import { lapsesOn, memberStatus } from '../course/progress.js';
import { renewalDue, type Validity } from '../course/validity.js';
import type { RosterStore } from '../roster/ports.js';
import { localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import { TEAM_ORDER, teamStatus, type TeamStatus } from './teamStatus.js';

/** One direct report as their manager sees them: a name and a status, never a score or an answer. */
export interface TeamReport {
  readonly key: string;
  readonly name: string;
  readonly status: TeamStatus;
  /** The due date (YYYY-MM-DD) of the campaign that reached them, while they have not completed. */
  readonly due?: string;
}

/** A manager's "Remind": what HR's reminders answer, and how many unfinished reports no campaign reached. */
export type TeamReminders = ManualReminders & { readonly notAsked: number };

/** What a manager's team is read from. */
export interface TeamStores {
  readonly roster: Pick<RosterStore, 'scan'>;
  readonly progress: Pick<ProgressStore, 'get'>;
  readonly assignments: Pick<AssignmentStore, 'get'>;
}

const compareNames = new Intl.Collator('en').compare;

/**
 * Managers and their direct reports: the active roster members whose `manager` is one of the
 * manager's identities (their Entra object id or an e-mail address, lower case). A manager sees a
 * name and a status per report, and can remind those who have not finished, under HR's spacing.
 */
export class TeamService {
  constructor(
    private readonly course: Course,
    private readonly stores: TeamStores,
    private readonly reminders: Pick<ReminderService, 'manual'>,
    private readonly clock: Clock,
    private readonly timeZone: string,
    /** How long an acknowledgement holds (POSTWISE_ACKNOWLEDGEMENT_MONTHS); none: for good. */
    private readonly validity?: Validity,
  ) {}

  /** Whether anyone active on the roster has one of these identities as their manager. */
  async hasReports(identities: readonly string[]): Promise<boolean> {
    return (await this.reportsOf(identities)).length > 0;
  }

  /** The direct reports, those who need action first (overdue, not started, …), then by name. */
  async team(identities: readonly string[]): Promise<TeamReport[]> {
    const today = localDate(this.clock.now(), this.timeZone);
    const reports = await Promise.all(
      (await this.reportsOf(identities)).map(async ({ key, name, aadObjectId }): Promise<TeamReport> => {
        const [progress, assignment] = await Promise.all([
          aadObjectId ? this.stores.progress.get(aadObjectId) : undefined,
          this.stores.assignments.get(key),
        ]);
        const standing = progress ? memberStatus(this.course, progress, { validity: this.validity, today }) : undefined;
        // A renewal is due by its own date, whatever campaign reached them before (as coverage counts it).
        const lapse =
          standing === 'renewal-due' && progress ? lapsesOn(this.course, progress, this.validity) : undefined;
        const status = teamStatus(standing ?? 'not-started', lapse ? renewalDue(lapse) : assignment?.due, today);
        const due = status === 'completed' ? undefined : lapse ? renewalDue(lapse) : assignment?.due;
        return { key, name, status, ...(due !== undefined ? { due } : {}) };
      }),
    );
    const rank = (r: TeamReport) => TEAM_ORDER.indexOf(r.status);
    return reports.sort((a, b) => rank(a) - rank(b) || compareNames(a.name, b.name) || compareNames(a.key, b.key));
  }

  /** Reminds the reports who have not finished and were reached by a campaign, as HR's `remind` does. */
  async remind(identities: readonly string[]): Promise<TeamReminders> {
    const open = (await this.team(identities)).filter((r) => r.status !== 'completed');
    const notAsked = open.filter((r) => r.due === undefined).length;
    const asked = open.filter((r) => r.due !== undefined).map((r) => r.key);
    if (asked.length === 0) return { kind: 'nobody', notAsked };
    return { ...(await this.reminders.manual(asked)), notAsked };
  }

  private async reportsOf(identities: readonly string[]) {
    const ids = new Set(identities.map((id) => id.trim().toLowerCase()).filter((id) => id !== ''));
    const reports = await this.stores.roster.scan((m) =>
      m.active && m.manager !== undefined && ids.has(m.manager)
        ? { key: m.key, name: m.name, aadObjectId: m.aadObjectId }
        : undefined,
    );
    return reports.filter((r) => r !== undefined);
  }
}
