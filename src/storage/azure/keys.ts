import { createHash } from 'node:crypto';

/** Where a record lives in Azure Tables. */
export interface EntityKey {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** Maps a store key to its partition and row. */
export type KeyMap = (key: string) => EntityKey;

/** Characters Tables refuses in keys, and `%`, the escape itself. */
// eslint-disable-next-line no-control-regex -- Tables refuses control characters in keys
const FORBIDDEN = /[/\\#?%\u0000-\u001f\u007f-\u009f]/g;
/** Escaped keys above this length are replaced by a hash (Tables allows 1 KiB a key). */
const MAX_KEY = 255;

/** A key Tables accepts, one-to-one with `key`: forbidden characters become %XX, long keys a hash. */
export function escapeKey(key: string): string {
  const escaped = key.replace(FORBIDDEN, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  // `%H` never comes out of escaping (H is no hex digit), so hashes cannot meet escaped keys.
  return escaped.length <= MAX_KEY ? escaped : `%H${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * The store key of an entity either key map made, `escapeKey` undone (a `group/` key with no item comes back as
 * `group`; a key over 255 characters, kept as its hash, as that hash, which no key of 255 or fewer meets).
 */
export function storeKeyOf(partitionKey: string, rowKey: string): string {
  const unescape = (part: string) =>
    part.includes('%')
      ? part.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : part;
  return rowKey === '' || rowKey === '%' ? unescape(partitionKey) : `${unescape(partitionKey)}/${unescape(rowKey)}`;
}

/** One partition per key: progress, references, assignments, members and most other tables. */
export const ownPartition: KeyMap = (key) => ({ partitionKey: escapeKey(key), rowKey: '' });

/**
 * `group/item` keys, one partition per group: a send's deliveries, a person's request keys.
 * A key without a slash gets a row that no `group/item` key can have.
 */
export const byFirstSegment: KeyMap = (key) => {
  const slash = key.indexOf('/');
  if (slash < 0) return { partitionKey: escapeKey(key), rowKey: '%' };
  return { partitionKey: escapeKey(key.slice(0, slash)), rowKey: escapeKey(key.slice(slash + 1)) };
};
