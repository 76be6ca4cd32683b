import type { Assignment } from '../campaigns/assignment.js';
import type { Campaign } from '../campaigns/campaign.js';

/** HR's standing rule: everyone who joins the roster gets the course some days later, due some days after that. */
export interface EnrolmentRule {
  /** Days after joining (or returning) before the course is sent. */
  readonly sendAfterDays: number;
  /** Days after it is sent until it is due. */
  readonly dueDays: number;
  /** When the rule was first turned on (ISO): only people who join after it are enrolled. */
  readonly since: string;
  readonly paused: boolean;
  /** Entra object id of the HR person who last changed it, and when. */
  readonly changedBy: string;
  readonly changedAt: string;
}

/** The send id and campaign id of every enrolment message; campaign ids never contain ':'. */
export const ENROLMENT_SEND_ID = 'enrol:joiners';

/** The most days HR can set for either number. */
export const MAX_ENROLMENT_DAYS = 365;

/** One delivery per member per time they became active: a restart or a second leader adds it once. */
export function enrolmentDeliveryId(memberKey: string, activeSince: string): string {
  return `${ENROLMENT_SEND_ID}/${memberKey}:${activeSince}`;
}

/** True for a campaign message or reminder that came from the standing enrolment rather than a campaign. */
export function isEnrolment(campaignId: string | undefined): boolean {
  return campaignId === ENROLMENT_SEND_ID;
}

/** The campaign an enrolled person's message and reminders speak of: the due date in their own assignment. */
export function enrolmentCampaign(assignment: Pick<Assignment, 'due'> | undefined): Campaign | undefined {
  if (assignment?.due === undefined) return undefined;
  return {
    id: ENROLMENT_SEND_ID,
    createdBy: '',
    createdAt: '',
    audience: { kind: 'not-finished' },
    due: assignment.due,
    recipients: 1,
  };
}
