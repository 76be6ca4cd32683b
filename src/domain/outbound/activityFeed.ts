import type { RequestOutcome } from '../campaigns/deliveryPolicy.js';

/** The activity types the app package declares (manifest/manifest.template.json, `activities.activityTypes`). */
export type FeedActivityType = 'dueSoon' | 'overdue' | 'refresherDue';

/** One activity feed notice: its type, the values its template text names, and the line shown under it. */
export interface FeedNotice {
  readonly activityType: FeedActivityType;
  /** The values of the template text's parameters other than `{actor}` (Teams fills that in). */
  readonly templateParameters: Readonly<Record<string, string>>;
  /** Shown under the notice (Teams shows the first 150 characters). */
  readonly previewText: string;
  /** The notice's topic as text; a click opens `link`. */
  readonly topic: string;
}

/** What Graph made of a notice: an HTTP answer or a failed connection, or the app not installed for the person. */
export type FeedOutcome = RequestOutcome | { readonly kind: 'not-installed' };

/** The Teams activity feed through Microsoft Graph; each call is one request. */
export interface ActivityFeed {
  /** One notice to one person; `link` is what it opens. */
  notify(aadObjectId: string, notice: FeedNotice, link: string): Promise<FeedOutcome>;
  /**
   * One notice to up to 100 people at once. Graph takes it (202) and delivers later: it never says whom it did not
   * reach, so this is only for people the app is known to be installed for.
   */
  notifyMany(aadObjectIds: readonly string[], notice: FeedNotice, link: string): Promise<FeedOutcome>;
}
