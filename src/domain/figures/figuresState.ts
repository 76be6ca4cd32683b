/** A typed array as the figures keep their columns. */
export type Column = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** What figures save to be restored in another process: JSON-able fields and typed arrays, by name. */
export interface FiguresState {
  readonly fields: Record<string, unknown>;
  readonly columns: Record<string, Column>;
}

const KINDS = { Uint8Array, Uint16Array, Int32Array, Uint32Array, Float64Array } as const;
type Kind = keyof typeof KINDS;

/** Offsets of columns are kept at multiples of 8 bytes. */
const align = (n: number) => Math.ceil(n / 8) * 8;

/** The state as bytes: a JSON header (fields, and each column's kind and length), then the columns as they are. */
export function encodeState(state: FiguresState): Uint8Array {
  const columns = Object.entries(state.columns);
  const header = new TextEncoder().encode(
    JSON.stringify({
      fields: state.fields,
      columns: columns.map(([name, c]) => [name, c.constructor.name as Kind, c.length]),
    }),
  );
  let size = align(4 + header.length);
  for (const [, c] of columns) size += align(c.byteLength);
  const bytes = new Uint8Array(size);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  let at = align(4 + header.length);
  for (const [, c] of columns) {
    bytes.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += align(c.byteLength);
  }
  return bytes;
}

/** The state encodeState wrote; throws on bytes it did not write. */
export function decodeState(bytes: Uint8Array): FiguresState {
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as {
    fields: Record<string, unknown>;
    columns: [string, Kind, number][];
  };
  const columns: Record<string, Column> = {};
  let at = align(4 + length);
  for (const [name, kind, count] of header.columns) {
    const Type = KINDS[kind];
    if (!Type) throw new Error(`Unknown column kind ${kind}`);
    const byteLength = count * Type.BYTES_PER_ELEMENT;
    if (at + byteLength > bytes.length) throw new Error('The saved figures end early.');
    // Copied: the bytes may sit at any offset of their buffer.
    columns[name] = new Type(bytes.slice(at, at + byteLength).buffer);
    at += align(byteLength);
  }
  return { fields: header.fields, columns };
}

/** The saved column `name`, checked to be of the kind of `like` and `length` long. */
export function savedColumn<T extends Column>(
  columns: Record<string, Column>,
  name: string,
  like: T,
  length: number,
): T {
  const c = columns[name];
  if (!c || c.constructor !== like.constructor || c.length !== length) throw new Error(`Saved figures lack ${name}.`);
  return c as T;
}
