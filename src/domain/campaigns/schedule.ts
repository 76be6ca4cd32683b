import type { Audience } from './campaign.js';
import type { Invalid } from './campaignOutcomes.js';

/**
 * Where a scheduled campaign stands. `starting`: the start was claimed and may have stopped part-way (a restart
 * finishes it); `failed`: at its time the campaign did not pass the checks (`failed` says which).
 */
export type ScheduleState = 'scheduled' | 'starting' | 'started' | 'cancelled' | 'failed';

/** A campaign HR set to start later: everything the preview had except who gets it, worked out when it starts. */
export interface ScheduledCampaign {
  /** The preview card's id, and the id of the campaign it starts: starting it twice finds the same campaign. */
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: string;
  /** When it starts (ISO instant), in office hours in the organisation's time zone. */
  readonly at: string;
  readonly audience: Audience;
  /** YYYY-MM-DD, after the day it starts. */
  readonly due: string;
  readonly note?: string;
  readonly state: ScheduleState;
  /** When it was started, cancelled or found to fail (ISO). */
  readonly changedAt?: string;
  readonly failed?: Invalid['field'];
  /** How many the campaign reached when it started. */
  readonly recipients?: number;
}

export interface ScheduleStore {
  /** Stores the schedule unless its id is taken; returns what is stored and whether it is new. */
  create(schedule: ScheduledCampaign): Promise<{ schedule: ScheduledCampaign; created: boolean }>;
  get(id: string): Promise<ScheduledCampaign | undefined>;
  /** Applies `change` atomically; undefined from `change` writes nothing (and is returned). */
  update(
    id: string,
    change: (schedule: ScheduledCampaign) => ScheduledCampaign | undefined,
  ): Promise<ScheduledCampaign | undefined>;
  /** Every schedule, earliest start first. */
  list(): Promise<ScheduledCampaign[]>;
}
