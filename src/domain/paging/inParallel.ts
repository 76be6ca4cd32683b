/** Runs `work` on each item, at most `limit` at a time, started in the items' order; rejects on the first failure. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let at = next++; at < items.length; at = next++) await work(items[at] as T, at);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
