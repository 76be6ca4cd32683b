/**
 * A keyed collection of JSON records, the one primitive every store implementation provides.
 * `update` must be atomic per key: a partitioned table store implements it as read, change,
 * and a conditional write retried on conflict.
 */
export interface Table<T> {
  get(key: string): Promise<T | undefined>;
  /** Applies `change` to the current record; when it returns undefined nothing is written. */
  update(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined>;
  /** Every record; for the few whole-table reads (open tickets, FAQ). */
  list(): Promise<T[]>;
}
