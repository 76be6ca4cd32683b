import { wallClock } from './calendar.js';

/** Office hours: Monday to Friday, 09:00–17:00 local time. */
const OPEN_HOUR = 9;
const CLOSE_HOUR = 17;
const QUARTER = 15 * 60_000;

/** True when the instant falls in office hours in the given IANA time zone. */
export function isWorkingTime(at: Date, timeZone: string): boolean {
  const local = wallClock(at, timeZone);
  return local.weekday <= 5 && local.hour >= OPEN_HOUR && local.hour < CLOSE_HOUR;
}

/** The first quarter hour at or after `from` that is in office hours (`from` itself when it is). */
export function nextOpening(from: Date, timeZone: string): Date {
  if (isWorkingTime(from, timeZone)) return from;
  let t = Math.ceil(from.getTime() / QUARTER) * QUARTER;
  // Office hours open at least once a week; every zone's offset is a whole number of quarter hours.
  while (!isWorkingTime(new Date(t), timeZone)) t += QUARTER;
  return new Date(t);
}

/** Minutes of office hours between two instants, in the given IANA time zone. */
export function workingMinutesBetween(from: Date, to: Date, timeZone: string): number {
  let minutes = 0;
  // Walk in 15-minute steps: exact enough for reminders, and cheap for spans of days.
  for (let t = from.getTime(); t + QUARTER <= to.getTime(); t += QUARTER) {
    if (isWorkingTime(new Date(t), timeZone)) minutes += 15;
  }
  return minutes;
}
