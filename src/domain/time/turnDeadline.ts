import { AsyncLocalStorage } from 'node:async_hooks';

const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs a turn's work with the time (ms since 1970) by which every store request it makes must be
 * done, so that the turn as a whole answers in time however many requests it makes.
 */
export function withinDeadline<R>(deadline: number, work: () => Promise<R>): Promise<R> {
  return deadlines.run(deadline, work);
}

/** The deadline of the turn this code runs in; undefined outside a turn (background jobs). */
export function turnDeadline(): number | undefined {
  return deadlines.getStore();
}
