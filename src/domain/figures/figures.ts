import type { Assignment } from '../campaigns/assignment.js';
import { DeliveryTallies } from '../campaigns/deliveryTallies.js';
import type { Course } from '../course/course.js';
import { changedSince, lapsesOn, memberStatus, type MemberStatus, type Progress } from '../course/progress.js';
import type { Validity } from '../course/validity.js';
import { ItemTally, type ItemTries } from '../items/itemSums.js';
import { group } from '../roster/groupName.js';
import type { Member } from '../roster/roster.js';
import { type FirstTries, GuidelineSums } from '../understanding/firstTries.js';
import { StringPool } from '../stringPool.js';
import { TimeSlice } from '../time/eventLoop.js';
import type { Counts } from './counts.js';
import { bucket, GroupTally, type Standing } from './groupTally.js';
import { restoreParts, savedOf, type FiguresParts } from './figuresParts.js';
import type { FiguresState } from './figuresState.js';
import { ACTIVE, Members, ON_ROSTER, UNREACHABLE } from './members.js';
import { MemberOrder, type Seats } from './memberOrder.js';
import { People, STATUS_CODES } from './people.js';

/** The figures of the coverage card, for one day. */
export interface CoverageFigures {
  readonly overall: Counts;
  readonly lessonsChanged: number;
  readonly byDepartment: readonly (readonly [string, Counts])[];
  readonly byRole: readonly (readonly [string, Counts])[];
}

