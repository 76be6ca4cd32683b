import type { AssignmentStore } from '../campaigns/ports.js';
import type { ProgressStore } from '../course/ports.js';
import type { RosterStore } from '../roster/ports.js';
import { localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import type { Course } from '../course/course.js';
import {
  changedSince,
  lapsesOn,
  memberStatus,
  statusOn,
  type MemberStatus,
  type Progress,
} from '../course/progress.js';
import { renewalDue, type Validity } from '../course/validity.js';
import type { Counts } from '../figures/counts.js';
import type { CoverageIndex } from '../figures/coverageIndex.js';
import type { CoverageFigures } from '../figures/figures.js';
import { group } from '../roster/groupName.js';
import { memberReports, orderedReports, type MemberReport, type ReportFilter } from './memberReports.js';

export type { Counts } from '../figures/counts.js';
export { group, NO_GROUP } from '../roster/groupName.js';
export type { MemberReport, ReportFilter } from './memberReports.js';

/** Coverage of the active roster on the current course version, overall, by department and by role. */
export interface Coverage {
  readonly version: string;
  /** The version as people say it (Course.versionName). */
  readonly versionName: string;
  readonly overall: Counts;
  /**
   * Among those who need to re-acknowledge, the most common number of lessons changed for them
   * (0 when nobody does).
   */
  readonly lessonsChanged: number;
  readonly byDepartment: readonly { readonly name: string; readonly counts: Counts }[];
  readonly byRole: readonly { readonly name: string; readonly counts: Counts }[];
}

/** The share of the active roster that completed the course on the current version, 0 to 1. */
export function completedShare(counts: Counts): number {
  return counts.active === 0 ? 0 : counts.completed / counts.active;
}

/** What coverage reads: whole tables, by projection. */
export interface CoverageStores {
  readonly roster: Pick<RosterStore, 'scan' | 'get'>;
  readonly progress: Pick<ProgressStore, 'scan' | 'get'>;
  readonly assignments: Pick<AssignmentStore, 'scan' | 'get'>;
}

type MutableCounts = { -readonly [K in keyof Counts]: Counts[K] };

/**
 * Who on the roster has done the course. Progress is keyed by Entra object id, so members are
 * joined to it by theirs; members without one have not started. With an index the figures cost
 * the same whatever the roster's size; without one every call reads whole tables.
 */
export class CoverageService {
  // Stores never change a record in place (every update writes a new one), so what was worked
  // out from a record stays true for as long as the record is there: it is worked out once.
  private readonly statuses = new WeakMap<
    Readonly<Progress>,
    { status: MemberStatus; changed?: number; lapse?: string }
  >();

  constructor(
    private readonly course: Course,
    private readonly stores: CoverageStores,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly index?: CoverageIndex,
    private readonly validity?: Validity,
  ) {}

  async coverage(): Promise<Coverage> {
    const today = localDate(this.clock.now(), this.timeZone);
    const figures = this.index ? (await this.index.read()).coverage(today) : await this.scan(today);
    const named = (groups: CoverageFigures['byDepartment']) =>
      groups.map(([name, counts]) => ({ name, counts })).sort((a, b) => compareNames(a.name, b.name));
    return {
      version: this.course.version,
      versionName: this.course.versionName,
      overall: figures.overall,
      lessonsChanged: figures.lessonsChanged,
      byDepartment: named(figures.byDepartment),
      byRole: named(figures.byRole),
    };
  }

  /** Active members (and with includeInactive the others too), sorted by department then name. */
  async reports(filter: ReportFilter = {}): Promise<MemberReport[]> {
    const reports: MemberReport[] = [];
    for await (const report of this.reportRows(filter)) reports.push(report);
    return reports;
  }

  /** The first `count` active members with this status in the order of reports(), and how many there are. */
  async firstReports(status: MemberStatus, count: number): Promise<{ total: number; reports: MemberReport[] }> {
    if (!this.index) {
      const all = await this.reports({ status });
      return { total: all.length, reports: all.slice(0, count) };
    }
    const { order } = await this.index.read();
    order.dated(localDate(this.clock.now(), this.timeZone));
    const total = order.size(status);
    const reports: MemberReport[] = [];
    if (count > 0) for await (const report of this.reportRows({ status })) if (reports.push(report) >= count) break;
    return { total: Math.max(total, reports.length), reports };
  }

  /** The reports of reports(), one at a time: for files too large to hold at once. */
  async *reportRows(filter: ReportFilter = {}): AsyncGenerator<MemberReport> {
    const today = localDate(this.clock.now(), this.timeZone);
    const { validity } = this;
    if (this.index) yield* orderedReports(this.course, this.stores, await this.index.read(), today, filter, validity);
    else yield* memberReports(this.course, this.stores, today, filter, validity);
  }

  /** The figures from whole tables, by projection: no object per employee. */
  private async scan(today: string): Promise<CoverageFigures> {
    const statusOf = new Map<string, MemberStatus>();
    const lapseOf = new Map<string, string>();
    const changedOf = new Map<string, number>();
    const pastDue = new Set<string>();
    const unreachable = new Set<string>();
    await Promise.all([
      this.stores.progress.scan((p) => {
        const { status, changed, lapse } = this.status(p);
        statusOf.set(p.userId.toLowerCase(), statusOn(status, lapse, today));
        if (lapse !== undefined) lapseOf.set(p.userId.toLowerCase(), lapse);
        if (changed !== undefined) changedOf.set(p.userId.toLowerCase(), changed);
      }),
      this.stores.assignments.scan((a) => {
        if (a.due !== undefined && a.due < today) pastDue.add(a.key);
        if (a.reach?.ok === false) unreachable.add(a.key);
      }),
    ]);
    const overall = emptyCounts();
    const departments = new Map<string, MutableCounts>();
    const roles = new Map<string, MutableCounts>();
    const changedCounts = new Map<number, number>();
    await this.stores.roster.scan((m) => {
      if (!m.active) return;
      const status = (m.aadObjectId && statusOf.get(m.aadObjectId.toLowerCase())) || 'not-started';
      const changed =
        m.aadObjectId && status === 'needs-reacknowledge' ? changedOf.get(m.aadObjectId.toLowerCase()) : undefined;
      if (changed !== undefined) changedCounts.set(changed, (changedCounts.get(changed) ?? 0) + 1);
      // A renewal is overdue after its own due date, as the coverage index counts it.
      const lapse = status === 'renewal-due' && m.aadObjectId ? lapseOf.get(m.aadObjectId.toLowerCase()) : undefined;
      const overdue = lapse !== undefined ? renewalDue(lapse) < today : status !== 'completed' && pastDue.has(m.key);
      const blocked = unreachable.has(m.key);
      count(overall, status, overdue, blocked);
      count(bucket(departments, group(m.department)), status, overdue, blocked);
      count(bucket(roles, group(m.role)), status, overdue, blocked);
    });
    // The most common number; on a tie the larger one, so the line never understates the work.
    const lessonsChanged = [...changedCounts].reduce(
      (best, [n, people]) => (people > best[1] || (people === best[1] && n > best[0]) ? [n, people] : best),
      [0, 0],
    )[0];
    return { overall, lessonsChanged, byDepartment: [...departments], byRole: [...roles] };
  }

  private status(p: Readonly<Progress>): { status: MemberStatus; changed?: number; lapse?: string } {
    let known = this.statuses.get(p);
    if (known === undefined) {
      const status = memberStatus(this.course, p);
      const lapse = status === 'completed' ? lapsesOn(this.course, p, this.validity) : undefined;
      known =
        status === 'needs-reacknowledge'
          ? { status, changed: changedSince(this.course, p).length }
          : { status, ...(lapse !== undefined ? { lapse } : {}) };
      this.statuses.set(p, known);
    }
    return known;
  }
}

const compareNames = new Intl.Collator('en').compare;

function emptyCounts(): MutableCounts {
  return { active: 0, notStarted: 0, inProgress: 0, reacknowledge: 0, completed: 0, overdue: 0, unreachable: 0 };
}

function bucket(groups: Map<string, MutableCounts>, name: string): MutableCounts {
  let counts = groups.get(name);
  if (!counts) groups.set(name, (counts = emptyCounts()));
  return counts;
}

function count(counts: MutableCounts, status: MemberStatus, overdue: boolean, unreachable: boolean): void {
  counts.active += 1;
  if (status === 'not-started') counts.notStarted += 1;
  else if (status === 'in-progress') counts.inProgress += 1;
  else if (status === 'needs-reacknowledge') counts.reacknowledge += 1;
  else if (status === 'renewal-due') counts.renewalDue = (counts.renewalDue ?? 0) + 1;
  else counts.completed += 1;
  if (overdue) counts.overdue += 1;
  if (unreachable) counts.unreachable += 1;
}
