import type { MemberStatus } from '../course/progress.js';
import type { Counts } from './counts.js';

/** One active member's part in the figures of the groups they are in. */
export interface Standing {
  readonly status: MemberStatus;
  /** Due date of their latest campaign; only counted for overdue while they have not completed. */
  readonly due?: string;
  readonly unreachable: boolean;
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

  add(s: Standing, sign: 1 | -1): void {
    this.active += sign;
    if (s.status === 'not-started') this.notStarted += sign;
    else if (s.status === 'in-progress') this.inProgress += sign;
    else if (s.status === 'needs-reacknowledge') this.reacknowledge += sign;
    else this.completed += sign;
    if (s.unreachable) this.unreachable += sign;
    if (s.status !== 'completed' && s.due !== undefined) {
      const left = (this.dues.get(s.due) ?? 0) + sign;
      if (left === 0) this.dues.delete(s.due);
      else this.dues.set(s.due, left);
    }
  }

  /** The counts on `today` (YYYY-MM-DD): overdue are those whose due date is before it. */
  counts(today: string): Counts {
    let overdue = 0;
    for (const [due, people] of this.dues) if (due < today) overdue += people;
    const { active, notStarted, inProgress, reacknowledge, completed, unreachable } = this;
    return { active, notStarted, inProgress, reacknowledge, completed, overdue, unreachable };
  }
}
