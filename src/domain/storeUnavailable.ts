/**
 * Why a store request gave up: its time ran out, it kept failing until no time was left to try again, or the
 * embedded store's disk refused the write (full, read-only or failing).
 */
export type StoreFault = 'deadline' | 'faults' | 'disk';

/**
 * The store did not confirm a read or write in time: nothing may be reported as saved. Thrown by the
 * store adapters; the Teams adapter tells the person it was not saved and to try again.
 */
export class StoreUnavailable extends Error {
  constructor(
    /** What was asked of the store, e.g. `progress.update`: names a table, never a person. */
    readonly operation: string,
    readonly fault: StoreFault,
    options?: { cause?: unknown },
  ) {
    super(`The store did not answer ${operation} in time (${fault})`, options);
    this.name = 'StoreUnavailable';
  }
}
