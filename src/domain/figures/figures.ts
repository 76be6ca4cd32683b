import type { Assignment } from '../campaigns/assignment.js';
import { DeliveryTallies } from '../campaigns/deliveryTallies.js';
import type { Course } from '../course/course.js';
import { changedSince, lapsesOn, memberStatus, type MemberStatus, type Progress } from '../course/progress.js';
import type { Validity } from '../course/validity.js';
import { ItemTally, type ItemTries } from '../items/itemSums.js';
import { group } from '../roster/groupName.js';
import type { Member } from '../roster/roster.js';
import { answeredAny, type FirstTries, GuidelineSums } from '../understanding/firstTries.js';
import { codeOf, StringPool, triesOf } from '../stringPool.js';
import type { Counts } from './counts.js';
import { GroupTally, type Standing } from './groupTally.js';
import { MemberOrder, type Placed } from './memberOrder.js';

/** The figures of the coverage card, for one day. */
export interface CoverageFigures {
  readonly overall: Counts;
  readonly lessonsChanged: number;
  readonly byDepartment: readonly (readonly [string, Counts])[];
  readonly byRole: readonly (readonly [string, Counts])[];
}

interface ProgressFacts {
  /** The lower-case id the facts are filed under (the Map's own string, for members to share). */
  readonly id: string;
  /** As the progress store keys it, when that is not `id`. */
  readonly userId?: string;
  /** Without a clock: renewal due is told apart by `lapse` on the day asked. */
  readonly status: MemberStatus;
  readonly changed?: number;
  readonly lapse?: string;
  /** First tries (codeOf), when at least one question was answered. */
  readonly tries?: string;
}

interface Entry extends Standing, Placed {
  readonly role: string;
  readonly aad?: string;
  readonly changed?: number;
  readonly tries?: string;
}

/** A member's assignment as one shared string: '1' when Teams could not reach them, else '0'; then the due day. */
type AssignmentCode = string;

/** The figures worked out from the stores' records, one member at a time. */
export class Figures {
  readonly overall = new GroupTally();
  readonly departments = new Map<string, GroupTally>();
  readonly roles = new Map<string, GroupTally>();
  /** Active members who need to re-acknowledge, by number of lessons changed for them. */
  readonly changed = new Map<number, number>();
  readonly understanding = new Map<string, GuidelineSums>();
  readonly deliveries = new DeliveryTallies();
  /** Everyone's first tries per question, roster or not: item analysis. */
  readonly items: ItemTally;
  readonly order: MemberOrder;
  private readonly members = new Map<string, Entry>();
  private readonly keysOf = new Map<string, string | string[]>();
  private readonly progressOf = new Map<string, ProgressFacts>();
  private readonly assignmentOf = new Map<string, AssignmentCode>();
  /** Departments, roles, days and first tries, one string each however many members share them. */
  private readonly pool = new StringPool();

  constructor(
    private readonly course: Course,
    private readonly tries: FirstTries,
    itemTries: ItemTries,
    building = false,
    private readonly validity?: Validity,
  ) {
    this.order = new MemberOrder(building);
    this.items = new ItemTally(itemTries, this.pool);
  }

  /** The progress store's key for a member's (lower-case) Entra object id, when they have progress. */
  userIdOf(aad: string): string | undefined {
    const facts = this.progressOf.get(aad);
    return facts && (facts.userId ?? facts.id);
  }

  member(m: Readonly<Member>): void {
    const before = this.members.get(m.key);
    if (before) {
      this.apply(before, -1);
      if (before.aad) this.unlink(before.aad, m.key);
    }
    const lower = m.aadObjectId ? m.aadObjectId.toLowerCase() : undefined;
    // The strings already held for this id and key, rather than second copies from this record.
    const aad = lower && (this.progressOf.get(lower)?.id ?? lower);
    if (aad) this.link(aad, m.key);
    const assigned = this.assignmentOf.get(m.key);
    if (!before && assigned !== undefined) {
      this.assignmentOf.delete(m.key);
      this.assignmentOf.set(m.key, assigned);
    }
    this.place(
      m.key,
      {
        active: m.active,
        name: m.name,
        department: this.pool.share(group(m.department)),
        role: this.pool.share(group(m.role)),
        ...(aad ? { aad } : {}),
      },
      before,
    );
  }

