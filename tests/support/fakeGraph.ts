import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, reply } from './httpJson.js';

/** A user as Graph's `GET /users?$select=…` returns it. */
export interface FakeGraphUser {
  readonly id: string;
  readonly displayName: string | null;
  readonly mail: string | null;
  readonly userPrincipalName: string;
  readonly department: string | null;
  readonly jobTitle: string | null;
  readonly accountEnabled: boolean;
  readonly userType: 'Member' | 'Guest';
  /** The id of their manager among `users`, given with `$expand=manager(…)`. */
  readonly managerId?: string;
}

/** An Entra group: its members are user ids and ids of nested groups. */
export interface FakeGraphGroup {
  readonly id: string;
  readonly displayName: string;
  readonly members: readonly string[];
}

/** One request the client made. */
export interface GraphRequest {
  readonly method: string;
  /** The path and query, as sent. */
  readonly url: string;
  readonly authorization: string | undefined;
  readonly consistencyLevel: string | undefined;
  readonly body: unknown;
}

/** A planned answer for one request, by its number (0 = the first request the server sees). */
export type PlannedAnswer =
  { readonly throttle: number } | { readonly status: number; readonly code: string; readonly message: string };

/**
 * Microsoft Graph on loopback, answering as the real one does: `GET /v1.0/users` in pages with an
 * absolute `@odata.nextLink`, 401 without the expected bearer token, planned 429s with Retry-After
 * and planned error pages with Graph's `{ error: { code, message } }` body, and
 * `POST /v1.0/users/{id}/teamwork/installedApps` answering 201, or 409 once installed. Groups:
 * `GET /v1.0/groups?$search="displayName:…"` (400 without `ConsistencyLevel: eventual`; a word of the name
 * must start with the term), `GET /v1.0/groups/{id}` (404 for an unknown id) and
 * `GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user`, nested groups flattened, in pages.
 */
export class FakeGraph {
  readonly users: FakeGraphUser[] = [];
  readonly groups: FakeGraphGroup[] = [];
  readonly requests: GraphRequest[] = [];
  /** What to answer instead of the normal reply, by request number. */
  readonly planned = new Map<number, PlannedAnswer>();
  /** Apps installed per user: `${userId}/${catalogAppId}`. */
  readonly installed = new Set<string>();
  pageSize = 999;
  token = 'fake';

