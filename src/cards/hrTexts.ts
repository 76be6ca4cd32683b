import type { UiKey } from '../content/ui.js';
import type { ReachProblem } from '../domain/campaigns/deliveryPolicy.js';
import type { Platform } from '../domain/inventory/inventory.js';
import type { RosterRow } from '../domain/roster/roster.js';
import type { RosterIssueCode } from '../directory/csvRoster.js';

/** Platforms by their own names; the others have a text in each language. */
export const PLATFORM_NAMES: Record<Exclude<Platform, 'blog' | 'other' | 'none'>, string> = {
  linkedin: 'LinkedIn',
  facebook: 'Facebook',
  x: 'X',
  instagram: 'Instagram',
  tiktok: 'TikTok',
  youtube: 'YouTube',
};

/** HR's text for each reason a person was not reached. */
export const REACH_TEXTS: Record<ReachProblem, UiKey> = {
  'off-roster': 'reachOffRoster',
  'no-id': 'reachNoId',
  'no-tenant': 'reachNoTenant',
  blocked: 'reachBlocked',
  'app-disabled': 'reachAppDisabled',
  'not-installed': 'reachNotInstalled',
  refused: 'reachRefused',
  'install-failed': 'reachInstallFailed',
  'gave-up': 'reachGaveUp',
  rejected: 'reachRejected',
};

/** The text for each thing that can be wrong with a roster file or row. */
export const ISSUE_TEXTS: Record<RosterIssueCode, UiKey> = {
  'too-large': 'rosterIssueTooLarge',
  utf16: 'rosterIssueUtf16',
  'not-utf8': 'rosterIssueNotUtf8',
  empty: 'rosterIssueEmpty',
  'quote-unclosed': 'rosterIssueQuoteUnclosed',
  'quote-bad': 'rosterIssueQuoteBad',
  'header-twice': 'rosterIssueHeaderTwice',
  'no-header': 'rosterIssueNoHeader',
  'columns-missing': 'rosterIssueColumnsMissing',
  'no-rows': 'rosterIssueNoRows',
  'field-count': 'rosterIssueFieldCount',
  'too-long': 'rosterIssueTooLong',
  'name-missing': 'rosterIssueNameMissing',
  'email-missing': 'rosterIssueEmailMissing',
  'email-invalid': 'rosterIssueEmailInvalid',
  'email-twice': 'rosterIssueEmailTwice',
  'id-invalid': 'rosterIssueIdInvalid',
  'id-twice': 'rosterIssueIdTwice',
  'manager-invalid': 'teamRosterManagerInvalid',
};

/** The name of each roster field, as a problem with a row names it. */
export const FIELD_TEXTS: Record<keyof RosterRow, UiKey> = {
  name: 'rosterFieldName',
  email: 'rosterFieldEmail',
  department: 'rosterFieldDepartment',
  role: 'rosterFieldRole',
  aadObjectId: 'rosterFieldObjectId',
  employeeNumber: 'rosterFieldEmployeeNumber',
  manager: 'teamRosterFieldManager',
};
