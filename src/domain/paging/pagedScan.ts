/** A store read whole, one value out of every record: at once, or a page at a time. */
export interface PagedScan<T> {
  scan<R>(pick: (record: Readonly<T>) => R): Promise<R[]>;
  /**
   * The values of scan() in pages of about `size` (in no set order), read as they are taken, so
   * that a reader holds a page at a time rather than every record; a store that cannot page leaves it out.
   */
  scanPages?<R>(pick: (record: Readonly<T>) => R, size: number): AsyncIterable<readonly R[]>;
}

/** The store's pages when it can page; otherwise its scan() cut into pages. */
export async function* pagesOf<T, R>(
  source: PagedScan<T>,
  pick: (record: Readonly<T>) => R,
  size: number,
): AsyncGenerator<readonly R[]> {
  if (source.scanPages) {
    yield* source.scanPages(pick, size);
    return;
  }
  const all = await source.scan(pick);
  for (let at = 0; at < all.length; at += size) yield all.slice(at, at + size);
}