  private constructor(
    private readonly server: Server,
    /** The base URL clients use, ending in `/v1.0/`. */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGraph> {
    let graph: FakeGraph | undefined;
    const server = createServer((req, res) => {
      void graph?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    graph = new FakeGraph(server, `http://127.0.0.1:${port}/v1.0/`);
    return graph;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const number = this.requests.length;
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      consistencyLevel: req.headers.consistencylevel as string | undefined,
      body: text ? JSON.parse(text) : undefined,
    });
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return error(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    const plan = this.planned.get(number);
    if (plan && 'throttle' in plan) {
      res.setHeader('Retry-After', String(plan.throttle));
      return error(res, 429, 'TooManyRequests', 'Too many requests.');
    }
    if (plan) return error(res, plan.status, plan.code, plan.message);

    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/v1.0/users') return this.listUsers(url, res);
    if (req.method === 'GET' && url.pathname.startsWith('/v1.0/groups')) return this.groupRequest(req, url, res);
    const install = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps$/.exec(url.pathname);
    if (req.method === 'POST' && install) return this.install(decodeURIComponent(install[1] as string), text, res);
    return error(res, 404, 'Request_ResourceNotFound', `Resource not found for the segment '${url.pathname}'.`);
  }

  private listUsers(url: URL, res: ServerResponse): void {
    const select = url.searchParams.get('$select')?.split(',') ?? [];
    const expand = url.searchParams.get('$expand');
    // With $expand, Graph pages directory objects by at most 100 whatever $top asks for.
    const top = Math.min(Number(url.searchParams.get('$top') ?? 100), this.pageSize, expand ? 100 : Infinity);
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const page = this.users.slice(skip, skip + top).map((user) => ({
      ...Object.fromEntries(select.map((f) => [f, user[f as keyof FakeGraphUser] ?? null])),
      ...(expand?.startsWith('manager') ? this.managerOf(user, expand) : {}),
    }));
    const expanded = expand ? `&$expand=${expand}` : '';
    const next =
      skip + top < this.users.length
        ? `${this.url}users?$select=${select.join(',')}${expanded}&$top=${top}&$skiptoken=${skip + top}`
        : undefined;
    reply(res, 200, {
      '@odata.context': `${this.url}$metadata#users(${select.join(',')})`,
      value: page,
      ...(next ? { '@odata.nextLink': next } : {}),
    });
  }

  /** The `manager` property as `$expand=manager($select=…)` gives it; none for someone without a manager. */
  private managerOf(user: FakeGraphUser, expand: string): Record<string, unknown> {
    const manager = this.users.find((u) => u.id === user.managerId);
    if (!manager) return {};
    const fields = /\$select=([^)]*)/.exec(expand)?.[1]?.split(',') ?? ['id'];
    const picked = Object.fromEntries(fields.map((f) => [f, manager[f as keyof FakeGraphUser] ?? null]));
    return { manager: { '@odata.type': '#microsoft.graph.user', ...picked } };
  }

  private groupRequest(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const path = url.pathname.split('/').slice(3).map(decodeURIComponent);
    if (path.length === 0) {
      if (req.headers.consistencylevel !== 'eventual') {
        const text =
          'Request with $search query parameter only works through MSGraph with a special request header: ' +
          "'ConsistencyLevel: eventual'";
        return error(res, 400, 'Request_UnsupportedQuery', text);
      }
      const term = /^"displayName:(.*)"$/.exec(url.searchParams.get('$search') ?? '')?.[1]?.toLowerCase() ?? '';
      const top = Number(url.searchParams.get('$top') ?? 100);
      const found = this.groups.filter((g) =>
        g.displayName
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .some((w) => w.startsWith(term)),
      );
      return reply(res, 200, { value: found.slice(0, top).map((g) => ({ id: g.id, displayName: g.displayName })) });
    }
    const group = this.groups.find((g) => g.id === path[0]);
    if (!group) return error(res, 404, 'Request_ResourceNotFound', `Resource '${path[0]}' does not exist.`);
    if (path.length === 1) return reply(res, 200, { id: group.id, displayName: group.displayName });
    if (path[1] !== 'transitiveMembers' || path[2] !== 'microsoft.graph.user') {
      return error(res, 400, 'Request_UnsupportedQuery', 'Unsupported query.');
    }
    const select = url.searchParams.get('$select')?.split(',') ?? [];
    const top = Math.min(Number(url.searchParams.get('$top') ?? 100), this.pageSize);
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const users = this.transitiveUsers(group);
    const page = users
      .slice(skip, skip + top)
      .map((user) => Object.fromEntries(select.map((f) => [f, user[f as keyof FakeGraphUser] ?? null])));
    const next = new URL(url.href);
    next.searchParams.set('$skiptoken', String(skip + top));
    reply(res, 200, { value: page, ...(skip + top < users.length ? { '@odata.nextLink': next.href } : {}) });
  }

  /** Every user in the group and the groups nested in it, each once, as Graph's transitiveMembers lists them. */
  private transitiveUsers(group: FakeGraphGroup, seen = new Set<string>()): FakeGraphUser[] {
    const users: FakeGraphUser[] = [];
    for (const id of group.members) {
      if (seen.has(id)) continue;
      seen.add(id);
      const nested = this.groups.find((g) => g.id === id);
      if (nested) users.push(...this.transitiveUsers(nested, seen));
      const user = this.users.find((u) => u.id === id);
      if (user) users.push(user);
    }
    return users;
  }

  private install(userId: string, text: string, res: ServerResponse): void {
    const bind = (JSON.parse(text || '{}') as Record<string, unknown>)['teamsApp@odata.bind'];
    const prefix = `${this.url}appCatalogs/teamsApps/`;
    const app = typeof bind === 'string' && bind.startsWith(prefix) ? bind.slice(prefix.length) : '';
    if (!app) return error(res, 400, 'BadRequest', 'Bind requests not expected for action payload.');
    const key = `${userId}/${app}`;
    if (this.installed.has(key)) return error(res, 409, 'Conflict', 'App is already installed.');
    this.installed.add(key);
    res.writeHead(201).end();
  }
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  reply(res, status, {
    error: {
      code,
      message,
      innerError: { date: '2026-11-02T09:00:00', 'request-id': '00000000-0000-0000-0000-000000000000' },
    },
  });
}
