/**
 * Slots (0, 1, 2, ...) found by a hash of what they hold, kept in one typed array (open addressing,
 * half full at most): no Map entry or key string is added per slot, the caller holds what the slots hold.
 */
export class SlotIndex {
  private table = new Int32Array(1_024);
  private size = 0;

  /** `hashOf` gives the hash of what a slot holds, to place the slots again as the table grows. */
  constructor(private readonly hashOf: (slot: number) => number) {}

  /** The slot with this hash for which `holds` is true, or -1. */
  find(hash: number, holds: (slot: number) => boolean): number {
    const mask = this.table.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const found = this.table[at] as number;
      if (found === 0) return -1;
      if (holds(found - 1)) return found - 1;
    }
  }

  /** Files a new slot under its hash. */
  add(hash: number, slot: number): void {
    if ((this.size + 1) * 2 > this.table.length) this.grow();
    this.place(hash, slot);
    this.size += 1;
  }

  private place(hash: number, slot: number): void {
    const mask = this.table.length - 1;
    let at = hash & mask;
    while (this.table[at] !== 0) at = (at + 1) & mask;
    this.table[at] = slot + 1;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    for (const found of old) if (found !== 0) this.place(this.hashOf(found - 1), found - 1);
  }
}

/** FNV-1a over a string's code units. */
export function hashOfText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A typed array of at least `size` elements holding `array`'s: itself, or a copy twice as long. */
export function roomFor<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const grown = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  grown.set(array);
  return grown;
}
