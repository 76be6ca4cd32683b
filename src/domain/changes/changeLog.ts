/** How long the change log keeps an append (the leader prunes older ones): a day. */
export const CHANGES_KEPT_MS = 24 * 60 * 60_000;
/** What is read from the log is read only while it holds this much more (an hour between prunes). */
const KEPT_SLACK_MS = 60 * 60_000;

/** Whether the change log still holds every append made since `position` (ms), at `now`. */
export function stillLogged(position: number, now: number): boolean {
  return position >= now - CHANGES_KEPT_MS + KEPT_SLACK_MS;
}

/** The tables whose writes HR's figures follow across instances, by the name the stores give them. */
export type ChangedTable = 'progress' | 'members' | 'assignments' | 'deliveries';

/** A record that is about to be written: which table, and its key there. */
export interface Change {
  readonly table: ChangedTable;
  readonly key: string;
}

/** Changes announced by one append, as read back. */
export interface LoggedChanges {
  /** Unique per append: the same append read again has the same id. */
  readonly id: string;
  /** When the append was made, in ms since 1970 by the log's clock (`now()`). */
  readonly at: number;
  /** Whether this process made the append (its writes told its own figures already). */
  readonly own: boolean;
  readonly changes: readonly Change[];
}

/**
 * The keys of records written, kept by time, for instances that share a store: an instance catches
 * up on the others' writes by reading what was announced since it last looked, then the records
 * themselves, so reading a change twice (or one whose write failed) is harmless. Writers append
 * BEFORE the write they announce, so a write can never land unannounced.
 */
export interface ChangeLog {
  /** The time appends are stamped with, the same for every instance (the store's), in ms since 1970. */
  now(): number;
  /**
   * Announces `changes`; resolves once the announcement is durable. With `gatherMs`, it may wait that long for other
   * announcements to go in the same request.
   */
  append(changes: readonly Change[], gatherMs?: number): Promise<void>;
  /** The appends made from `from` (ms) on, page by page; older ones may come along. */
  since(from: number): AsyncIterable<readonly LoggedChanges[]>;
  /** Drops what was appended before `before` (ms); returns how many appends it dropped. */
  prune(before: number): Promise<number>;
}
