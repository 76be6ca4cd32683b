import type { AssignmentStore } from '../campaigns/ports.js';
import type { ProgressStore } from '../course/ports.js';
import type { RosterStore } from '../roster/ports.js';
import { localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import type { Course } from '../course/course.js';
import { changedSince, latestAcknowledgement, lessonsDone, masteredAt, memberStatus, score, type Acknowledgement, type MemberStatus, type Progress } from '../course/progress.js';
import type { Member } from '../roster/roster.js';

/** How many active roster members stand where; overdue and unreachable overlap the four statuses, which add up to active. */
export interface Counts {
  readonly active: number;
  readonly notStarted: number;
  readonly inProgress: number;
  /** Acknowledged an earlier version, not this one. */
  readonly reacknowledge: number;
  readonly completed: number;
  readonly overdue: number;
  readonly unreachable: number;
}

/** Coverage of the active roster on the current course version, overall, by department and by role. */
export interface Coverage {
  readonly version: string;
  /** The version as people say it (Course.versionName). */
  readonly versionName: string;
  readonly overall: Counts;
  /** Among those who need to re-acknowledge, the most common number of lessons changed for them (0 when nobody does). */
  readonly lessonsChanged: number;
  readonly byDepartment: readonly { readonly name: string; readonly counts: Counts }[];
  readonly byRole: readonly { readonly name: string; readonly counts: Counts }[];
}

/** One roster member as HR sees them. */
export interface MemberReport {
  readonly member: Member;
  readonly status: MemberStatus;
  /** For needs-reacknowledge: how many lessons changed since their latest acknowledgement. */
  readonly lessonsChanged?: number;
  readonly lessonsDone: number;
  readonly lessonsTotal: number;
  readonly correct: number;
  readonly answered: number;
  /** When every question had been answered correctly once; undefined while one is not yet. */
  readonly masteredAt?: string;
  /** The current version's acknowledgement, else the latest one of an older version. */
  readonly acknowledgedVersion?: string;
  readonly acknowledgedAt?: string;
  readonly lastActivityAt?: string;
  /** Due date (YYYY-MM-DD) of the latest campaign that reached them. */
  readonly due?: string;
  readonly overdue: boolean;
  /** Undefined until a delivery to them was tried. */
  readonly reachable?: boolean;
  readonly unreachableReason?: string;
}

/** Which members reports() lists; every condition given must hold. */
export interface ReportFilter {
  readonly status?: MemberStatus;
  /** A department name as coverage shows it; NO_GROUP for members without one. */
  readonly department?: string;
  /** Also list members who left the roster (they are never counted in coverage). */
  readonly includeInactive?: boolean;
}

/** The bucket for members with no department or role. */
export const NO_GROUP = '(none)';

/** The share of the active roster that completed the course on the current version, 0 to 1. */
export function completedShare(counts: Counts): number {
  return counts.active === 0 ? 0 : counts.completed / counts.active;
}

interface ProgressSummary {
  readonly status: MemberStatus;
  readonly lessonsChanged?: number;
  readonly lessonsDone: number;
  readonly correct: number;
  readonly answered: number;
  readonly masteredAt?: string;
  readonly acknowledgement?: Pick<Acknowledgement, 'version' | 'at'>;
  readonly lastActivityAt?: string;
}

interface AssignmentSummary {
  readonly due?: string;
  readonly reachable?: boolean;
  readonly reason?: string;
}

/** What coverage reads: whole tables, by projection. */
export interface CoverageStores {
  readonly roster: Pick<RosterStore, 'scan'>;
  readonly progress: Pick<ProgressStore, 'scan'>;
  readonly assignments: Pick<AssignmentStore, 'scan'>;
}

type MutableCounts = { -readonly [K in keyof Counts]: Counts[K] };

/**
 * Who on the roster has done the course. Progress is keyed by Entra object id, so members are
 * joined to it by theirs; members without one have not started. Reads whole tables by projection.
 */
export class CoverageService {
  // Stores never change a record in place (every update writes a new one), so what was worked
  // out from a record stays true for as long as the record is there: it is worked out once.
  private readonly statuses = new WeakMap<Readonly<Progress>, { status: MemberStatus; changed?: number }>();
  private readonly summaries = new WeakMap<Readonly<Progress>, ProgressSummary>();

  constructor(
    private readonly course: Course,
    private readonly stores: CoverageStores,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async coverage(): Promise<Coverage> {
    const today = localDate(this.clock.now(), this.timeZone);
    // Projections straight into maps and counters: no object per employee.
    const statusOf = new Map<string, MemberStatus>();
    const changedOf = new Map<string, number>();
    const pastDue = new Set<string>();
    const unreachable = new Set<string>();
    await Promise.all([
      this.stores.progress.scan((p) => {
        const { status, changed } = this.status(p);
        statusOf.set(p.userId.toLowerCase(), status);
        if (changed !== undefined) changedOf.set(p.userId.toLowerCase(), changed);
      }),
      this.stores.assignments.scan((a) => {
        if (isOverdue(a.due, today)) pastDue.add(a.key);
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
      const changed = m.aadObjectId && status === 'needs-reacknowledge' ? changedOf.get(m.aadObjectId.toLowerCase()) : undefined;
      if (changed !== undefined) changedCounts.set(changed, (changedCounts.get(changed) ?? 0) + 1);
      const overdue = status !== 'completed' && pastDue.has(m.key);
      const blocked = unreachable.has(m.key);
      count(overall, status, overdue, blocked);
      count(bucket(departments, group(m.department)), status, overdue, blocked);
      count(bucket(roles, group(m.role)), status, overdue, blocked);
    });
    // The most common number; on a tie the larger one, so the line never understates the work.
    const lessonsChanged = [...changedCounts].reduce((best, [n, people]) => (people > best[1] || (people === best[1] && n > best[0]) ? [n, people] : best), [0, 0])[0];
    return { version: this.course.version, versionName: this.course.versionName, overall, lessonsChanged, byDepartment: sorted(departments), byRole: sorted(roles) };
  }

  /** Active members (and with includeInactive the others too), sorted by department then name. */
  async reports(filter: ReportFilter = {}): Promise<MemberReport[]> {
    const today = localDate(this.clock.now(), this.timeZone);
    const [members, progress, assignments] = await Promise.all([
      // Every field of a member is a string or a boolean: a spread is a full copy.
      this.stores.roster.scan((m): Member => ({ ...m })),
      this.stores.progress.scan((p) => [p.userId.toLowerCase(), this.summary(p)] as const),
      this.stores.assignments.scan((a) => [a.key, { due: a.due, reachable: a.reach?.ok, reason: a.reach?.reason } as AssignmentSummary] as const),
    ]);
    const progressOf = new Map(progress);
    const assignmentOf = new Map(assignments);
    const lessonsTotal = this.course.lessons.length;
    const reports: MemberReport[] = [];
    for (const member of members) {
      if (!member.active && !filter.includeInactive) continue;
      if (filter.department !== undefined && group(member.department) !== filter.department) continue;
      const p = member.aadObjectId ? progressOf.get(member.aadObjectId.toLowerCase()) : undefined;
      const status = p?.status ?? 'not-started';
      if (filter.status !== undefined && status !== filter.status) continue;
      const a = assignmentOf.get(member.key);
      reports.push({
        member,
        status,
        lessonsChanged: p?.lessonsChanged,
        lessonsDone: p?.lessonsDone ?? 0,
        lessonsTotal,
        correct: p?.correct ?? 0,
        answered: p?.answered ?? 0,
        masteredAt: p?.masteredAt,
        acknowledgedVersion: p?.acknowledgement?.version,
        acknowledgedAt: p?.acknowledgement?.at,
        lastActivityAt: p?.lastActivityAt,
        due: a?.due,
        overdue: status !== 'completed' && isOverdue(a?.due, today),
        reachable: a?.reachable,
        unreachableReason: a?.reachable === false ? a.reason : undefined,
      });
    }
    return reports.sort(
      (x, y) =>
        Number(y.member.active) - Number(x.member.active) ||
        compareNames(group(x.member.department), group(y.member.department)) ||
        compareNames(x.member.name, y.member.name) ||
        compareNames(x.member.key, y.member.key),
    );
  }

  private status(p: Readonly<Progress>): { status: MemberStatus; changed?: number } {
    let known = this.statuses.get(p);
    if (known === undefined) {
      const status = memberStatus(this.course, p);
      known = status === 'needs-reacknowledge' ? { status, changed: changedSince(this.course, p).length } : { status };
      this.statuses.set(p, known);
    }
    return known;
  }

  private summary(p: Readonly<Progress>): ProgressSummary {
    const known = this.summaries.get(p);
    if (known) return known;
    const s = score(this.course, p);
    const current = p.acknowledgements.find((a) => a.version === this.course.version);
    const latest = current ?? latestAcknowledgement(p);
    const { status, changed } = this.status(p);
    const summary: ProgressSummary = {
      status,
      lessonsChanged: changed,
      lessonsDone: lessonsDone(this.course, p),
      correct: s.correct,
      answered: s.answered,
      masteredAt: masteredAt(this.course, p),
      acknowledgement: latest && { version: latest.version, at: latest.at },
      lastActivityAt: p.lastActivityAt,
    };
    this.summaries.set(p, summary);
    return summary;
  }
}

function isOverdue(due: string | undefined, today: string): boolean {
  return due !== undefined && due < today;
}

/** A department or role as coverage shows it: trimmed, NO_GROUP when empty. */
export function group(name: string): string {
  const trimmed = name.trim();
  return trimmed === '' ? NO_GROUP : trimmed;
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
  else counts.completed += 1;
  if (overdue) counts.overdue += 1;
  if (unreachable) counts.unreachable += 1;
}

function sorted(groups: Map<string, MutableCounts>): { name: string; counts: Counts }[] {
  return [...groups].map(([name, counts]) => ({ name, counts })).sort((a, b) => compareNames(a.name, b.name));
}
