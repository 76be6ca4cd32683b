import type { MemberStatus } from '../course/progress.js';
import { savedColumn, type Column } from './figuresState.js';
import { roomFor, SlotIndex } from './slotIndex.js';

/** The statuses a progress record gives without a clock, by code less one; code 0 is no progress. */
export const STATUS_CODES: readonly MemberStatus[] = [
  'not-started',
  'in-progress',
  'needs-reacknowledge',
  'renewal-due',
  'completed',
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** First tries sit in a row's two high bits, the choice picked first (index plus one) in the six low bits. */
const FIRST_SHIFT = 6;
const CHOICE_MASK = 63;

/** What the figures keep of one person's progress. */
export interface ProgressCodes {
  /** STATUS_CODES index plus one. */
  readonly status: number;
  /** Lessons changed since the latest acknowledgement, for needs-reacknowledge. */
  readonly changed: number;
  /** The lapse day's pool code, or 0. */
  readonly lapse: number;
  /** As the progress store keys it, when that is not the lower-case id. */
  readonly userId?: string;
  /** First tries (FirstTries.of). */
  readonly firstTries: Uint8Array;
  /** Choices picked first (ItemTries.of), when the record is keyed by the lower-case id itself. */
  readonly choices?: Uint8Array;
}

/**
 * People by lower-case Entra object id, each in a slot of typed arrays: ids in GUID form kept as
 * 16 bytes, their progress as codes, and both kinds of first tries in one shared row of bytes per person.
 */
export class People {
  /** Progress status code (0: no progress). */
  status = new Uint8Array(1_024);
  changed = new Uint16Array(1_024);
  lapse = new Int32Array(1_024);
  /** The first member slot with this id, plus one (members.ts chains the rest). */
  firstMember = new Int32Array(1_024);
  private words = new Uint32Array(4 * 1_024);
  private rows: Uint8Array;
  private size = 0;
  private readonly others = new Map<string, number>();
  private readonly otherIds = new Map<number, string>();
  private readonly userIds = new Map<number, string>();
  private readonly index = new SlotIndex((slot) => this.hashAt(slot));

  constructor(private readonly questions: number) {
    this.rows = new Uint8Array(questions * 1_024);
  }

  /** The slot of a lower-case id: a new one when `add`, else -1 when the id has none. */
  slotOf(id: string, add: boolean): number {
    const guid = GUID.test(id);
    if (!guid) {
      const known = this.others.get(id);
      if (known !== undefined || !add) return known ?? -1;
    }
    const w = guid ? wordsOf(id) : undefined;
    const hash = w ? mix(w[0] as number, w[1] as number, w[2] as number, w[3] as number) : 0;
    if (w) {
      const { words } = this;
      const found = this.index.find(hash, (s) => {
        const at = 4 * s;
        return words[at] === w[0] && words[at + 1] === w[1] && words[at + 2] === w[2] && words[at + 3] === w[3];
      });
      if (found >= 0 || !add) return found;
    }
    const slot = this.size++;
    this.grow(this.size);
    if (w) {
      this.words.set(w, 4 * slot);
      this.index.add(hash, slot);
    } else {
      this.others.set(id, slot);
      this.otherIds.set(slot, id);
    }
    return slot;
  }

  /** The progress store's key for the person in a slot with progress. */
  userIdOf(slot: number): string {
    return this.userIds.get(slot) ?? this.idOf(slot);
  }

  /** Writes what a progress record says of the person. */
  set(slot: number, codes: ProgressCodes): void {
    this.status[slot] = codes.status;
    this.changed[slot] = codes.changed;
    this.lapse[slot] = codes.lapse;
    if (codes.userId === undefined) this.userIds.delete(slot);
    else this.userIds.set(slot, codes.userId);
    const { rows, questions } = this;
    const at = slot * questions;
    for (let q = 0; q < questions; q++) {
      const choice = codes.choices ? (codes.choices[q] as number) : (rows[at + q] as number) & CHOICE_MASK;
      rows[at + q] = choice | ((codes.firstTries[q] as number) << FIRST_SHIFT);
    }
  }

  /** How many people have a slot. */
  get count(): number {
    return this.size;
  }

  /** Whether the person answered any question (first tries). */
  answered(slot: number): boolean {
    const { rows, questions } = this;
    for (let at = slot * questions, end = at + questions; at < end; at++)
      if ((rows[at] as number) > CHOICE_MASK) return true;
    return false;
  }

  /** The person's first tries, written into `into`. */
  firstTries(slot: number, into: Uint8Array): Uint8Array {
    const at = slot * this.questions;
    for (let q = 0; q < this.questions; q++) into[q] = (this.rows[at + q] as number) >> FIRST_SHIFT;
    return into;
  }

  /** The choices picked first by the progress record keyed by the lower-case id itself. */
  choices(slot: number): Uint8Array {
    const at = slot * this.questions;
    return this.rows.slice(at, at + this.questions).map((b) => b & CHOICE_MASK);
  }

  /** What restore() takes: ids not in GUID form, progress keys that are not the id, and the columns. */
  saved(): { fields: { others: [string, number][]; userIds: [number, string][] }; columns: Record<string, Column> } {
    const { size, questions } = this;
    return {
      fields: { others: [...this.others], userIds: [...this.userIds] },
      columns: {
        status: this.status.slice(0, size),
        changed: this.changed.slice(0, size),
        lapse: this.lapse.slice(0, size),
        firstMember: this.firstMember.slice(0, size),
        words: this.words.slice(0, 4 * size),
        rows: this.rows.slice(0, questions * size),
      },
    };
  }

  /** Takes in what saved() gave, in place of nobody. */
  restore(fields: { others: [string, number][]; userIds: [number, string][] }, columns: Record<string, Column>): void {
    if (this.size > 0) throw new Error('People are restored only in place of none.');
    const size = savedColumnLength(columns);
    this.status = savedColumn(columns, 'status', this.status, size);
    this.changed = savedColumn(columns, 'changed', this.changed, size);
    this.lapse = savedColumn(columns, 'lapse', this.lapse, size);
    this.firstMember = savedColumn(columns, 'firstMember', this.firstMember, size);
    this.words = savedColumn(columns, 'words', this.words, 4 * size);
    this.rows = savedColumn(columns, 'rows', this.rows, this.questions * size);
    this.size = size;
    for (const [id, slot] of fields.others) {
      this.others.set(id, slot);
      this.otherIds.set(slot, id);
    }
    for (const [slot, id] of fields.userIds) this.userIds.set(slot, id);
    for (let slot = 0; slot < size; slot++) if (!this.otherIds.has(slot)) this.index.add(this.hashAt(slot), slot);
  }

  private idOf(slot: number): string {
    const other = this.otherIds.get(slot);
    if (other !== undefined) return other;
    const hex = [...this.words.subarray(4 * slot, 4 * slot + 4)].map((w) => w.toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Only ids in GUID form are in the index: the others are in a Map. */
  private hashAt(slot: number): number {
    const { words } = this;
    const at = 4 * slot;
    return mix(words[at] as number, words[at + 1] as number, words[at + 2] as number, words[at + 3] as number);
  }

  private grow(size: number): void {
    this.status = roomFor(this.status, size);
    this.changed = roomFor(this.changed, size);
    this.lapse = roomFor(this.lapse, size);
    this.firstMember = roomFor(this.firstMember, size);
    this.words = roomFor(this.words, 4 * size);
    this.rows = roomFor(this.rows, this.questions * size);
  }
}

/** A lower-case GUID's 32 hex digits as four 32-bit words. */
function wordsOf(id: string): Uint32Array {
  const hex = id.replaceAll('-', '');
  return Uint32Array.of(
    parseInt(hex.slice(0, 8), 16),
    parseInt(hex.slice(8, 16), 16),
    parseInt(hex.slice(16, 24), 16),
    parseInt(hex.slice(24), 16),
  );
}

function mix(a: number, b: number, c: number, d: number): number {
  let h = a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function savedColumnLength(columns: Record<string, Column>): number {
  const status = columns.status;
  if (!(status instanceof Uint8Array)) throw new Error('Saved figures lack status.');
  return status.length;
}
