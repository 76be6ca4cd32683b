import { statusOn, type MemberStatus } from '../course/progress.js';
import { sortInSlices } from './sortInSlices.js';

/** A member where the reports list them: on the roster first, then by department, name and key. */
export interface Placed {
  readonly key: string;
  readonly active: boolean;
  /** As coverage shows it (group()). */
  readonly department: string;
  readonly name: string;
  /** Without a clock: completed members whose acknowledgement lapsed are filed by `lapse` and the day. */
  readonly status: MemberStatus;
  /** For completed members whose acknowledgement lapses: the day it does. */
  readonly lapse?: string;
}

/** Active members by status; those who left the roster in one list. */
export type OrderList = MemberStatus | 'inactive';

const STATUSES: readonly MemberStatus[] = [
  'not-started',
  'in-progress',
  'needs-reacknowledge',
  'renewal-due',
  'completed',
];
const collate = new Intl.Collator('en').compare;
/** Members walk() reads at a time. */
const PAGE = 64;

/**
 * The order of the reports and of the export: department, name, then key (by code unit when the
 * collator calls two keys equal).
 */
export function compareMembers(a: Placed, b: Placed): number {
  return (
    collate(a.department, b.department) ||
    collate(a.name, b.name) ||
    collate(a.key, b.key) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * Every member kept in report order, one sorted list per status (and one for those who left),
 * so that a card takes the first few of a status, and the export merges the lists as it goes,
 * without sorting everyone. While built, members are gathered unsorted and sorted once at the end.
 * Completed members whose acknowledgement lapsed are in the renewal-due list from the day set by dated().
 */
export class MemberOrder {
  private readonly lists = new Map<OrderList, Placed[]>();
  private sorted: boolean;
  private today: string | undefined;

  constructor(building = false) {
    this.sorted = !building;
  }

  /** Files completed and renewal-due members again for `today` (YYYY-MM-DD), when it is another day. */
  dated(today: string): void {
    if (today === this.today) return;
    this.today = today;
    const completed = this.lists.get('completed') ?? [];
    const due = this.lists.get('renewal-due') ?? [];
    const both = this.sorted ? merged(completed, due) : [...completed, ...due];
    this.lists.set('completed', []);
    this.lists.set('renewal-due', []);
    for (const p of both) this.list(this.listOf(p)).push(p);
  }

  add(p: Placed): void {
    const list = this.list(this.listOf(p));
    if (this.sorted) list.splice(position(list, p), 0, p);
    else list.push(p);
  }

  remove(p: Placed): void {
    const list = this.list(this.listOf(p));
    let at = this.sorted ? position(list, p) : list.findIndex((q) => q.key === p.key);
    // Entries are replaced, never changed: the one found by order is the one with this key.
    while (at < list.length && list[at]?.key !== p.key) at++;
    if (at < list.length) list.splice(at, 1);
  }

  /** Puts `after` where `before` was: in place when neither its list nor its place in it changes. */
  move(before: Placed, after: Placed): void {
    if (this.sorted && this.listOf(before) === this.listOf(after) && compareMembers(before, after) === 0) {
      const list = this.list(this.listOf(after));
      let at = position(list, before);
      while (at < list.length && list[at]?.key !== before.key) at++;
      if (at < list.length) {
        list[at] = after;
        return;
      }
    }
    this.remove(before);
    this.add(after);
  }

  /** Sorts what was gathered while building, yielding to the event loop as it goes. */
  async finish(): Promise<void> {
    for (const [name, list] of this.lists) this.lists.set(name, await sortInSlices(list, compareMembers));
    this.sorted = true;
  }

  size(list: OrderList): number {
    return this.lists.get(list)?.length ?? 0;
  }

  first(list: OrderList, count: number): readonly Placed[] {
    return (this.lists.get(list) ?? []).slice(0, count);
  }

  /**
   * The members of one list in order, read a page at a time from where the last page ended, so
   * nothing is copied beyond what is read: for a card's first few.
   */
  *walk(name: OrderList): Generator<Placed> {
    let after: Placed | undefined;
    for (;;) {
      const list = this.lists.get(name) ?? [];
      let at = after === undefined ? 0 : position(list, after);
      if (after !== undefined && list[at]?.key === after.key) at++;
      const page = list.slice(at, at + PAGE);
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1];
    }
  }

  /**
   * Members of the given lists in report order: the active ones merged from their status lists,
   * then those who left. A snapshot of the lists as they are now; writes after it do not move it.
   */
  *ordered(lists: readonly OrderList[]): Generator<Placed> {
    const active = STATUSES.filter((s) => lists.includes(s)).map((s) => (this.lists.get(s) ?? []).slice());
    const at = active.map(() => 0);
    const left = lists.includes('inactive') ? (this.lists.get('inactive') ?? []).slice() : [];
    for (;;) {
      let best = -1;
      for (let i = 0; i < active.length; i++) {
        const head = active[i]?.[at[i] as number];
        if (head && (best < 0 || compareMembers(head, active[best]?.[at[best] as number] as Placed) < 0)) best = i;
      }
      if (best < 0) break;
      yield active[best]?.[at[best] as number] as Placed;
      at[best] = (at[best] as number) + 1;
    }
    yield* left;
  }

  private listOf(p: Placed): OrderList {
    if (!p.active) return 'inactive';
    return this.today === undefined ? p.status : statusOn(p.status, p.lapse, this.today);
  }

  private list(name: OrderList): Placed[] {
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = []));
    return list;
  }
}

/** Two lists in report order as one. */
function merged(a: readonly Placed[], b: readonly Placed[]): Placed[] {
  const out: Placed[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [x, y] = [a[i] as Placed, b[j] as Placed];
    const first = compareMembers(x, y) <= 0;
    out.push(first ? x : y);
    if (first) i++;
    else j++;
  }
  return out.concat(a.slice(i), b.slice(j));
}

/** Where `p` goes in the sorted `list`: before the first member that sorts after or with it. */
function position(list: readonly Placed[], p: Placed): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareMembers(list[mid] as Placed, p) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
