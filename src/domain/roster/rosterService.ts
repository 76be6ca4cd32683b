import type { Clock } from '../time/clock.js';
import type { RosterDirectory, RosterStore } from './ports.js';
import { memberKey, type Member, type RosterRow, type RosterSource } from './roster.js';

/** A field of a member that a roster row sets. */
export type RosterField =
  'name' | 'email' | 'department' | 'role' | 'aadObjectId' | 'employeeNumber' | 'manager' | 'source';

/** What loading a roster changes (or changed), by member key. */
export interface RosterPlan {
  readonly source: RosterSource;
  readonly added: readonly string[];
  /** Active members whose fields change. */
  readonly updated: readonly { readonly key: string; readonly fields: readonly RosterField[] }[];
  /** Inactive members who are on the new roster again (their fields may change too). */
  readonly reactivated: readonly string[];
  /** Active members of the same source who are not on the new roster; they stay, inactive. */
  readonly deactivated: readonly string[];
  readonly unchanged: number;
  /** Rows left out because an earlier row has the same e-mail address. */
  readonly duplicates: number;
}

/** How many members a roster load adds, changes, brings back, makes inactive and leaves as they are. */
export interface RosterChange {
  readonly added: number;
  readonly updated: number;
  readonly reactivated: number;
  readonly deactivated: number;
  readonly unchanged: number;
}

/** A plan's changes as counts. */
export function changeCounts(plan: RosterPlan): RosterChange {
  return {
    added: plan.added.length,
    updated: plan.updated.length,
    reactivated: plan.reactivated.length,
    deactivated: plan.deactivated.length,
    unchanged: plan.unchanged,
  };
}

export interface RosterSummary {
  readonly active: number;
  readonly inactive: number;
  /** Active members per department, by name ('' for no department). */
  readonly departments: readonly { readonly name: string; readonly active: number }[];
  /** Active members per source. */
  readonly sources: Readonly<Record<RosterSource, number>>;
  /** When a member last changed; undefined for an empty roster. */
  readonly lastChange: string | undefined;
}

export interface LoadOptions {
  /** E-mail addresses of people whose rows were left out for problems: they are not made inactive. */
  readonly keep?: readonly string[];
}

/** Writes run this many at a time: enough for the store to commit them together. */
const BATCH = 2000;

const FIELDS: readonly RosterField[] = [
  'name',
  'email',
  'department',
  'role',
  'aadObjectId',
  'employeeNumber',
  'manager',
  'source',
];

/** How long a count of members without an Entra object id is used. */
const RECOUNT_MS = 60_000;

/** Loads the roster from a source's rows, and matches Teams users to roster members. */
export class RosterService {
  private unlinkedCount: { readonly count: number; readonly at: number } | undefined;

  constructor(
    private readonly roster: RosterStore,
    private readonly clock: Clock,
  ) {}

  /** What `apply` would do with these rows; writes nothing. */
  async plan(rows: readonly RosterRow[], source: RosterSource, options: LoadOptions = {}): Promise<RosterPlan> {
    return (await this.changes(rows, source, options)).plan;
  }

  /**
   * Adds and updates the rows' members and makes active members of the same source that are
   * not in `rows` (nor in `keep`) inactive, never deleted. An Entra object id already learnt
   * stays when the row has none. Applying the same rows again changes nothing.
   */
  async apply(rows: readonly RosterRow[], source: RosterSource, options: LoadOptions = {}): Promise<RosterPlan> {
    const { plan, writes } = await this.changes(rows, source, options);
    for (let i = 0; i < writes.length; i += BATCH) {
      await Promise.all(writes.slice(i, i + BATCH).map((member) => this.roster.put(member)));
    }
    this.unlinkedCount = undefined;
    return plan;
  }

  /** Loads the whole roster from a directory (Microsoft Graph): its members, and nobody else of that source. */
  async sync(directory: RosterDirectory): Promise<RosterChange> {
    return changeCounts(await this.apply(await directory.listUsers(), 'graph'));
  }

