/** Office hours: Monday to Friday, 09:00–17:00 local time. */
const OPEN_HOUR = 9;
const CLOSE_HOUR = 17;

/** Minutes of office hours between two instants, in the given IANA time zone. */
export function workingMinutesBetween(from: Date, to: Date, timeZone: string): number {
  let minutes = 0;
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  // Walk in 15-minute steps: exact enough for reminders, and cheap for spans of days.
  const step = 15 * 60_000;
  for (let t = from.getTime(); t + step <= to.getTime(); t += step) {
    const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const hour = Number(parts.hour);
    if (parts.weekday !== 'Sat' && parts.weekday !== 'Sun' && hour >= OPEN_HOUR && hour < CLOSE_HOUR) minutes += 15;
  }
  return minutes;
}
