/**
 * The records of one table in one shard. `latest` includes a write still on its way to disk;
 * reads see only what is on disk, and updates of one key run one after another, each after
 * the write before it is on disk, so nothing is read or reported before it is durable.
 */
export class Rows {
  private readonly latest = new Map<string, unknown>();
  /** For each key with a write in flight: what is on disk (undefined: no record). */
  private readonly durableBefore = new Map<string, unknown>();
  /** For each key with an update running or queued: when the last of them is done. */
  private readonly queues = new Map<string, Promise<void>>();

  /** Sets a record read from disk. */
  load(key: string, value: unknown): void {
    this.latest.set(key, value);
  }

  /** The record as it is on disk. */
  durable(key: string): unknown {
    return this.durableBefore.has(key) ? this.durableBefore.get(key) : this.latest.get(key);
  }

  /** Every record as it is on disk. */
  *durableValues(): Iterable<unknown> {
    if (this.durableBefore.size === 0) {
      yield* this.latest.values();
      return;
    }
    for (const [key, value] of this.latest) {
      const durable = this.durableBefore.has(key) ? this.durableBefore.get(key) : value;
      if (durable !== undefined) yield durable;
    }
  }

  /** Every record including writes in flight, for a snapshot made together with their journal lines. */
  latestEntries(): Iterable<[string, unknown]> {
    return this.latest.entries();
  }

  /** The record including a write in flight: only for an update run by `serially`. */
  latestValue(key: string): unknown {
    return this.latest.get(key);
  }

  /**
   * Runs `update` once every earlier update of `key` is done, so that what it reads is the
   * key's latest value and that value is on disk.
   */
  serially<R>(key: string, update: () => Promise<R>): Promise<R> {
    const before = this.queues.get(key);
    const result = before ? before.then(update) : update();
    const done = result.then(
      () => {},
      () => {},
    );
    this.queues.set(key, done);
    void done.then(() => {
      if (this.queues.get(key) === done) this.queues.delete(key);
    });
    return result;
  }

  /** Makes `value` the key's latest record while `persist` puts it on disk; undone if that fails. */
  async write(key: string, value: unknown, persist: () => Promise<void>): Promise<void> {
    const durable = this.latest.get(key);
    this.durableBefore.set(key, durable);
    this.latest.set(key, value);
    try {
      await persist();
    } catch (error) {
      if (durable === undefined) this.latest.delete(key);
      else this.latest.set(key, durable);
      throw error;
    } finally {
      this.durableBefore.delete(key);
    }
  }
}
