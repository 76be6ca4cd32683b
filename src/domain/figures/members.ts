import { savedColumn, type Column } from './figuresState.js';
import { hashOfText, roomFor, SlotIndex } from './slotIndex.js';

/** The slot holds a roster member (else only an assignment so far). */
export const ON_ROSTER = 1;
export const ACTIVE = 2;
/** Teams could not reach them (their assignment says so). */
export const UNREACHABLE = 4;

/**
 * Roster members (and keys with only an assignment so far) by key, each in a slot of typed arrays:
 * flags, department, role and due day as pool codes, the person their Entra object id names.
 */
export class Members {
  readonly keys: string[] = [];
  /** '' for a slot not on the roster. */
  readonly names: string[] = [];
  flags = new Uint8Array(1_024);
  department = new Int32Array(1_024);
  role = new Int32Array(1_024);
  /** Due day of their latest campaign, a pool code, or 0. */
  due = new Int32Array(1_024);
  /** The person slot (people.ts) of their Entra object id, plus one; 0 without one. */
  person = new Int32Array(1_024);
  /** The next member slot with the same person, plus one; 0 at the end. */
  next = new Int32Array(1_024);
  private readonly index = new SlotIndex((slot) => hashOfText(this.keys[slot] as string));

  /** The slot of a key: a new one when `add`, else -1 when the key has none. */
  slotOf(key: string, add: boolean): number {
    const hash = hashOfText(key);
    const found = this.index.find(hash, (s) => this.keys[s] === key);
    if (found >= 0 || !add) return found;
    const slot = this.keys.push(key) - 1;
    this.names.push('');
    this.flags = roomFor(this.flags, slot + 1);
    this.department = roomFor(this.department, slot + 1);
    this.role = roomFor(this.role, slot + 1);
    this.due = roomFor(this.due, slot + 1);
    this.person = roomFor(this.person, slot + 1);
    this.next = roomFor(this.next, slot + 1);
    this.index.add(hash, slot);
    return slot;
  }

  /** The slots' columns, as long as the slots in use. */
  columns(): Record<string, Column> {
    const size = this.keys.length;
    const { flags, department, role, due, person, next } = this;
    return {
      flags: flags.slice(0, size),
      department: department.slice(0, size),
      role: role.slice(0, size),
      due: due.slice(0, size),
      person: person.slice(0, size),
      next: next.slice(0, size),
    };
  }

  /** Takes in saved slots (keys, names and columns()), in place of none. */
  restore(keys: readonly string[], names: readonly string[], columns: Record<string, Column>): void {
    if (this.keys.length > 0) throw new Error('Members are restored only in place of none.');
    if (keys.length !== names.length) throw new Error('The saved members do not match.');
    const size = keys.length;
    const column = <T extends Column>(name: string, like: T): T => savedColumn(columns, name, like, size);
    this.flags = column('flags', this.flags);
    this.department = column('department', this.department);
    this.role = column('role', this.role);
    this.due = column('due', this.due);
    this.person = column('person', this.person);
    this.next = column('next', this.next);
    for (let slot = 0; slot < size; slot++) {
      const key = keys[slot] as string;
      this.keys.push(key);
      this.names.push(names[slot] as string);
      this.index.add(hashOfText(key), slot);
    }
  }
}
