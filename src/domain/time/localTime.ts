import { parseDate, wallClock } from './calendar.js';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;

/**
 * The instant a clock on the wall in `timeZone` shows `date` (YYYY-MM-DD) at `time` (HH:MM);
 * undefined for anything malformed and for a time that does not exist there (skipped when summer time starts).
 */
export function localInstant(date: unknown, time: unknown, timeZone: string): Date | undefined {
  const day = parseDate(date);
  const match = typeof time === 'string' ? TIME.exec(time.trim()) : null;
  if (day === undefined || !match) return undefined;
  const [year, month, dom] = day.split('-').map(Number) as [number, number, number];
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  const wanted = Date.UTC(year, month - 1, dom, hour, minute);
  // The zone's offset at a first guess, then at the corrected instant (they differ near a change of offset).
  let at = wanted;
  for (let i = 0; i < 2; i++) at = wanted - (shown(new Date(at), timeZone) - at);
  return shown(new Date(at), timeZone) === wanted ? new Date(at) : undefined;
}

/** The wall-clock reading of `at` in `timeZone`, as if it were UTC, in milliseconds. */
function shown(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
}