/**
 * The figures worked out from the stores' records, one member at a time. Each member and each person
 * (Entra object id) is a slot in typed arrays (members.ts, people.ts): no object per member is kept.
 */
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
  private readonly members = new Members();
  private readonly people: People;
  /** Choices picked first by progress records keyed by an id that is not lower-case (the others are in people). */
  private readonly otherChoices = new Map<string, Uint8Array>();
  /** Departments, roles and days, one string each however many members share them. */
  private readonly pool = new StringPool();
  private readonly scratch: Uint8Array;

  constructor(
    private readonly course: Course,
    private readonly tries: FirstTries,
    private readonly itemTries: ItemTries,
    building = false,
    private readonly validity?: Validity,
  ) {
    if (itemTries.items.some((item) => item.choiceIds.length > 63)) throw new Error('A question has over 63 choices.');
    const questions = itemTries.items.length;
    this.people = new People(questions);
    this.scratch = new Uint8Array(questions);
    this.order = new MemberOrder(this.seats(), building);
    this.items = new ItemTally(itemTries);
  }

  /** The progress store's key for a member's (lower-case) Entra object id, when they have progress. */
  userIdOf(aad: string): string | undefined {
    const person = this.people.slotOf(aad, false);
    return person < 0 || this.people.status[person] === 0 ? undefined : this.people.userIdOf(person);
  }

  /**
   * Whether a member a campaign found active with this Entra object id may have changed since: true when the figures
   * hold them as inactive or with another id. A member they never heard of had no write announced since they were
   * built (a member is only made inactive by one), so nothing says the campaign's record is out of date.
   */
  changedFrom(key: string, aadObjectId: string): boolean {
    const slot = this.members.slotOf(key, false);
    const flags = slot < 0 ? 0 : (this.members.flags[slot] as number);
    if ((flags & ON_ROSTER) === 0) return false;
    const person = this.people.slotOf(aadObjectId.toLowerCase(), false);
    return (flags & ACTIVE) === 0 || person < 0 || (this.members.person[slot] as number) !== person + 1;
  }

  /** Completions.completedWhere(), from the status and lapse day each person's progress gave. */
  completedWhere(wanted: (lapse: string | undefined) => boolean): string[] {
    const { people } = this;
    const completed = STATUS_CODES.indexOf('completed') + 1;
    const found: string[] = [];
    for (let slot = 0; slot < people.count; slot++) {
      if (people.status[slot] !== completed) continue;
      const lapse = people.lapse[slot] as number;
      if (wanted(lapse === 0 ? undefined : this.pool.text(lapse))) found.push(people.userIdOf(slot));
    }
    return found;
  }

  member(m: Readonly<Member>): void {
    const { members, people } = this;
    const slot = members.slotOf(m.key, true);
    const person = m.aadObjectId ? people.slotOf(m.aadObjectId.toLowerCase(), true) : -1;
    this.order.moving(slot, () => {
      this.apply(slot, -1);
      const before = (members.person[slot] as number) - 1;
      if (before !== person) {
        if (before >= 0) this.unlink(before, slot);
        if (person >= 0) this.link(person, slot);
      }
      members.names[slot] = m.name;
      members.flags[slot] = ((members.flags[slot] as number) & UNREACHABLE) | ON_ROSTER | (m.active ? ACTIVE : 0);
      members.department[slot] = this.pool.code(group(m.department));
      members.role[slot] = this.pool.code(group(m.role));
      this.apply(slot, 1);
    });
  }

  progress(p: Readonly<Progress>): void {
    const { people } = this;
    const aad = p.userId.toLowerCase();
    const person = people.slotOf(aad, true);
    const status = memberStatus(this.course, p);
    const lapse = status === 'completed' ? lapsesOn(this.course, p, this.validity) : undefined;
    const choices = this.itemTries.of(p);
    const own = p.userId === aad;
    this.items.change(own ? people.choices(person) : this.otherChoices.get(p.userId), choices);
    if (!own) this.otherChoices.set(p.userId, choices);
    this.changing(person, () =>
      people.set(person, {
        status: STATUS_CODES.indexOf(status) + 1,
        changed: status === 'needs-reacknowledge' ? changedSince(this.course, p).length : 0,
        lapse: lapse === undefined ? 0 : this.pool.code(lapse),
        ...(own ? { choices } : { userId: p.userId }),
        firstTries: this.tries.of(p),
      }),
    );
  }

  assignment(a: Readonly<Assignment>): void {
    const { members } = this;
    const slot = members.slotOf(a.key, true);
    this.order.moving(slot, () => {
      this.apply(slot, -1);
      members.due[slot] = a.due ? this.pool.code(a.due) : 0;
      const flags = (members.flags[slot] as number) & ~UNREACHABLE;
      members.flags[slot] = a.reach?.ok === false ? flags | UNREACHABLE : flags;
      this.apply(slot, 1);
    });
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

  /** The figures as another process restores them (restore()): each slot's columns, the order, the sums. */
  saved(): FiguresState {
    return savedOf(this.parts());
  }

  /**
   * Takes in what saved() gave, in figures that hold nothing yet; the group counts are worked out again
   * from the slots, yielding to the event loop as it goes. Throws on a state these figures cannot hold.
   */
  async restore(state: FiguresState): Promise<void> {
    restoreParts(this.parts(), state);
    const slice = new TimeSlice();
    for (let slot = 0; slot < this.members.keys.length; slot++) {
      if (slice.spent) await slice.pause();
      this.apply(slot, 1);
    }
  }

  /** Runs `change` of a person's progress with their members taken out of the counts and order, and put back after. */
  private changing(person: number, change: () => void): void {
    const slots: number[] = [];
    for (let m = this.people.firstMember[person] as number; m > 0; m = this.members.next[m - 1] as number)
      slots.push(m - 1);
    const [only] = slots;
    if (slots.length === 1 && only !== undefined) {
      this.order.moving(only, () => {
        this.apply(only, -1);
        change();
        this.apply(only, 1);
      });
      return;
    }
    // Each taken out while the others still sort by what they were, then all put back.
    const later: (() => void)[] = [];
    for (const slot of slots)
      this.order.moving(slot, () => {
        this.apply(slot, -1);
        this.members.flags[slot] = (this.members.flags[slot] as number) & ~ON_ROSTER;
        later.push(() => (this.members.flags[slot] = (this.members.flags[slot] as number) | ON_ROSTER));
      });
    change();
    slots.forEach((slot, i) =>
      this.order.moving(slot, () => {
        later[i]?.();
        this.apply(slot, 1);
      }),
    );
  }

  private standing(slot: number): Standing & { readonly changed?: number } {
    const { members, people, pool } = this;
    const person = (members.person[slot] as number) - 1;
    const code = person < 0 ? 0 : (people.status[person] as number);
    const status = code === 0 ? 'not-started' : (STATUS_CODES[code - 1] as MemberStatus);
    const due = members.due[slot] as number;
    const lapse = code === 0 ? 0 : (people.lapse[person] as number);
    return {
      status,
      ...(status === 'needs-reacknowledge' ? { changed: people.changed[person] } : {}),
      ...(due !== 0 ? { due: pool.text(due) } : {}),
      ...(lapse !== 0 ? { lapse: pool.text(lapse) } : {}),
      unreachable: ((members.flags[slot] as number) & UNREACHABLE) !== 0,
    };
  }

  /** Counts (sign 1) or uncounts (-1) an active roster member with their fields as they are now. */
  private apply(slot: number, sign: 1 | -1): void {
    const { members, people } = this;
    const flags = members.flags[slot] as number;
    if ((flags & (ON_ROSTER | ACTIVE)) !== (ON_ROSTER | ACTIVE)) return;
    const s = this.standing(slot);
    const department = this.pool.text(members.department[slot] as number);
    this.overall.add(s, sign);
    bucket(this.departments, department, () => new GroupTally()).add(s, sign);
    bucket(this.roles, this.pool.text(members.role[slot] as number), () => new GroupTally()).add(s, sign);
    if (s.changed !== undefined) {
      const left = (this.changed.get(s.changed) ?? 0) + sign;
      if (left === 0) this.changed.delete(s.changed);
      else this.changed.set(s.changed, left);
    }
    const person = (members.person[slot] as number) - 1;
    if (person >= 0 && people.status[person] !== 0 && people.answered(person))
      bucket(this.understanding, department, () => new GuidelineSums(this.tries.guidelines)).add(
        people.firstTries(person, this.scratch),
        sign,
      );
  }

  private link(person: number, slot: number): void {
    this.members.person[slot] = person + 1;
    this.members.next[slot] = this.people.firstMember[person] as number;
    this.people.firstMember[person] = slot + 1;
  }

  private unlink(person: number, slot: number): void {
    const { members, people } = this;
    if (people.firstMember[person] === slot + 1) people.firstMember[person] = members.next[slot] as number;
    else
      for (let m = people.firstMember[person] as number; m > 0; m = members.next[m - 1] as number)
        if (members.next[m - 1] === slot + 1) members.next[m - 1] = members.next[slot] as number;
    members.next[slot] = 0;
    members.person[slot] = 0;
  }

  /** What saved() and restore() read and fill. */
  private parts(): FiguresParts {
    const { members, people, pool, otherChoices, deliveries, items, order } = this;
    return { members, people, pool, otherChoices, deliveries, items, order };
  }

  /** The members as the order reads them. */
  private seats(): Seats {
    const { members, pool } = this;
    return {
      placed: (slot) => {
        const flags = members.flags[slot] as number;
        if ((flags & ON_ROSTER) === 0) return undefined;
        const { status, lapse } = this.standing(slot);
        return {
          key: members.keys[slot] as string,
          name: members.names[slot] as string,
          active: (flags & ACTIVE) !== 0,
          department: pool.text(members.department[slot] as number),
          status,
          ...(lapse !== undefined ? { lapse } : {}),
        };
      },
      department: (slot) => pool.text(members.department[slot] as number),
      name: (slot) => members.names[slot] as string,
      key: (slot) => members.keys[slot] as string,
    };
  }
}
