import { addDays, localDate } from '../time/calendar.js';

/** How long an acknowledgement holds: whole months in the organisation's calendar. */
export interface Validity {
  readonly months: number;
  readonly timeZone: string;
}

/** Days after the lapse a renewal is due by: reminders and overdue follow it. */
export const RENEWAL_DUE_DAYS = 14;

/** The day a renewal of an acknowledgement that lapsed on `lapse` is due by; overdue after it. */
export function renewalDue(lapse: string): string {
  return addDays(lapse, RENEWAL_DUE_DAYS);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The local date (YYYY-MM-DD) an acknowledgement made at `at` lapses on: the same day `months`
 * later, or that month's last day when it is shorter. It holds until the day before.
 */
export function lapseDay(at: string, validity: Validity): string {
  const [year = 0, month = 1, day = 1] = localDate(new Date(at), validity.timeZone).split('-').map(Number);
  const index = year * 12 + (month - 1) + validity.months;
  const toYear = Math.floor(index / 12);
  const toMonth = (index % 12) + 1;
  const last = new Date(Date.UTC(toYear, toMonth, 0)).getUTCDate();
  return `${pad(toYear, 4)}-${pad(toMonth)}-${pad(Math.min(day, last))}`;
}
