import { COURSE_KEYS } from './uiKeys/courseKeys.js';
import { CONTACT_KEYS } from './uiKeys/contactKeys.js';
import { HR_KEYS } from './uiKeys/hrKeys.js';
import { CAMPAIGN_KEYS } from './uiKeys/campaignKeys.js';
import { GROUP_KEYS } from './uiKeys/groupKeys.js';
import { ROSTER_KEYS } from './uiKeys/rosterKeys.js';
import { REFRESHER_KEYS } from './uiKeys/refresherKeys.js';
import { TEAM_KEYS } from './uiKeys/teamKeys.js';
import { ENROLMENT_KEYS } from './uiKeys/enrolmentKeys.js';
import { SCHEDULE_KEYS } from './uiKeys/scheduleKeys.js';
import { RENEWAL_KEYS } from './uiKeys/renewalKeys.js';

/** Every interface text the cards use; content/{language}/ui.json must define exactly these. */
export const UI_KEYS = [
  ...COURSE_KEYS,
  ...CONTACT_KEYS,
  ...HR_KEYS,
  ...CAMPAIGN_KEYS,
  ...GROUP_KEYS,
  ...ROSTER_KEYS,
  ...REFRESHER_KEYS,
  ...TEAM_KEYS,
  ...ENROLMENT_KEYS,
  ...SCHEDULE_KEYS,
  ...RENEWAL_KEYS,
] as const;

export type UiKey = (typeof UI_KEYS)[number];
export type Ui = Readonly<Record<UiKey, string>>;

/** Placeholders the organisation's monitoring statement may use. */
export const MONITORING_PLACEHOLDERS = ['org', 'contactName', 'privacyContact'] as const;

/** Placeholders filled from configuration when content is loaded. */
export const ORG_PLACEHOLDERS = [...MONITORING_PLACEHOLDERS, 'contactEmail', 'policyUrl', 'monitoring'] as const;

/** Placeholders course.json may use besides those: {lessons} is the number of lesson files. */
export const COURSE_PLACEHOLDERS = [...ORG_PLACEHOLDERS, 'lessons'] as const;

/** Placeholders the cards fill in when they are rendered. */
export const RENDER_PLACEHOLDERS = [
  'course',
  'lessons',
  'minutes',
  'n',
  'total',
  'lesson',
  'answer',
  'version',
  'correct',
  'answered',
  'done',
  'max',
  'number',
  'name',
  'hours',
  'due',
  'count',
  'percent',
  'active',
  'completed',
  'inProgress',
  'reacknowledge',
  'notStarted',
  'overdue',
  'unreachable',
  'names',
  'people',
  'line',
  'reason',
  'added',
  'updated',
  'reactivated',
  'deactivated',
  'time',
  'size',
  'first',
  'second',
  'found',
  'columns',
  'field',
  'discrimination',
  'left',
  'when',
  'date',
] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The {names} a text uses. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** What ends a sentence (., !, ?, a closing quote) or a paragraph, then any opening quote or bold marker. */
const SENTENCE_START = /(?:^|[.!?…]['"’”)]?\s+|\n\s*)['"‘“(*]*$/;
/** Addresses keep their spelling even where a sentence starts. */
const ADDRESS = /@|:\/\//;

/**
 * Fills {name} placeholders; names without a value stay as they are. A value that starts a
 * sentence starts with a capital ("our organisation asks" becomes "Our organisation asks");
 * e-mail addresses and links are left as they are.
 */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) return whole;
    const filled = String(value);
    if (ADDRESS.test(filled) || !SENTENCE_START.test(text.slice(0, offset))) return filled;
    return filled.charAt(0).toLocaleUpperCase() + filled.slice(1);
  });
}