  /**
   * The member with this Entra object id, else the one with one of these e-mail addresses
   * (Teams' e-mail and UPN), who then gets the id stored. A member who already has a
   * different id is not matched by address.
   */
  async link(aadObjectId: string, addresses: readonly string[]): Promise<Member | undefined> {
    const id = aadObjectId.trim().toLowerCase();
    const known = await this.roster.byAadObjectId(id);
    if (known) return known;
    for (const address of addresses) {
      const member = await this.roster.get(memberKey(address));
      if (!member || (member.aadObjectId !== undefined && member.aadObjectId !== id)) continue;
      const linked: Member = { ...member, aadObjectId: id, updatedAt: this.clock.now().toISOString() };
      await this.roster.put(linked);
      this.unlinkedCount = undefined;
      return linked;
    }
    return undefined;
  }

  /**
   * How many active members have no Entra object id yet: only they can be matched by e-mail.
   * Counted at most once a minute, and again after this service changed the roster.
   */
  async unlinked(): Promise<number> {
    const now = this.clock.now().getTime();
    if (!this.unlinkedCount || now - this.unlinkedCount.at >= RECOUNT_MS) {
      const count = (await this.roster.scan((m) => m.active && m.aadObjectId === undefined)).filter(Boolean).length;
      this.unlinkedCount = { count, at: now };
    }
    return this.unlinkedCount.count;
  }

  byAadObjectId(aadObjectId: string): Promise<Member | undefined> {
    return this.roster.byAadObjectId(aadObjectId.trim().toLowerCase());
  }

  async summary(): Promise<RosterSummary> {
    const departments = new Map<string, number>();
    const sources: Record<RosterSource, number> = { csv: 0, graph: 0 };
    let active = 0;
    let inactive = 0;
    let lastChange: string | undefined;
    await this.roster.scan((m) => {
      if (lastChange === undefined || m.updatedAt > lastChange) lastChange = m.updatedAt;
      if (!m.active) {
        inactive++;
        return 0;
      }
      active++;
      sources[m.source]++;
      departments.set(m.department, (departments.get(m.department) ?? 0) + 1);
      return 0;
    });
    return {
      active,
      inactive,
      departments: [...departments]
        .map(([name, n]) => ({ name, active: n }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      sources,
      lastChange,
    };
  }

  private async changes(
    rows: readonly RosterRow[],
    source: RosterSource,
    options: LoadOptions,
  ): Promise<{ plan: RosterPlan; writes: Member[] }> {
    const current = new Map(await this.roster.scan((m) => [m.key, { ...m }] as const));
    const at = this.clock.now().toISOString();
    const kept = new Set((options.keep ?? []).map(memberKey));
    const seen = new Set<string>();
    const added: string[] = [];
    const updated: { key: string; fields: RosterField[] }[] = [];
    const reactivated: string[] = [];
    const deactivated: string[] = [];
    const writes: Member[] = [];
    let unchanged = 0;
    let duplicates = 0;
    for (const row of rows) {
      const key = memberKey(row.email);
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      const before = current.get(key);
      const aadObjectId = row.aadObjectId?.toLowerCase() ?? before?.aadObjectId;
      const member: Member = {
        key,
        name: row.name,
        email: key,
        department: row.department,
        role: row.role,
        ...(aadObjectId ? { aadObjectId } : {}),
        ...(row.employeeNumber ? { employeeNumber: row.employeeNumber } : {}),
        ...(row.manager ? { manager: row.manager.toLowerCase() } : {}),
        active: true,
        source,
        updatedAt: at,
        ...activeSince(before, at),
      };
      if (!before) {
        added.push(key);
      } else {
        const fields = FIELDS.filter((f) => before[f] !== member[f]);
        if (!before.active) reactivated.push(key);
        else if (fields.length > 0) updated.push({ key, fields });
        else {
          unchanged++;
          continue;
        }
      }
      writes.push(member);
    }
    for (const member of current.values()) {
      if (member.active && member.source === source && !seen.has(member.key) && !kept.has(member.key)) {
        deactivated.push(member.key);
        writes.push({ ...member, active: false, updatedAt: at });
      }
    }
    return { plan: { source, added, updated, reactivated, deactivated, unchanged, duplicates }, writes };
  }
}

/** When a member written now became active: now when new or returning, else as before. */
function activeSince(before: Member | undefined, at: string): { activeSince?: string } {
  if (!before?.active) return { activeSince: at };
  return before.activeSince === undefined ? {} : { activeSince: before.activeSince };
}