  progress(p: Readonly<Progress>): void {
    const aad = p.userId.toLowerCase();
    const status = memberStatus(this.course, p);
    const tries = this.tries.of(p);
    const lapse = status === 'completed' ? lapsesOn(this.course, p, this.validity) : undefined;
    this.items.progress(p);
    this.progressOf.set(aad, {
      id: this.progressOf.get(aad)?.id ?? aad,
      ...(p.userId !== aad ? { userId: p.userId } : {}),
      status,
      ...(status === 'needs-reacknowledge' ? { changed: changedSince(this.course, p).length } : {}),
      ...(lapse !== undefined ? { lapse: this.pool.share(lapse) } : {}),
      ...(answeredAny(tries) ? { tries: this.pool.share(codeOf(tries)) } : {}),
    });
    const keys = this.keysOf.get(aad);
    for (const key of typeof keys === 'string' ? [keys] : (keys ?? [])) this.replace(key);
  }

  assignment(a: Readonly<Assignment>): void {
    this.assignmentOf.set(a.key, this.pool.share(`${a.reach?.ok === false ? 1 : 0}${a.due ?? ''}`));
    this.replace(a.key);
  }

  coverage(today: string): CoverageFigures {
    this.order.dated(today);
    const of = (groups: Map<string, GroupTally>) =>
      [...groups].filter(([, g]) => g.active > 0).map(([name, g]) => [name, g.counts(today)] as const);
    let best: [number, number] = [0, 0];
    // The most common number; on a tie the larger one, so the line never understates the work.
    for (const [n, people] of this.changed)
      if (people > best[1] || (people === best[1] && n > best[0])) best = [n, people];
    return {
      overall: this.overall.counts(today),
      lessonsChanged: best[0],
      byDepartment: of(this.departments),
      byRole: of(this.roles),
    };
  }

  private replace(key: string): void {
    const entry = this.members.get(key);
    if (!entry) return;
    this.apply(entry, -1);
    this.place(key, entry, entry);
  }

  /** Stores the member with what progress and assignment say of them now, in place of `before`, and counts them. */
  private place(
    key: string,
    member: Pick<Entry, 'active' | 'name' | 'department' | 'role' | 'aad'>,
    before?: Entry,
  ): void {
    const p = member.aad === undefined ? undefined : this.progressOf.get(member.aad);
    const a = this.assignmentOf.get(key);
    const due = a === undefined || a.length === 1 ? undefined : this.pool.share(a.slice(1));
    const entry: Entry = {
      key,
      name: member.name,
      active: member.active,
      department: member.department,
      role: member.role,
      ...(member.aad ? { aad: member.aad } : {}),
      status: p?.status ?? 'not-started',
      ...(p?.status === 'needs-reacknowledge' && p.changed !== undefined ? { changed: p.changed } : {}),
      ...(due !== undefined ? { due } : {}),
      ...(p?.lapse !== undefined ? { lapse: p.lapse } : {}),
      unreachable: a?.[0] === '1',
      ...(p?.tries ? { tries: p.tries } : {}),
    };
    this.members.set(key, entry);
    if (before) this.order.move(before, entry);
    else this.order.add(entry);
    this.apply(entry, 1);
  }

  private apply(e: Entry, sign: 1 | -1): void {
    if (!e.active) return;
    this.overall.add(e, sign);
    bucket(this.departments, e.department, () => new GroupTally()).add(e, sign);
    bucket(this.roles, e.role, () => new GroupTally()).add(e, sign);
    if (e.changed !== undefined) {
      const left = (this.changed.get(e.changed) ?? 0) + sign;
      if (left === 0) this.changed.delete(e.changed);
      else this.changed.set(e.changed, left);
    }
    if (e.tries)
      bucket(this.understanding, e.department, () => new GuidelineSums(this.tries.guidelines)).add(
        triesOf(e.tries),
        sign,
      );
  }

  private link(aad: string, key: string): void {
    const keys = this.keysOf.get(aad);
    if (keys === undefined) this.keysOf.set(aad, key);
    else if (typeof keys === 'string') this.keysOf.set(aad, keys === key ? keys : [keys, key]);
    else if (!keys.includes(key)) keys.push(key);
  }

  private unlink(aad: string, key: string): void {
    const keys = this.keysOf.get(aad);
    if (keys === key) this.keysOf.delete(aad);
    else if (Array.isArray(keys)) {
      const rest = keys.filter((k) => k !== key);
      this.keysOf.set(aad, rest.length === 1 ? (rest[0] as string) : rest);
    }
  }
}

function bucket<T>(groups: Map<string, T>, name: string, make: () => T): T {
  let value = groups.get(name);
  if (value === undefined) groups.set(name, (value = make()));
  return value;
}
