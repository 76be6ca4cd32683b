import type { MemberStatus } from '../course/progress.js';
import { renewalDue as renewalDueDate } from '../course/validity.js';
import type { Counts } from './counts.js';

/** One active member's part in the figures of the groups they are in. */
export interface Standing {
  readonly status: MemberStatus;
  /** Due date of their latest campaign; only counted for overdue while they have not completed. */
  readonly due?: string;
  readonly unreachable: boolean;
  /** For completed members whose acknowledgement lapses: the day it does. */
  readonly lapse?: string;
}

/**
 * Running counts of one group (everyone, a department, a role). Overdue depends on today, so
 * members who have not completed are counted per due date, and overdue is summed when asked.
 */
export class GroupTally {
  active = 0;
  private notStarted = 0;
  private inProgress = 0;
  private reacknowledge = 0;
  private completed = 0;
  private unreachable = 0;
  private readonly dues = new Map<string, number>();
  /** Completed members per lapse day: those whose day has come are renewal due, and overdue after its due date. */
  private readonly lapses = new Map<string, number>();

  add(s: Standing, sign: 1 | -1): void {
    this.active += sign;
    if (s.status === 'not-started') this.notStarted += sign;
    else if (s.status === 'in-progress') this.inProgress += sign;
    else if (s.status === 'needs-reacknowledge') this.reacknowledge += sign;
    else this.completed += sign;
    if (s.unreachable) this.unreachable += sign;
    if (s.status === 'completed' && s.lapse !== undefined) tallyOf(this.lapses, s.lapse, sign);
    if (s.status !== 'completed' && s.due !== undefined) {
      tallyOf(this.dues, s.due, sign);
    }
  }

  /** The counts on `today` (YYYY-MM-DD): overdue are those whose due date is before it. */
  counts(today: string): Counts {
    let overdue = 0;
    for (const [due, people] of this.dues) if (due < today) overdue += people;
    let renewalDue = 0;
    for (const [lapse, people] of this.lapses) {
      if (lapse > today) continue;
      renewalDue += people;
      if (renewalDueDate(lapse) < today) overdue += people;
    }
    const { active, notStarted, inProgress, reacknowledge, unreachable } = this;
    const completed = this.completed - renewalDue;
    const renewal = renewalDue > 0 ? { renewalDue } : {};
    return { active, notStarted, inProgress, reacknowledge, ...renewal, completed, overdue, unreachable };
  }
}

function tallyOf(days: Map<string, number>, day: string, sign: 1 | -1): void {
  const left = (days.get(day) ?? 0) + sign;
  if (left === 0) days.delete(day);
  else days.set(day, left);
}

/** The value kept under `name`, made (and kept) first if there is none. */
export function bucket<T>(groups: Map<string, T>, name: string, make: () => T): T {
  let value = groups.get(name);
  if (value === undefined) groups.set(name, (value = make()));
  return value;
}
