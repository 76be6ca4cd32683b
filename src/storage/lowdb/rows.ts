/**
 * The records of one table in one shard. A record being written is the key's latest value at
 * once, but reads see what is on disk until the write is done, and an update of a key waits for
 * the write of that key in flight: nothing is read or reported before it is durable.
 */
export class Rows {
  private readonly latest = new Map<string, unknown>();
  /** For each key with a write in flight: what is on disk (undefined: no record), and when the write is done. */
  private readonly writing = new Map<string, { readonly durable: unknown; readonly done: Promise<unknown> }>();

  /** Sets a record read from disk. */
  load(key: string, value: unknown): void {
    this.latest.set(key, value);
  }

  /** The record as it is on disk. */
  durable(key: string): unknown {
    const write = this.writing.get(key);
    return write ? write.durable : this.latest.get(key);
  }

  /** Every record as it is on disk. */
  *durableValues(): Iterable<unknown> {
    if (this.writing.size === 0) {
      yield* this.latest.values();
      return;
    }
    for (const [key, value] of this.latest) {
      const write = this.writing.get(key);
      const durable = write ? write.durable : value;
      if (durable !== undefined) yield durable;
    }
  }

  /** Every key with its record as it is on disk. */
  *durableEntries(): Iterable<[string, unknown]> {
    for (const [key, value] of this.latest) {
      const write = this.writing.get(key);
      const durable = write ? write.durable : value;
      if (durable !== undefined) yield [key, durable];
    }
  }

  /** Every record including writes in flight, for a snapshot made together with their journal lines. */
  latestEntries(): Iterable<[string, unknown]> {
    return this.latest.entries();
  }

  /**
   * Once no write of `key` is in flight, applies `change` to its record; a value it returns is
   * the key's latest record while `persist` puts it on disk, and is undone if that fails.
   * Resolves with that value once it is on disk, or with undefined when `change` returned that.
   */
  update(
    key: string,
    change: (current: unknown) => unknown,
    persist: (value: unknown) => Promise<void>,
  ): Promise<unknown> {
    const write = this.writing.get(key);
    if (write) {
      const retry = () => this.update(key, change, persist);
      return write.done.then(retry, retry);
    }
    const durable = this.latest.get(key);
    const next = change(durable);
    if (next === undefined) return Promise.resolve(undefined);
    this.latest.set(key, next);
    const done = persist(next).then(
      () => {
        this.writing.delete(key);
        return next;
      },
      (error: unknown) => {
        this.writing.delete(key);
        if (durable === undefined) this.latest.delete(key);
        else this.latest.set(key, durable);
        throw error;
      },
    );
    this.writing.set(key, { durable, done });
    return done;
  }
}
