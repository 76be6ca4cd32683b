import type { Assignment } from '../campaigns/assignment.js';
import type { Delivery } from '../campaigns/delivery.js';
import { DeliveryTallies } from '../campaigns/deliveryTallies.js';
import type { AssignmentStore, CampaignStore, DeliveryQueue } from '../campaigns/ports.js';
import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import { changedSince, memberStatus, type MemberStatus, type Progress } from '../course/progress.js';
import type { RosterStore } from '../roster/ports.js';
import type { Member } from '../roster/roster.js';
import { ItemTally, ItemTries } from '../items/itemSums.js';
import { answeredAny, FirstTries, GuidelineSums } from '../understanding/firstTries.js';
import type { Counts } from './coverageService.js';
import { GroupTally, type Standing } from './groupTally.js';
import { MemberOrder, type Placed } from './memberOrder.js';

/** What the index is built from, at start-up and on refresh. */
export interface IndexSources {
  readonly roster: Pick<RosterStore, 'scan'>;
  readonly progress: Pick<ProgressStore, 'scan'>;
  readonly assignments: Pick<AssignmentStore, 'scan'>;
  readonly campaigns: Pick<CampaignStore, 'list'>;
  readonly deliveries: Pick<DeliveryQueue, 'forSend'>;
}

/** The figures of the coverage card, for one day. */
export interface CoverageFigures {
  readonly overall: Counts;
  readonly lessonsChanged: number;
  readonly byDepartment: readonly (readonly [string, Counts])[];
  readonly byRole: readonly (readonly [string, Counts])[];
}

interface ProgressFacts {
  /** As the progress store keys it. */
  readonly userId: string;
  readonly status: MemberStatus;
  readonly changed?: number;
  /** First tries, when at least one question was answered. */
  readonly tries?: Uint8Array;
}

interface Entry extends Standing, Placed {
  readonly role: string;
  readonly aad?: string;
  readonly changed?: number;
  readonly tries?: Uint8Array;
}

/** Records handled between two yields to the event loop while the index is built. */
const CHUNK = 1_000;

/** The figures worked out from the stores' records, one member at a time. */
class Figures {
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
  private readonly assignmentOf = new Map<string, { readonly due?: string; readonly unreachable: boolean }>();

  constructor(
    private readonly course: Course,
    private readonly tries: FirstTries,
    itemTries: ItemTries,
    building = false,
  ) {
    this.order = new MemberOrder(building);
    this.items = new ItemTally(itemTries);
  }

  /** The progress store's key for a member's (lower-case) Entra object id, when they have progress. */
  userIdOf(aad: string): string | undefined {
    return this.progressOf.get(aad)?.userId;
  }

  member(m: Readonly<Member>): void {
    const before = this.members.get(m.key);
    if (before) {
      this.apply(before, -1);
      if (before.aad) this.unlink(before.aad, m.key);
    }
    const aad = m.aadObjectId ? m.aadObjectId.toLowerCase() : undefined;
    if (aad) this.link(aad, m.key);
    this.place(
      m.key,
      { active: m.active, name: m.name, department: group(m.department), role: group(m.role), ...(aad ? { aad } : {}) },
      before,
    );
  }

  progress(p: Readonly<Progress>): void {
    const aad = p.userId.toLowerCase();
    const status = memberStatus(this.course, p);
    const tries = this.tries.of(p);
    this.items.progress(p);
    this.progressOf.set(aad, {
      userId: p.userId,
      status,
      ...(status === 'needs-reacknowledge' ? { changed: changedSince(this.course, p).length } : {}),
      ...(answeredAny(tries) ? { tries } : {}),
    });
    const keys = this.keysOf.get(aad);
    for (const key of typeof keys === 'string' ? [keys] : (keys ?? [])) this.replace(key);
  }

  assignment(a: Readonly<Assignment>): void {
    this.assignmentOf.set(a.key, {
      ...(a.due !== undefined ? { due: a.due } : {}),
      unreachable: a.reach?.ok === false,
    });
    this.replace(a.key);
  }

