/**
 * How many active roster members stand where; overdue and unreachable overlap the four statuses,
 * which add up to active.
 */
export interface Counts {
  readonly active: number;
  readonly notStarted: number;
  readonly inProgress: number;
  /** Acknowledged an earlier version, not this one. */
  readonly reacknowledge: number;
  /** Completed, but the acknowledgement lapsed: to renew it. Absent when nobody is. */
  readonly renewalDue?: number;
  readonly completed: number;
  readonly overdue: number;
  readonly unreachable: number;
}
