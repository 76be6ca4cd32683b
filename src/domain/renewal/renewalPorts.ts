import type { AssignmentStore, DeliveryQueue } from '../campaigns/ports.js';
import type { Completions, EventLog, ProgressStore } from '../course/ports.js';
import type { RefresherStore } from '../refreshers/ports.js';
import type { RosterStore } from '../roster/ports.js';

/** What renewals work with; the delivery queue sends the renewal messages they add to it. */
export interface RenewalStores {
  readonly progress: Pick<ProgressStore, 'get' | 'scan' | 'recordRenewal' | 'recordAcknowledgement'>;
  readonly events: EventLog;
  readonly refreshers: Pick<RefresherStore, 'get'>;
  readonly roster: Pick<RosterStore, 'byAadObjectId'>;
  readonly assignments: Pick<AssignmentStore, 'update'>;
  readonly deliveries: Pick<DeliveryQueue, 'add'>;
  /** Who completed the course, with their lapse day: a round reads only the lapsed; without it, progress whole. */
  readonly completions?: Completions;
}
