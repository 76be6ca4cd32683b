import { inParallel } from '../../domain/paging/inParallel.js';
import type { TableClient, TableEntityResultPage } from '@azure/data-tables';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { rangeFilters, type Bounds } from './keyRanges.js';
import { storeKeyOf } from './keys.js';
import { fromProperties } from './records.js';

/** Ranges read at once: each has one page in flight, so this many requests at a time. */
export const RANGES_IN_FLIGHT = 8;

type Page = TableEntityResultPage<Record<string, unknown>> | undefined;

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
  await inParallel(filters, inFlight, async (filter, at) => {
    let token: string | undefined;
    do {
      const page = await readPage(client, operation, filter, token);
      (picked[at] as R[]).push(...recordsOf<T, R>(page, pick));
      token = page?.continuationToken;
    } while (token);
  });
  return picked.flat();
}

/**
 * scanRanges() a page at a time, in the order pages arrive: a range's next page is asked for
 * once its last page was taken, so no more than `inFlight` pages are read ahead of the reader.
 */
export async function* pagesOverRanges<T, R>(
  client: TableClient,
  operation: string,
  bounds: Bounds,
  pick: (current: Readonly<T>, key: string) => R,
  size: number,
  inFlight = RANGES_IN_FLIGHT,
): AsyncGenerator<readonly R[]> {
  const filters = rangeFilters(bounds);
  const reading = new Map<number, Promise<{ at: number; page: Page }>>();
  const read = (at: number, token?: string) =>
    reading.set(
      at,
      readPage(client, operation, filters[at], token, size).then((page) => ({ at, page })),
    );
  let next = 0;
  for (; next < Math.min(inFlight, filters.length); next++) read(next);
  try {
    while (reading.size > 0) {
      const { at, page } = await Promise.race(reading.values());
      reading.delete(at);
      if (page?.continuationToken) read(at, page.continuationToken);
      else if (next < filters.length) read(next++);
      yield recordsOf<T, R>(page, pick);
    }
  } finally {
    // Left early (or failed): the pages still on their way are not wanted.
    for (const left of reading.values()) left.catch(() => undefined);
  }
}

function recordsOf<T, R>(page: Page, pick: (current: Readonly<T>, key: string) => R): R[] {
  const picked: R[] = [];
  for (const entity of page ?? []) {
    const record = fromProperties<T>(entity);
    if (record !== undefined) picked.push(pick(record, storeKeyOf(entity.partitionKey ?? '', entity.rowKey ?? '')));
  }
  return picked;
}

/** One page of a query (a range), from its continuation token, within its own deadline. */
export function readPage(
  client: TableClient,
  operation: string,
  filter: string | undefined,
  continuationToken: string | undefined,
  maxPageSize?: number,
): Promise<Page> {
  return beforeDeadline(operation, deadlineFromNow(), async (options): Promise<Page> => {
    const pages = client
      .listEntities<Record<string, unknown>>(filter ? { ...options, queryOptions: { filter } } : options)
      .byPage({ ...(continuationToken ? { continuationToken } : {}), ...(maxPageSize ? { maxPageSize } : {}) });
    const result = await pages.next();
    return result.done ? undefined : result.value;
  });
}
