import { GroupDirectoryUnavailable, type Group, type GroupDirectory, type GroupUser } from '../domain/groups/ports.js';
import type { Log } from '../log.js';
import { GraphClient, type GraphCredential, type Purpose } from './graph.js';

const READ_GROUPS: Purpose = { what: 'reading groups and their members', permission: 'Group.Read.All' };
/** `$search` and the cast to users on transitiveMembers are advanced queries: Graph wants this header. */
const EVENTUAL = { ConsistencyLevel: 'eventual' };
const MATCHES = 15;
const LONGEST_TERM = 100;
/** HR waits on these calls in a Teams turn (15 s): a longer Retry-After gives HR the sentence at once. */
const TURN_RETRIES = 2;
const TURN_WAIT_MS = 4_000;

interface GraphPage<T> {
  readonly value?: readonly T[];
  readonly '@odata.nextLink'?: string;
}

interface GraphGroup {
  readonly id: string;
  readonly displayName?: string | null;
}

interface GraphMember extends GraphGroup {
  readonly mail?: string | null;
  readonly userPrincipalName?: string | null;
}

/**
 * Entra groups through Microsoft Graph (`Group.Read.All`). A failure is logged by its class and status
 * only, and reaches the domain as GroupDirectoryUnavailable, so HR reads a sentence, never Graph's text.
 */
export class GraphGroups implements GroupDirectory {
  constructor(
    private readonly graph: GraphClient,
    private readonly log: Log,
  ) {}

  async search(term: string): Promise<Group[]> {
    // Double quotes and backslashes would end or escape the quoted search clause.
    const words = term.replace(/["\\]/g, ' ').trim().slice(0, LONGEST_TERM);
    if (words === '') return [];
    const search = encodeURIComponent(`"displayName:${words}"`);
    const page = (await this.call(`groups?$search=${search}&$select=id,displayName&$top=${MATCHES}`)) as
      GraphPage<GraphGroup> | undefined;
    return (page?.value ?? []).slice(0, MATCHES).map(toGroup);
  }

  async group(id: string): Promise<Group | undefined> {
    const found = (await this.call(`groups/${encodeURIComponent(id)}?$select=id,displayName`, [404])) as
      GraphGroup | undefined;
    return found ? toGroup(found) : undefined;
  }

  async members(id: string): Promise<GroupUser[]> {
    const seen = new Map<string, GroupUser>();
    let next: string | undefined =
      `groups/${encodeURIComponent(id)}/transitiveMembers/microsoft.graph.user` +
      '?$select=id,displayName,mail,userPrincipalName&$top=999&$count=true';
    while (next !== undefined) {
      const page = (await this.call(next)) as GraphPage<GraphMember> | undefined;
      for (const m of page?.value ?? []) seen.set(m.id.toLowerCase(), toUser(m));
      next = page?.['@odata.nextLink'];
    }
    return [...seen.values()];
  }

  private async call(path: string, accept: readonly number[] = []): Promise<unknown> {
    try {
      return await this.graph.get(path, READ_GROUPS, { headers: EVENTUAL, accept });
    } catch (error) {
      this.log.error('groups.graph-failed', error);
      throw new GroupDirectoryUnavailable();
    }
  }
}

function toGroup(group: GraphGroup): Group {
  return { id: group.id.toLowerCase(), name: group.displayName?.trim() || group.id };
}

function toUser(user: GraphMember): GroupUser {
  const mail = user.mail?.trim();
  const upn = user.userPrincipalName?.trim();
  return {
    id: user.id,
    name: user.displayName?.trim() || mail || upn || user.id,
    ...(mail ? { mail } : {}),
    ...(upn ? { userPrincipalName: upn } : {}),
  };
}

/** Groups from the Graph at `baseUrl`, with retries short enough for a Teams turn. */
export function graphGroups(baseUrl: string, credential: GraphCredential, log: Log): GraphGroups {
  return new GraphGroups(
    new GraphClient({ baseUrl, credential, maxRetries: TURN_RETRIES, maxWaitMs: TURN_WAIT_MS }),
    log,
  );
}
