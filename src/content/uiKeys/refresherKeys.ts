/** Texts of refreshers and HR's retention figures. */
export const REFRESHER_KEYS = [
  'refresherTitle',
  'refresherIntro',
  'refresherStopHint',
  'refresherNotCompleted',
  'refresherStopped',
  'refresherStale',
  'helpRefresher',
  'retentionTitle',
  'retentionOverall',
  'retentionTooFew',
  'retentionLesson',
  'retentionWithheld',
] as const;
