import type { Assignment } from '../campaigns/assignment.js';
import type { AssignmentStore } from '../campaigns/ports.js';
import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import {
  changedSince,
  currentAcknowledgement,
  lapsesOn,
  latestAcknowledgement,
  lessonsDone,
  masteredAt,
  memberStatus,
  score,
  type MemberStatus,
  type Progress,
} from '../course/progress.js';
import { renewalDue, type Validity } from '../course/validity.js';
import type { RosterStore } from '../roster/ports.js';
import type { Member } from '../roster/roster.js';
import type { MemberOrder, OrderList } from '../figures/memberOrder.js';
import { sortInSlices } from '../figures/sortInSlices.js';
import { group } from '../roster/groupName.js';
import { eachInSlices, TimeSlice } from '../time/eventLoop.js';

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
  /** The day the current version's latest acknowledgement lapses (or lapsed), when acknowledgements lapse. */
  readonly lapsesOn?: string;
  readonly lastActivityAt?: string;
  /** Due date (YYYY-MM-DD) of the latest campaign that reached them, or of their renewal when that is due. */
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

/** What the member reports read: whole tables, by reference to their records. */
export interface ReportStores {
  readonly roster: Pick<RosterStore, 'scan'>;
  readonly progress: Pick<ProgressStore, 'scan'>;
  readonly assignments: Pick<AssignmentStore, 'scan'>;
}

/** What the reports read one member at a time, when the index gives their order. */
export interface RecordStores {
  readonly roster: Pick<RosterStore, 'get'>;
  readonly progress: Pick<ProgressStore, 'get'>;
  readonly assignments: Pick<AssignmentStore, 'get'>;
}

/** The coverage index's figures the reports read: the members in order, and the progress store's key for each. */
export interface ReportOrder {
  readonly order: MemberOrder;
  userIdOf(aad: string): string | undefined;
}

const STATUSES: readonly MemberStatus[] = [
  'not-started',
  'in-progress',
  'needs-reacknowledge',
  'renewal-due',
  'completed',
];
const compareNames = new Intl.Collator('en').compare;

/**
 * One report per member, sorted by on-roster first, department, name, then key, made a slice at
 * a time: the event loop is never held for long, and the first rows come before the last are sorted.
 * Stores replace records rather than change them, so the records read at the start stay as they were.
 */
export async function* memberReports(
  course: Course,
  stores: ReportStores,
  today: string,
  filter: ReportFilter = {},
  validity?: Validity,
): AsyncGenerator<MemberReport> {
  const [members, progress, assignments] = await Promise.all([
    stores.roster.scan((m) => m),
    stores.progress.scan((p) => p),
    stores.assignments.scan((a) => a),
  ]);
  const progressOf = new Map<string, Readonly<Progress>>();
  await eachInSlices(progress, (p) => void progressOf.set(p.userId.toLowerCase(), p));
  const assignmentOf = new Map<string, Readonly<Assignment>>();
  await eachInSlices(assignments, (a) => void assignmentOf.set(a.key, a));
  const statuses = new WeakMap<Readonly<Progress>, MemberStatus>();
  const statusOf = (p: Readonly<Progress> | undefined): MemberStatus => {
    if (!p) return 'not-started';
    let status = statuses.get(p);
    if (status === undefined) statuses.set(p, (status = memberStatus(course, p, { validity, today })));
    return status;
  };
  const progressFor = (m: Readonly<Member>) =>
    m.aadObjectId ? progressOf.get(m.aadObjectId.toLowerCase()) : undefined;
  // Buckets by on-roster and department, so only one bucket is sorted before its rows go out.
  const buckets = new Map<string, { active: boolean; department: string; members: Readonly<Member>[] }>();
  await eachInSlices(members, (m) => {
    if (!m.active && !filter.includeInactive) return;
    const department = group(m.department);
    if (filter.department !== undefined && department !== filter.department) return;
    if (filter.status !== undefined && statusOf(progressFor(m)) !== filter.status) return;
    const id = `${m.active ? 1 : 0}\u0000${department}`;
    let bucket = buckets.get(id);
    if (!bucket) buckets.set(id, (bucket = { active: m.active, department, members: [] }));
    bucket.members.push(m);
  });
  const ordered = [...buckets.values()].sort(
    (x, y) => Number(y.active) - Number(x.active) || compareNames(x.department, y.department),
  );
  const slice = new TimeSlice();
  for (const bucket of ordered) {
    for (const m of await sortInSlices(
      bucket.members,
      (x, y) => compareNames(x.name, y.name) || compareNames(x.key, y.key),
    )) {
      if (slice.spent) await slice.pause();
      const p = progressFor(m);
      yield report(course, { ...m }, p, statusOf(p), assignmentOf.get(m.key), today, validity);
    }
  }
}

/**
 * The reports of memberReports() in the same order, taken from the index's order as they are
 * read: nobody is sorted, and each member's records are read only when their row is made, so the
 * first rows come at once and the whole roster is never held.
 */
export async function* orderedReports(
  course: Course,
  stores: RecordStores,
  index: ReportOrder,
  today: string,
  filter: ReportFilter = {},
  validity?: Validity,
): AsyncGenerator<MemberReport> {
  index.order.dated(today);
  const lists: OrderList[] = filter.status !== undefined ? [filter.status] : [...STATUSES];
  if (filter.includeInactive) lists.push('inactive');
  const slice = new TimeSlice();
  const members = lists.length === 1 ? index.order.walk(lists[0] as OrderList) : index.order.ordered(lists);
  for (const placed of members) {
    if (slice.spent) await slice.pause();
    if (filter.department !== undefined && placed.department !== filter.department) continue;
    const member = await stores.roster.get(placed.key);
    if (!member || (!member.active && !filter.includeInactive)) continue;
    const aad = member.aadObjectId?.toLowerCase();
    const userId = aad === undefined ? undefined : index.userIdOf(aad);
    const p = userId === undefined ? undefined : await stores.progress.get(userId);
    const status = p ? memberStatus(course, p, { validity, today }) : 'not-started';
    // Written since the lists were read: the row says where they stand now, and a filter holds.
    if (filter.status !== undefined && status !== filter.status) continue;
    yield report(course, member, p, status, await stores.assignments.get(member.key), today, validity);
  }
}

function report(
  course: Course,
  member: Member,
  p: Readonly<Progress> | undefined,
  status: MemberStatus,
  a: Readonly<Assignment> | undefined,
  today: string,
  validity: Validity | undefined,
): MemberReport {
  const s = p && score(course, p);
  const latest = p && (currentAcknowledgement(p, course.version) ?? latestAcknowledgement(p));
  const lapse = p && lapsesOn(course, p, validity);
  // A renewal is due by its own date, whatever campaign reached them before.
  const due = status === 'renewal-due' && lapse !== undefined ? renewalDue(lapse) : a?.due;
  return {
    member,
    status,
    lessonsChanged: p && status === 'needs-reacknowledge' ? changedSince(course, p).length : undefined,
    lessonsDone: p ? lessonsDone(course, p) : 0,
    lessonsTotal: course.lessons.length,
    correct: s?.correct ?? 0,
    answered: s?.answered ?? 0,
    masteredAt: p && masteredAt(course, p),
    acknowledgedVersion: latest?.version,
    acknowledgedAt: latest?.at,
    lapsesOn: lapse,
    lastActivityAt: p?.lastActivityAt,
    due,
    overdue: status !== 'completed' && due !== undefined && due < today,
    reachable: a?.reach?.ok,
    unreachableReason: a?.reach?.ok === false ? a.reach.reason : undefined,
  };
}
