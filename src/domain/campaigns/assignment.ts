/** What HR asked of one roster member, and whether the bot can reach them. Keyed by member key. */
export interface Assignment {
  readonly key: string;
  /** The due date of the latest campaign or renewal that reached them, YYYY-MM-DD. */
  readonly due?: string;
  readonly campaignId?: string;
  /** The lapse day of the renewal they were asked for, when that came after their latest campaign. */
  readonly renewal?: string;
  /** When the renewal message was queued: reminders keep their distance from it as from a campaign. */
  readonly renewalSentAt?: string;
  /** Set by the last delivery attempt: reachable, or not and why. */
  readonly reach?: { readonly ok: boolean; readonly reason?: string; readonly at: string };
  readonly lastReminderAt?: string;
  /** The due date for which the one "overdue" reminder went out. */
  readonly overdueRemindedFor?: string;
}
