/**
 * A keyed collection of JSON records, the one primitive every store implementation provides.
 * `update` must be atomic per key: a partitioned table store implements it as read, change,
 * and a conditional write retried on conflict.
 */
export interface Table<T> {
  get(key: string): Promise<T | undefined>;
  /** Reads one value out of a record without copying the record; `pick` must not return parts of it. */
  peek<R>(key: string, pick: (current: Readonly<T> | undefined) => R): Promise<R>;
  /**
   * Applies `change` to the current record and returns what it wrote; when `change` returns
   * undefined nothing is written and undefined is returned. `change` must return a new record
   * rather than modify the one it is given.
   */
  update(key: string, change: (current: Readonly<T> | undefined) => T | undefined): Promise<T | undefined>;
  /** Every record; for the few whole-table reads (open tickets, FAQ). */
  list(): Promise<T[]>;
  /** One value out of every record, without copying records; `pick` must not return parts of them. */
  scan<R>(pick: (current: Readonly<T>) => R): Promise<R[]>;
  /**
   * scan() a page of about `size` values at a time, read as the pages are taken, in no set order; `pick` also gets
   * each record's key.
   */
  scanPages<R>(pick: (current: Readonly<T>, key: string) => R, size: number): AsyncIterable<readonly R[]>;
}

/** Values picked out of `rows` in pages of `size`, each page made when it is asked for. */
export function* pagesFrom<T, R>(rows: Iterable<T>, pick: (row: T) => R, size: number): Generator<R[]> {
  let page: R[] = [];
  for (const row of rows) {
    page.push(pick(row));
    if (page.length < size) continue;
    yield page;
    page = [];
  }
  if (page.length > 0) yield page;
}
