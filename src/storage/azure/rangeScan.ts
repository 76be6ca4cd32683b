import type { TableClient, TableEntityResultPage } from '@azure/data-tables';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { rangeFilters, type Bounds } from './keyRanges.js';
import { fromProperties } from './records.js';

/** Ranges read at once: each has one page in flight, so this many requests at a time. */
export const RANGES_IN_FLIGHT = 8;

/**
 * One value out of every record of the table, read over the key ranges `bounds` cuts with up to
 * `inFlight` of them at once, page by page (each page gets its own deadline, so a table of any
 * size can be read). `pick` sees each record once, as its page arrives; the values come back in
 * key order, as one read of the whole table would give them.
 */
export async function scanRanges<T, R>(
  client: TableClient,
  operation: string,
  bounds: Bounds,
  pick: (current: Readonly<T>) => R,
  inFlight = RANGES_IN_FLIGHT,
): Promise<R[]> {
  const filters = rangeFilters(bounds);
  const picked: R[][] = filters.map(() => []);
  let next = 0;
  const reader = async () => {
    for (let at = next++; at < filters.length; at = next++)
      await readRange(client, operation, filters[at], (record: T) => (picked[at] as R[]).push(pick(record)));
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, filters.length) }, reader));
  return picked.flat();
}

/** Every record of one range, page by page, each page asked for again from its token when it fails. */
async function readRange<T>(
  client: TableClient,
  operation: string,
  filter: string | undefined,
  take: (record: T) => void,
): Promise<void> {
  let continuationToken: string | undefined;
  do {
    type Page = TableEntityResultPage<Record<string, unknown>> | undefined;
    const page = await beforeDeadline(operation, deadlineFromNow(), async (options): Promise<Page> => {
      const pages = client
        .listEntities<Record<string, unknown>>(filter ? { ...options, queryOptions: { filter } } : options)
        .byPage(continuationToken ? { continuationToken } : {});
      const result = await pages.next();
      return result.done ? undefined : result.value;
    });
    for (const entity of page ?? []) {
      const record = fromProperties<T>(entity);
      if (record !== undefined) take(record);
    }
    continuationToken = page?.continuationToken;
  } while (continuationToken);
}
