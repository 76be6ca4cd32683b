/** A key's writes in flight, and the latest order (of their changes being applied) told of. */
interface Writing {
  count: number;
  told: number;
}

/**
 * Tells of each write of a key once it is durable with the record it returned, in the order the
 * store applied their changes: a write overtaken by a later write of the key that was told of first
 * is not told of (every store applies one key's changes one at a time, but the news of a write can
 * come after the news of a later one, as a slow disk can make it). Keeps nothing for keys not being written.
 */
export class WriteOrder {
  private applied = 0;
  private readonly writing = new Map<string, Writing>();

  async write<C, T>(
    key: string,
    change: (current: C) => T | undefined,
    write: (change: (current: C) => T | undefined) => Promise<T | undefined>,
    tell: (record: T) => void,
  ): Promise<T | undefined> {
    const entry = this.writing.get(key) ?? { count: 0, told: 0 };
    entry.count += 1;
    this.writing.set(key, entry);
    let at = 0;
    try {
      const written = await write((current) => {
        at = this.applied += 1;
        return change(current);
      });
      if (written && at > entry.told) {
        entry.told = at;
        tell(written);
      }
      return written;
    } finally {
      entry.count -= 1;
      if (entry.count === 0) this.writing.delete(key);
    }
  }
}
