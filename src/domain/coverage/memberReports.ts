import type { Assignment } from '../campaigns/assignment.js';
import type { AssignmentStore } from '../campaigns/ports.js';
import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import {
  changedSince,
  latestAcknowledgement,
  lessonsDone,
  masteredAt,
  memberStatus,
  score,
  type MemberStatus,
  type Progress,
} from '../course/progress.js';
import type { RosterStore } from '../roster/ports.js';
import type { Member } from '../roster/roster.js';
import { group } from './coverageIndex.js';
import type { MemberOrder, OrderList } from './memberOrder.js';

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

/** Records handled between two yields to the event loop. */
const CHUNK = 1_000;
/**
 * Longest the reports read members one at a time before yielding to the event loop (ms): a row count would hold it far
 * longer while the code is cold.
 */
const SLICE_MS = 8;
const STATUSES: readonly MemberStatus[] = ['not-started', 'in-progress', 'needs-reacknowledge', 'completed'];
const compareNames = new Intl.Collator('en').compare;

/**
 * One report per member, sorted by on-roster first, department, name, then key, made a chunk at
 * a time: the event loop is never held for long, and the first rows come before the last are sorted.
 * Stores replace records rather than change them, so the records read at the start stay as they were.
 */
export async function* memberReports(
  course: Course,
  stores: ReportStores,
  today: string,
  filter: ReportFilter = {},
): AsyncGenerator<MemberReport> {
  const [members, progress, assignments] = await Promise.all([
    stores.roster.scan((m) => m),
    stores.progress.scan((p) => p),
    stores.assignments.scan((a) => a),
  ]);
  const progressOf = new Map<string, Readonly<Progress>>();
  await chunked(progress, (p) => void progressOf.set(p.userId.toLowerCase(), p));
  const assignmentOf = new Map<string, Readonly<Assignment>>();
  await chunked(assignments, (a) => void assignmentOf.set(a.key, a));
  const statuses = new WeakMap<Readonly<Progress>, MemberStatus>();
  const statusOf = (p: Readonly<Progress> | undefined): MemberStatus => {
    if (!p) return 'not-started';
    let status = statuses.get(p);
    if (status === undefined) statuses.set(p, (status = memberStatus(course, p)));
    return status;
  };
  const progressFor = (m: Readonly<Member>) =>
    m.aadObjectId ? progressOf.get(m.aadObjectId.toLowerCase()) : undefined;
  // Buckets by on-roster and department, so only one bucket is sorted before its rows go out.
  const buckets = new Map<string, { active: boolean; department: string; members: Readonly<Member>[] }>();
  await chunked(members, (m) => {
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
  let made = 0;
  for (const bucket of ordered) {
    for (const m of await sortInChunks(
      bucket.members,
      (x, y) => compareNames(x.name, y.name) || compareNames(x.key, y.key),
    )) {
      if (++made % CHUNK === 0) await yieldToEventLoop();
      yield report(course, { ...m }, progressFor(m), statusOf(progressFor(m)), assignmentOf.get(m.key), today);
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
): AsyncGenerator<MemberReport> {
  const lists: OrderList[] = filter.status !== undefined ? [filter.status] : [...STATUSES];
  if (filter.includeInactive) lists.push('inactive');
  let since = performance.now();
  const members = lists.length === 1 ? index.order.walk(lists[0] as OrderList) : index.order.ordered(lists);
  for (const placed of members) {
    if (performance.now() - since > SLICE_MS) {
      await yieldToEventLoop();
      since = performance.now();
    }
    if (filter.department !== undefined && placed.department !== filter.department) continue;
    const member = await stores.roster.get(placed.key);
    if (!member || (!member.active && !filter.includeInactive)) continue;
    const aad = member.aadObjectId?.toLowerCase();
    const userId = aad === undefined ? undefined : index.userIdOf(aad);
    const p = userId === undefined ? undefined : await stores.progress.get(userId);
    const status = p ? memberStatus(course, p) : 'not-started';
    // Written since the lists were read: the row says where they stand now, and a filter holds.
    if (filter.status !== undefined && status !== filter.status) continue;
    yield report(course, member, p, status, await stores.assignments.get(member.key), today);
  }
}

function report(
  course: Course,
  member: Member,
  p: Readonly<Progress> | undefined,
  status: MemberStatus,
  a: Readonly<Assignment> | undefined,
  today: string,
): MemberReport {
  const s = p && score(course, p);
  const latest = p && (p.acknowledgements.find((x) => x.version === course.version) ?? latestAcknowledgement(p));
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
    lastActivityAt: p?.lastActivityAt,
    due: a?.due,
    overdue: status !== 'completed' && a?.due !== undefined && a.due < today,
    reachable: a?.reach?.ok,
    unreachableReason: a?.reach?.ok === false ? a.reach.reason : undefined,
  };
}

async function chunked<T>(records: readonly T[], take: (record: T) => void): Promise<void> {
  for (let i = 0; i < records.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEventLoop();
    take(records[i] as T);
  }
}

/** A stable merge sort that yields to the event loop between runs of work. */
async function sortInChunks<T>(items: readonly T[], compare: (a: T, b: T) => number): Promise<T[]> {
  let runs: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    runs.push(items.slice(i, i + CHUNK).sort(compare));
    await yieldToEventLoop();
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let i = 0; i < runs.length; i += 2)
      merged.push(runs[i + 1] ? await merge(runs[i] as T[], runs[i + 1] as T[], compare) : (runs[i] as T[]));
    runs = merged;
  }
  return runs[0] ?? [];
}

async function merge<T>(a: readonly T[], b: readonly T[], compare: (a: T, b: T) => number): Promise<T[]> {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (out.length % (4 * CHUNK) === 0 && out.length > 0) await yieldToEventLoop();
    if (j >= b.length || (i < a.length && compare(a[i] as T, b[j] as T) <= 0)) out.push(a[i++] as T);
    else out.push(b[j++] as T);
  }
  return out;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
