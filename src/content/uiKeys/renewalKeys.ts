/** Texts of the yearly renewal of an acknowledgement. */
export const RENEWAL_KEYS = [
  'renewalTitle',
  'renewalIntro',
  'renewalSummary',
  'renewalStart',
  'renewalReminderTitle',
  'renewalOverdueTitle',
  'renewalLeft',
  'renewalAckIntro',
  'renewalDone',
  'renewalNotDue',
  'renewalStale',
  'statusRenewalDue',
  'coverageRenewalDue',
] as const;
