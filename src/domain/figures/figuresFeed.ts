import type { Assignment } from '../campaigns/assignment.js';
import type { Delivery } from '../campaigns/delivery.js';
import type { Progress } from '../course/progress.js';
import type { Member } from '../roster/roster.js';

/**
 * The writes HR's figures hear of: the read model's only way in besides its rebuild. The storage
 * wrapper (storage/indexedStores.ts) calls it once a write is durable, never before and never for
 * a write that failed or changed nothing, with the record as the store holds it then.
 */
export interface FiguresFeed {
  /** A person's progress was written: a lesson opened, an answer, a review, an acknowledgement, a language. */
  progressWritten(progress: Readonly<Progress>): void;
  /** A roster member was put (imported, changed, or marked as having left). */
  memberPut(member: Readonly<Member>): void;
  /** A member's campaign assignment was written: due date or whether Teams could reach them. */
  assignmentWritten(assignment: Readonly<Assignment>): void;
  /** A campaign delivery changed state. */
  deliveryWritten(delivery: Readonly<Delivery>): void;
  /** Deliveries were given to the store to add; it adds only ids it does not have, and so do the figures. */
  deliveriesAdded(deliveries: readonly Readonly<Delivery>[]): void;
}
