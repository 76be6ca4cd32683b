import { groupOnRoster, type RosterEntry } from '../groups/groupRoster.js';
import { GroupDirectoryUnavailable, type GroupDirectory } from '../groups/ports.js';
import type { RosterStore } from '../roster/ports.js';
import type { Audience } from './campaign.js';
import type { Invalid } from './campaignOutcomes.js';

/** An Entra object id, the only shape a group id from the form may have. */
const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A campaign to an Entra group, worked out against the active roster. */
export interface GroupAudience {
  readonly kind: 'group';
  readonly audience: Extract<Audience, { kind: 'group' }>;
  /** Roster keys of the group's transitive members on the active roster. */
  readonly members: ReadonlySet<string>;
  /** Names of the group's members not on the active roster, alphabetically. */
  readonly outside: readonly string[];
}

/** Where a group audience is worked out from: the directory (none when the roster is not from Graph), the roster. */
export interface GroupStores {
  readonly groups?: GroupDirectory | undefined;
  readonly roster: Pick<RosterStore, 'scan'>;
}

/** A group campaign's audience as it is now (to finish one a first attempt stopped part-way); else undefined. */
export async function groupAudienceOf(
  audience: Audience,
  stores: GroupStores,
): Promise<Invalid | GroupAudience | undefined> {
  return audience.kind === 'group' ? groupAudience(stores, audience.groupId, true) : undefined;
}

/**
 * The group as the directory knows it (so an id no search offered is taken only if the group exists) and its
 * transitive members on the active roster. Without a directory (the roster is not from Graph) a group is refused.
 */
export async function groupAudience(
  { groups: directory, roster }: GroupStores,
  groupId: unknown,
  leaveOutCompleted: boolean,
): Promise<Invalid | GroupAudience> {
  if (!directory) return { kind: 'invalid', field: 'audience' };
  if (typeof groupId !== 'string' || !GROUP_ID.test(groupId)) return { kind: 'invalid', field: 'group' };
  try {
    const group = await directory.group(groupId.toLowerCase());
    if (!group) return { kind: 'invalid', field: 'group' };
    const users = await directory.members(group.id);
    const active = await roster.scan((m): RosterEntry | undefined =>
      m.active ? { key: m.key, ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}) } : undefined,
    );
    const { keys, outside } = groupOnRoster(
      users,
      active.filter((m) => m !== undefined),
    );
    const audience = { kind: 'group', groupId: group.id, groupName: group.name, leaveOutCompleted } as const;
    return { kind: 'group', audience, members: keys, outside };
  } catch (error) {
    if (error instanceof GroupDirectoryUnavailable) return { kind: 'invalid', field: 'group-unavailable' };
    throw error;
  }
}
