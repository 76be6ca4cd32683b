/**
 * Where a whole-table read splits its PartitionKeys so that ranges are read at once: each bound
 * starts a range, the first range takes every key below the first bound and the last every key
 * from the last bound up, so that every key falls in exactly one range whatever it is.
 */
export type Bounds = readonly string[];

/** Entra object ids: hex GUIDs, random, so their first digit splits them into 16 even ranges. */
export const HEX_BOUNDS: Bounds = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'];

/**
 * E-mail addresses (lower case): 16 ranges by first letter, cut where people's names are about
 * equally common (a; b; c; d; e–f; g–h; i–j; k; l; m; n–o; p–q; r; s; t; u–z and the rest).
 */
export const EMAIL_BOUNDS: Bounds = ['b', 'c', 'd', 'e', 'g', 'i', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'u'];

/** One range: the whole table, read as one. */
export const WHOLE_TABLE: Bounds = [];

/** The ranges the figures' tables are read over; any other table is read whole. */
export const SCAN_BOUNDS: Readonly<Record<string, Bounds>> = {
  progress: HEX_BOUNDS,
  members: EMAIL_BOUNDS,
  assignments: EMAIL_BOUNDS,
};

/** The OData filters of the ranges `bounds` cut, in key order; undefined for the one range of no bounds. */
export function rangeFilters(bounds: Bounds): (string | undefined)[] {
  if (bounds.length === 0) return [undefined];
  const quoted = (key: string) => `'${key.replaceAll("'", "''")}'`;
  return bounds
    .map((bound, i) => {
      const below = `PartitionKey lt ${quoted(bound)}`;
      const before = bounds[i - 1];
      return before === undefined ? below : `PartitionKey ge ${quoted(before)} and ${below}`;
    })
    .concat(`PartitionKey ge ${quoted(bounds[bounds.length - 1] as string)}`);
}
