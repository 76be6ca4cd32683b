import type { Campaign } from './campaign.js';
import type { ReachProblem } from './deliveryPolicy.js';
import type { Member } from '../roster/roster.js';

/** What HR filled in on the campaign card, as the card sent it: nothing is trusted. */
export interface CampaignRequest {
  /** The preview card's random id: it becomes the campaign id, so a second confirm finds the same campaign. */
  readonly id: string;
  readonly createdBy: string;
  readonly audience: unknown;
  /** Department names (the Teams adapter turns the card's choice values back into names). */
  readonly departments: unknown;
  /** YYYY-MM-DD (Input.Date); must be after today in the organisation's time zone and at most a year ahead. */
  readonly due: unknown;
  readonly note: unknown;
  /** 'yes': those who completed the current version get it too (everyone or departments). */
  readonly includeCompleted?: unknown;
  /** With audience 'group': the Entra group's object id. */
  readonly group?: unknown;
}

export interface Invalid {
  readonly kind: 'invalid';
  /**
   * `id`: a malformed card id; `no-recipients`: the audience is nobody (everyone finished); `group`: no group
   * picked, or one the directory does not know; `group-unavailable`: the directory did not answer.
   */
  readonly field:
    | 'id'
    | 'audience'
    | 'departments'
    | 'due'
    | 'note'
    | 'roster-empty'
    | 'no-recipients'
    | 'group'
    | 'group-unavailable';
  /** Departments that are not on the active roster. */
  readonly unknown?: readonly string[];
  /** With no-recipients: how many the audience left out because they completed the course. */
  readonly leftOut?: number;
}

/** The recipients in one department ('' for none), with their names in alphabetical order. */
export interface DepartmentRecipients {
  readonly name: string;
  readonly count: number;
  readonly people: readonly string[];
}

export type PreviewOutcome =
  | Invalid
  | {
      readonly kind: 'ok';
      readonly campaign: Campaign;
      readonly recipients: number;
      readonly byDepartment: readonly DepartmentRecipients[];
      /** People in the audience left out because they completed the current version. */
      readonly leftOut: number;
      /** For a group: the names of its members who are not on the active roster (and do not get it). */
      readonly outsideRoster?: readonly string[];
    };

export type SendOutcome =
  Invalid | { readonly kind: 'created' | 'replayed'; readonly campaign: Campaign; readonly recipients: number };

export interface Unreached {
  readonly member: Member;
  readonly reason: string;
  readonly problem?: ReachProblem;
}

export interface CampaignStatus {
  readonly campaign: Campaign;
  /** Not sent yet, including messages in flight. */
  readonly pending: number;
  readonly sent: number;
  readonly retrying: number;
  readonly unreachableCount: number;
  readonly failedCount: number;
  /** The first of those not reached (see status()); the counts say how many there are in all. */
  readonly unreachable: readonly Unreached[];
  readonly failed: readonly Unreached[];
  readonly unconfirmed: number;
}
