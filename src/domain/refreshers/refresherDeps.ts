import type { AssignmentStore, CampaignStore, DeliveryQueue } from '../campaigns/ports.js';
import type { Completions, ProgressStore } from '../course/ports.js';
import type { RosterStore } from '../roster/ports.js';
import type { RefresherAnswerLog, RefresherStore } from './ports.js';

/** What refreshers work with; the delivery queue sends what they add to it. */
export interface RefresherStores {
  readonly refreshers: RefresherStore;
  readonly progress: Pick<ProgressStore, 'get' | 'scan'>;
  readonly roster: Pick<RosterStore, 'byAadObjectId'>;
  readonly assignments: Pick<AssignmentStore, 'get'>;
  readonly campaigns: Pick<CampaignStore, 'list'>;
  readonly deliveries: Pick<DeliveryQueue, 'add'>;
  /** Hears of answers, when learning records go to a learning record store. */
  readonly answerLog?: RefresherAnswerLog;
  /** Who completed the course, so that enrolment reads only their records; without it, progress is read whole. */
  readonly completions?: Completions;
}

export interface RefresherOptions {
  /** Days per Leitner box: the first review after completion, then each after a right answer. */
  readonly intervals: readonly number[];
  readonly timeZone: string;
}
