import type { GroupUser } from './ports.js';

/** An active roster member as a group is matched against them. */
export interface RosterEntry {
  readonly key: string;
  readonly aadObjectId?: string;
}

/** A group's users split into roster members (by key) and the names of those not on the active roster. */
export interface GroupOnRoster {
  readonly keys: ReadonlySet<string>;
  /** Names of group members not on the active roster, in alphabetical order. */
  readonly outside: readonly string[];
}

/**
 * Matches a group's users to the active roster: by Entra object id, else by e-mail address or UPN
 * (the roster's key is the lower-case e-mail address) for members whose object id the roster does not know.
 */
export function groupOnRoster(users: readonly GroupUser[], roster: readonly RosterEntry[]): GroupOnRoster {
  const byId = new Map<string, string>();
  const withoutId = new Set<string>();
  for (const m of roster) {
    if (m.aadObjectId) byId.set(m.aadObjectId.toLowerCase(), m.key);
    else withoutId.add(m.key);
  }
  const found = new Set<string>();
  const outside: string[] = [];
  for (const user of users) {
    const key =
      byId.get(user.id.toLowerCase()) ??
      [user.mail, user.userPrincipalName].map((a) => a?.trim().toLowerCase()).find((a) => a && withoutId.has(a));
    if (key) found.add(key);
    else outside.push(user.name);
  }
  return { keys: found, outside: outside.sort((a, b) => a.localeCompare(b)) };
}
