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

/** Where the order reads its members, each known by a slot number: their fields as they are now. */
export interface Seats {
  /** The member in the slot; undefined while the slot holds nobody on the roster. */
  placed(slot: number): Placed | undefined;
  department(slot: number): string;
  name(slot: number): string;
  key(slot: number): string;
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
function compareFields(d1: string, n1: string, k1: string, d2: string, n2: string, k2: string): number {
  return collate(d1, d2) || collate(n1, n2) || collate(k1, k2) || (k1 < k2 ? -1 : k1 > k2 ? 1 : 0);
}

/**
 * Every member kept in report order as slot numbers, one sorted list per status (and one for those
 * who left), so that a card takes the first few of a status, and the export merges the lists as it
 * goes, without sorting everyone. While built, members are gathered unsorted and sorted once at the
 * end. Completed members whose acknowledgement lapsed are in the renewal-due list from the day set by dated().
 */
export class MemberOrder {
  private readonly lists = new Map<OrderList, number[]>();
  private sorted: boolean;
  private today: string | undefined;

  constructor(
    private readonly seats: Seats,
    building = false,
  ) {
    this.sorted = !building;
  }

  /** Files completed and renewal-due members again for `today` (YYYY-MM-DD), when it is another day. */
  dated(today: string): void {
    if (today === this.today) return;
    this.today = today;
    const completed = this.lists.get('completed') ?? [];
    const due = this.lists.get('renewal-due') ?? [];
    const both = this.sorted ? this.merged(completed, due) : [...completed, ...due];
    this.lists.set('completed', []);
    this.lists.set('renewal-due', []);
    for (const slot of both) this.list(this.listOf(this.seats.placed(slot) as Placed)).push(slot);
  }

  /**
   * Keeps the member of `slot` in order while `change` writes their fields: taken out before it
   * (while the list still sorts by what they were) and put in after, unless their list and place stay.
   */
  moving(slot: number, change: () => void): void {
    const before = this.seats.placed(slot);
    const list = before && this.list(this.listOf(before));
    const at = list ? this.indexOf(list, slot) : -1;
    change();
    const after = this.seats.placed(slot);
    if (before && after && at >= 0 && this.sorted && this.listOf(before) === this.listOf(after)) {
      const same = compareFields(before.department, before.name, before.key, after.department, after.name, after.key);
      if (same === 0) return;
    }
    if (list && at >= 0) list.splice(at, 1);
    if (after) this.add(slot, after);
  }

  /** Sorts what was gathered while building, yielding to the event loop as it goes. */
  async finish(): Promise<void> {
    for (const [name, list] of this.lists) this.lists.set(name, await sortInSlices(list, (a, b) => this.compare(a, b)));
    this.sorted = true;
  }

  /** The lists as slot numbers, and the day they are filed for: what restore() takes. */
  saved(): { today: string | null; lists: [OrderList, Int32Array][] } {
    if (!this.sorted) throw new Error('The order is saved only once built.');
    return { today: this.today ?? null, lists: [...this.lists].map(([name, list]) => [name, Int32Array.from(list)]) };
  }

  /** Takes in the lists saved() gave, in place of none. */
  restore(today: string | null, lists: readonly (readonly [OrderList, Int32Array])[]): void {
    if (this.lists.size > 0) throw new Error('The order is restored only in place of none.');
    if (today !== null) this.today = today;
    for (const [name, list] of lists) this.lists.set(name, Array.from(list));
    this.sorted = true;
  }

  size(list: OrderList): number {
    return this.lists.get(list)?.length ?? 0;
  }

  first(list: OrderList, count: number): readonly Placed[] {
    return (this.lists.get(list) ?? []).slice(0, count).map((slot) => this.seats.placed(slot) as Placed);
  }

  /**
   * The members of one list in order, read a page at a time from where the last page ended, so
   * nothing is copied beyond what is read: for a card's first few.
   */
  *walk(name: OrderList): Generator<Placed> {
    let after: Placed | undefined;
    for (;;) {
      const list = this.lists.get(name) ?? [];
      let at = after === undefined ? 0 : this.position(list, after);
      const found = list[at];
      if (after !== undefined && found !== undefined && this.seats.key(found) === after.key) at++;
      const page = list.slice(at, at + PAGE).map((slot) => this.seats.placed(slot) as Placed);
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
        if (head !== undefined && (best < 0 || this.compare(head, active[best]?.[at[best] as number] as number) < 0))
          best = i;
      }
      if (best < 0) break;
      yield this.seats.placed(active[best]?.[at[best] as number] as number) as Placed;
      at[best] = (at[best] as number) + 1;
    }
    for (const slot of left) yield this.seats.placed(slot) as Placed;
  }

  private add(slot: number, p: Placed): void {
    const list = this.list(this.listOf(p));
    if (this.sorted) list.splice(this.position(list, p), 0, slot);
    else list.push(slot);
  }

  /** Where the slot is in the list, found by its fields as they are now; -1 when it is not there. */
  private indexOf(list: readonly number[], slot: number): number {
    if (!this.sorted) return list.indexOf(slot);
    let at = this.position(list, this.seats.placed(slot) as Placed);
    while (at < list.length && list[at] !== slot) at++;
    return at < list.length ? at : -1;
  }

  private compare(a: number, b: number): number {
    const { seats } = this;
    return compareFields(
      seats.department(a),
      seats.name(a),
      seats.key(a),
      seats.department(b),
      seats.name(b),
      seats.key(b),
    );
  }

  private listOf(p: Placed): OrderList {
    if (!p.active) return 'inactive';
    return this.today === undefined ? p.status : statusOn(p.status, p.lapse, this.today);
  }

  private list(name: OrderList): number[] {
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = []));
    return list;
  }

  /** Two lists in report order as one. */
  private merged(a: readonly number[], b: readonly number[]): number[] {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const [x, y] = [a[i] as number, b[j] as number];
      const first = this.compare(x, y) <= 0;
      out.push(first ? x : y);
      if (first) i++;
      else j++;
    }
    return out.concat(a.slice(i), b.slice(j));
  }

  /** Where `p` goes in the sorted `list`: before the first member that sorts after or with it. */
  private position(list: readonly number[], p: Placed): number {
    const { seats } = this;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const s = list[mid] as number;
      if (compareFields(seats.department(s), seats.name(s), seats.key(s), p.department, p.name, p.key) < 0)
        low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
