import type { MemberStatus } from '../course/progress.js';

/** Where one of a manager's direct reports stands, as the manager is told it. */
export type TeamStatus = MemberStatus | 'overdue';

/** The statuses in the order a manager's list shows them: those who need a push first. */
export const TEAM_ORDER: readonly TeamStatus[] = [
  'overdue',
  'not-started',
  'needs-reacknowledge',
  'renewal-due',
  'in-progress',
  'completed',
];

/**
 * A report's status: overdue when their assignment's due date (YYYY-MM-DD) is before today and they
 * have not completed the current version, else where they stand in the course.
 */
export function teamStatus(status: MemberStatus, due: string | undefined, today: string): TeamStatus {
  return status !== 'completed' && due !== undefined && due < today ? 'overdue' : status;
}
