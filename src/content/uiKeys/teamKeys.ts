/** Texts of a manager's team card, its reminders, and the roster's manager column. */
export const TEAM_KEYS = [
  'teamNone',
  'teamTitle',
  'teamIntro',
  'teamSummary',
  'teamOverdue',
  'teamDue',
  'teamMore',
  'teamRemind',
  'teamRemindSent',
  'teamRemindSkipped',
  'teamRemindNobody',
  'teamNotAsked',
  'teamRosterManagerInvalid',
  'teamRosterFieldManager',
] as const;