  coverage(today: string): CoverageFigures {
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
    const entry: Entry = {
      key,
      name: member.name,
      active: member.active,
      department: member.department,
      role: member.role,
      ...(member.aad ? { aad: member.aad } : {}),
      status: p?.status ?? 'not-started',
      ...(p?.status === 'needs-reacknowledge' && p.changed !== undefined ? { changed: p.changed } : {}),
      ...(a?.due !== undefined ? { due: a.due } : {}),
      unreachable: a?.unreachable ?? false,
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
      bucket(this.understanding, e.department, () => new GuidelineSums(this.tries.guidelines)).add(e.tries, sign);
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

type Write = (figures: Figures) => void;

/**
 * HR's figures kept up to date as records are written, so that each card costs the same at
 * 100,000 employees as at 1,000. Built from the stores by refresh() (at start-up, and whenever
 * writes by other instances must be taken in); told of every durable write after that.
 */
export class CoverageIndex {
  private figures: Figures;
  /** Writes made while a refresh runs: replayed on the refreshed figures. */
  private during: Write[] | undefined;
  private built: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  readonly firstTries: FirstTries;
  readonly itemTries: ItemTries;

  constructor(private readonly course: Course) {
    this.firstTries = new FirstTries(course);
    this.itemTries = new ItemTries(course);
    this.figures = new Figures(course, this.firstTries, this.itemTries);
  }

  member(m: Readonly<Member>): void {
    this.write((f) => f.member(m));
  }

  progress(p: Readonly<Progress>): void {
    this.write((f) => f.progress(p));
  }

  assignment(a: Readonly<Assignment>): void {
    this.write((f) => f.assignment(a));
  }

  delivery(d: Readonly<Delivery>): void {
    this.write((f) => f.deliveries.put(d));
  }

  /** Deliveries given to the store to add: it adds only those whose ids it does not have, and so does the index. */
  deliveriesAdded(list: readonly Readonly<Delivery>[]): void {
    this.write((f) => {
      for (const d of list) if (!f.deliveries.has(d.id)) f.deliveries.put(d);
    });
  }

  /**
   * Builds the figures again from the stores, a chunk of records at a time so that requests are
   * served meanwhile; until the first build ends, reading the figures waits for it.
   */
  refresh(sources: IndexSources): Promise<void> {
    if (!this.running) {
      this.running = this.rebuild(sources).finally(() => (this.running = undefined));
      this.built ??= this.running;
    }
    return this.running;
  }

  /** The figures, once the first build has ended. */
  async read(): Promise<
    Pick<Figures, 'coverage' | 'understanding' | 'items' | 'deliveries' | 'departments' | 'order' | 'userIdOf'>
  > {
    if (!this.built) throw new Error('The coverage index was never built: call refresh() at start-up.');
    await this.built;
    return this.figures;
  }

  private write(change: Write): void {
    change(this.figures);
    this.during?.push(change);
  }

  private async rebuild(sources: IndexSources): Promise<void> {
    this.during = [];
    try {
      const next = new Figures(this.course, this.firstTries, this.itemTries, true);
      // Every record is replaced, never changed in place: holding one until its chunk comes is safe.
      await inChunks(await sources.progress.scan((p) => p), (p) => next.progress(p));
      await inChunks(await sources.assignments.scan((a) => a), (a) => next.assignment(a));
      await inChunks(await sources.roster.scan((m) => m), (m) => next.member(m));
      await next.order.finish();
      for (const campaign of await sources.campaigns.list())
        await inChunks(await sources.deliveries.forSend(campaign.id), (d) => next.deliveries.put(d));
      for (const change of this.during) change(next);
      this.figures = next;
    } finally {
      this.during = undefined;
    }
  }
}

async function inChunks<T>(records: readonly T[], take: (record: T) => void): Promise<void> {
  for (let i = 0; i < records.length; i++) {
    if (i > 0 && i % CHUNK === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    take(records[i] as T);
  }
}

function bucket<T>(groups: Map<string, T>, name: string, make: () => T): T {
  let value = groups.get(name);
  if (value === undefined) groups.set(name, (value = make()));
  return value;
}

/** A department or role as coverage shows it: trimmed, NO_GROUP when empty. */
export function group(name: string): string {
  const trimmed = name.trim();
  return trimmed === '' ? NO_GROUP : trimmed;
}

/** The bucket for members with no department or role. */
export const NO_GROUP = '(none)';
