/**
 * Who a campaign goes to. `leaveOutCompleted`: those who completed the current version are left out
 * (the default since HR could choose; campaigns from before it reached them too).
 */
export type Audience =
  | { readonly kind: 'everyone'; readonly leaveOutCompleted?: boolean }
  | { readonly kind: 'departments'; readonly departments: readonly string[]; readonly leaveOutCompleted?: boolean }
  /** The roster members among an Entra group's transitive members; the name as it was when sent. */
  | {
      readonly kind: 'group';
      readonly groupId: string;
      readonly groupName: string;
      readonly leaveOutCompleted?: boolean;
    }
  | { readonly kind: 'not-finished' }
  /** People who acknowledged an earlier version of the policy and not this one. */
  | { readonly kind: 'needs-reacknowledge' };

/** HR's call to the workforce to do the course by a due date. */
export interface Campaign {
  /** The id of the preview card it was sent from: confirming twice finds the same campaign. */
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly audience: Audience;
  /** Due date, YYYY-MM-DD in the organisation's time zone. */
  readonly due: string;
  readonly note?: string;
  /** How many deliveries the campaign made. */
  readonly recipients: number;
}
