/** Strings longer than this are left alone: the ones that repeat (ids, versions, URLs) are shorter. */
const MAX_SHARED_LENGTH = 100;

/**
 * Makes equal strings in a freshly parsed JSON value the same string in memory, using `seen`
 * (one map for a batch of records, e.g. a shard as it is opened): question ids, choice ids,
 * course versions and conversation URLs repeat in every employee's records. Changes `value`
 * in place and returns it.
 */
export function shareStrings<T>(value: T, seen: Map<string, string>): T {
  return share(value, seen) as T;
}

function share(value: unknown, seen: Map<string, string>): unknown {
  if (typeof value === 'string') {
    if (value.length > MAX_SHARED_LENGTH) return value;
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, value);
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = share(value[i], seen);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = share(record[key], seen);
  }
  return value;
}
