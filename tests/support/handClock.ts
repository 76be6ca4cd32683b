import type { Clock } from '../../src/domain/time/clock.js';

/** A clock the test moves by hand. */
export function handClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now), set: (iso) => (now = new Date(iso)) };
}
