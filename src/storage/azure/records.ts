/** Characters of JSON per property: Tables allows 64 KiB (32,768 UTF-16 units) a string property. */
export const CHUNK = 30_000;
/**
 * Properties of JSON per entity, keeping it under Tables' 1 MiB an entity: strings count two bytes
 * a character, so 16 × 30,000 characters are 960,000 bytes, with room for the keys and the count.
 */
export const MAX_CHUNKS = 16;

/** A record too big for one entity; says which table and how big, never what it holds. */
export class RecordTooLargeError extends Error {
  constructor(table: string, chars: number) {
    super(`A ${table} record of ${chars} characters is larger than Azure Tables allows in one entity`);
    this.name = 'RecordTooLargeError';
  }
}

/** The record as JSON over properties d0, d1, … of at most CHUNK characters, and their count n. */
export function toProperties(table: string, record: unknown): Record<string, string | number> {
  const json = JSON.stringify(record);
  const properties: Record<string, string | number> = {};
  let n = 0;
  for (let at = 0; at < json.length; n += 1) {
    let end = Math.min(at + CHUNK, json.length);
    // Never split a surrogate pair over two properties.
    if (end < json.length && /[\ud800-\udbff]/.test(json.charAt(end - 1))) end -= 1;
    properties[`d${n}`] = json.slice(at, end);
    at = end;
  }
  if (n > MAX_CHUNKS) throw new RecordTooLargeError(table, json.length);
  properties.n = n;
  return properties;
}

/** The record an entity holds (undefined for one without record properties). */
export function fromProperties<T>(entity: Record<string, unknown>): T | undefined {
  const n = entity.n;
  if (typeof n !== 'number' || n < 1) return undefined;
  let json = '';
  for (let i = 0; i < n; i += 1) json += entity[`d${i}`] as string;
  return JSON.parse(json) as T;
}
