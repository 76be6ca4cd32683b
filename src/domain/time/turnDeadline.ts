import { AsyncLocalStorage } from 'node:async_hooks';

interface TurnTime {
  at: number;
  extended: boolean;
}

const deadlines = new AsyncLocalStorage<TurnTime>();

/**
 * Runs a turn's work with the time (ms since 1970) by which every store request it makes must be
 * done, so that the turn as a whole answers in time however many requests it makes.
 */
export function withinDeadline<R>(deadline: number, work: () => Promise<R>): Promise<R> {
  return deadlines.run({ at: deadline, extended: false }, work);
}

/** The deadline of the turn this code runs in; undefined outside a turn (background jobs). */
export function turnDeadline(): number | undefined {
  return deadlines.getStore()?.at;
}

/**
 * Moves the turn's deadline to `until`, once a turn: a write whose outcome the deadline left
 * unknown gets that time to find out, and the rest of the turn with it. False when the turn
 * already had its extension (or there is no turn).
 */
export function extendTurnDeadline(until: number): boolean {
  const time = deadlines.getStore();
  if (!time || time.extended) return false;
  time.extended = true;
  time.at = Math.max(time.at, until);
  return true;
}

/** Runs `work` outside any turn: background work a turn starts must not inherit (and outlive) its deadline. */
export function outsideTurn<R>(work: () => R): R {
  return deadlines.exit(work);
}
