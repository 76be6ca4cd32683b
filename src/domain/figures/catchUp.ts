import { inParallel } from '../paging/inParallel.js';
import type { Assignment } from '../campaigns/assignment.js';
import type { Delivery } from '../campaigns/delivery.js';
import { stillLogged, type ChangedTable, type ChangeLog } from '../changes/changeLog.js';
import type { Progress } from '../course/progress.js';
import type { Member } from '../roster/roster.js';
import type { FiguresFeed } from './figuresFeed.js';

/**
 * How long after its append a change may still be written: the append itself takes up to 10 s,
 * the write it announces 10 s more and 3 s to settle, and the writer's clock may run 5 s behind.
 * Changes this young are read again once they are older, so a record read before its write landed
 * is read again after; until then each pass lists them again (their keys, not their records).
 */
export const CHANGE_HORIZON_MS = 30_000;
/** Records read at once. */
const READS_IN_FLIGHT = 16;

/** Where the current record of a changed key is read. */
export interface ChangedRecords {
  readonly progress: { get(userId: string): Promise<Progress | undefined> };
  readonly roster: { get(key: string): Promise<Member | undefined> };
  readonly assignments: { get(key: string): Promise<Assignment | undefined> };
  readonly deliveries: { get(id: string): Promise<Delivery | undefined> };
}

/** What one pass did: the changes it listed and the records it read. */
export interface CaughtUp {
  readonly changes: number;
  readonly read: number;
  /** The change log no longer held what followed the last pass, so the figures were built again in full. */
  readonly rebuilt?: boolean;
}

/**
 * Brings HR's figures up to date with the writes other instances announced in the change log:
 * each pass lists the changes since the last one (and those within the horizon, again), reads the
 * current record of each key once a pass (when first seen, and once more past the horizon) and
 * tells the feed. What it costs follows the writes, not the roster. Passes must not overlap. A pass
 * that finds the changes since the last one pruned from the log (an outage of a day) has `rebuild`
 * build the figures again from the stores instead.
 */
export class FiguresCatchUp {
  private at: number;
  /** Appends listed and read once, by id, with their time: read again once past the horizon. */
  private readonly young = new Map<string, number>();

  constructor(
    private readonly log: ChangeLog,
    private readonly records: ChangedRecords,
    private readonly feed: FiguresFeed,
    readonly now: () => number,
    private readonly rebuild?: () => Promise<void>,
  ) {
    this.at = now() - CHANGE_HORIZON_MS;
  }

  /** Every change announced before this (ms, the log's clock) is in the figures: the next pass lists from it. */
  get position(): number {
    return this.at;
  }

  /** Makes the next pass list from `position` when that is earlier: for figures restored from a checkpoint. */
  rewind(position: number): void {
    this.at = Math.min(this.at, position);
  }

  async pass(): Promise<CaughtUp> {
    const now = this.now();
    const horizon = now - CHANGE_HORIZON_MS;
    if (this.rebuild && !stillLogged(this.at, now)) {
      await this.rebuild();
      this.young.clear();
      this.at = horizon;
      return { changes: 0, read: 0, rebuilt: true };
    }
    const due = new Map<string, { table: ChangedTable; key: string }>();
    const firstSeen = new Map<string, number>();
    let changes = 0;
    for await (const page of this.log.since(this.at)) {
      for (const append of page) {
        const old = append.at < horizon;
        if (!old && !this.young.has(append.id)) firstSeen.set(append.id, append.at);
        else if (!old) continue;
        if (append.own) continue;
        changes += append.changes.length;
        for (const change of append.changes) due.set(`${change.table}/${change.key}`, change);
      }
    }
    // In key order: keys next to each other (a send's deliveries) can be read together.
    const read = await this.readAll(
      [...due.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c),
    );
    // Only once every record was read: a pass that failed is made again from the same position.
    for (const [id, at] of firstSeen) this.young.set(id, at);
    for (const [id, at] of this.young) if (at < horizon) this.young.delete(id);
    this.at = horizon;
    return { changes, read };
  }

  /** Reads each key's record and tells the feed; returns how many were read. */
  private async readAll(due: readonly { table: ChangedTable; key: string }[]): Promise<number> {
    await inParallel(due, READS_IN_FLIGHT, (change) => this.tell(change));
    return due.length;
  }

  private async tell({ table, key }: { table: ChangedTable; key: string }): Promise<void> {
    const { records, feed } = this;
    if (table === 'progress') {
      const progress = await records.progress.get(key);
      if (progress) feed.progressWritten(progress);
    } else if (table === 'members') {
      const member = await records.roster.get(key);
      if (member) feed.memberPut(member);
    } else if (table === 'assignments') {
      const assignment = await records.assignments.get(key);
      if (assignment) feed.assignmentWritten(assignment);
    } else {
      const delivery = await records.deliveries.get(key);
      if (delivery) feed.deliveryWritten(delivery);
    }
  }
}
