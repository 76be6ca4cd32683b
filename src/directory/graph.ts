import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { RosterRow } from '../domain/roster/roster.js';

const SCOPE = 'https://graph.microsoft.com/.default';
const USER_FIELDS = 'id,displayName,mail,userPrincipalName,department,jobTitle,accountEnabled,userType';
/** Each user's manager, as a reference. Graph then pages by 100 whatever $top says; nextLink carries on. */
const MANAGER = 'manager($select=id,mail,userPrincipalName)';
const REQUEST_TIMEOUT_MS = 30_000;
/** Waits longer than this are cut short: a sync should not hang on one odd header. */
const MAX_WAIT_MS = 120_000;

/** A Microsoft Graph call that failed; `status` is 0 when no HTTP answer came (token, network). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Graph's error code, e.g. `Authorization_RequestDenied`. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphClientOptions {
  /** Graph's base URL ending in a slash, e.g. `https://graph.microsoft.com/v1.0/` (config.graphUrl). */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How many times one request is retried after 429 or 503 (default 5). */
  readonly maxRetries?: number;
  /** A 429 or 503 asking to wait longer than this (ms) fails at once: for requests someone waits on. */
  readonly maxWaitMs?: number;
}

interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  /** With $expand=manager: their manager, absent or null when they have none. */
  manager?: { id?: string | null } | null;
}

/** What a request is for, to name the permission a 403 is missing. */
export interface Purpose {
  readonly what: string;
  readonly permission: string;
}

const READ_USERS: Purpose = { what: 'reading the users', permission: 'User.Read.All' };
const INSTALL_APP: Purpose = {
  what: "installing the app in a user's personal scope",
  permission: 'TeamsAppInstallation.ReadWriteSelfForUser.All',
};

/** The few Microsoft Graph calls Postwise makes, with an app-only token from `credential`. */
export class GraphClient {
  private readonly baseUrl: string;
  private readonly credential: TokenCredential;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;

  constructor(options: GraphClientOptions) {
    this.baseUrl = options.baseUrl;
    this.credential = options.credential;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxRetries = options.maxRetries ?? 5;
    this.maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
  }

  /**
   * Every enabled member account (no guests), read page by page before anything is returned,
   * so a failure on any page leaves the caller with nothing half-read. No members at all is an
   * error too: applied, it would make the whole roster inactive.
   */
  async listUsers(): Promise<RosterRow[]> {
    const rows: RosterRow[] = [];
    let url: string | undefined = `${this.baseUrl}users?$select=${USER_FIELDS}&$expand=${MANAGER}&$top=999`;
    while (url !== undefined) {
      const response = await this.request('GET', url, READ_USERS);
      const page = (await response.json()) as { value?: GraphUser[]; '@odata.nextLink'?: string };
      for (const user of page.value ?? []) {
        const row = toRow(user);
        if (row) rows.push(row);
      }
      url = page['@odata.nextLink'];
      if (url !== undefined && new URL(url).origin !== new URL(this.baseUrl).origin) {
        throw new GraphError(
          0,
          `Microsoft Graph sent a next page on another host (${new URL(url).origin}); the token is not sent there.`,
        );
      }
    }
    if (rows.length === 0)
      throw new GraphError(
        0,
        'Microsoft Graph returned no enabled member accounts; check POSTWISE_GRAPH_URL and the tenant the ' +
          'credential signs in to.',
      );
    return rows;
  }

  /** Installs the Teams app (its id in the org's app catalog) in the user's personal scope. */
  async installApp(userAadObjectId: string, catalogAppId: string): Promise<'installed' | 'already-installed'> {
    const url = `${this.baseUrl}users/${encodeURIComponent(userAadObjectId)}/teamwork/installedApps`;
    const body = { 'teamsApp@odata.bind': `${this.baseUrl}appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}` };
    const response = await this.request('POST', url, INSTALL_APP, body, [409]);
    return response.status === 409 ? 'already-installed' : 'installed';
  }

  /**
   * GETs `path` (relative to the base URL, or a next page on Graph's host) as JSON; a status in `accept`
   * gives undefined.
   */
  async get(
    path: string,
    purpose: Purpose,
    options: { headers?: Record<string, string>; accept?: readonly number[] } = {},
  ): Promise<unknown> {
    const url = new URL(path, this.baseUrl);
    if (url.origin !== new URL(this.baseUrl).origin) {
      throw new GraphError(
        0,
        `Microsoft Graph sent a next page on another host (${url.origin}); the token is not sent there.`,
      );
    }
    const response = await this.request('GET', url.href, purpose, undefined, options.accept, options.headers);
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return response.json();
  }

  /** Sends the request, waiting out 429 and 503; any other failure becomes a GraphError. */
  private async request(
    method: 'GET' | 'POST',
    url: string,
    purpose: Purpose,
    body?: unknown,
    accept: readonly number[] = [],
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const token = await this.token();
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...headers,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw new GraphError(
          0,
          `Could not reach Microsoft Graph at ${new URL(url).origin} (${(error as Error).message}). Check ` +
            'the network and POSTWISE_GRAPH_URL.',
        );
      }
      if (response.ok || accept.includes(response.status)) return response;
      const wait = retryAfterMs(response.headers.get('retry-after'), attempt);
      if ((response.status === 429 || response.status === 503) && attempt < this.maxRetries && wait <= this.maxWaitMs) {
        await response.body?.cancel();
        await this.sleep(wait);
        continue;
      }
      throw await failure(response, purpose, attempt);
    }
  }

  private async token(): Promise<string> {
    let token: string | undefined;
    let why = 'no token came back';
    try {
      token = (await this.credential.getToken(SCOPE))?.token;
    } catch (error) {
      why = (error as Error).message.split('\n')[0] ?? why;
    }
    if (token) return token;
    throw new GraphError(
      0,
      `Could not get a Microsoft Graph token (${why}). Give Postwise an identity: a managed identity in Azure, ` +
        'or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or sign in with `az login`.',
    );
  }
}

/** What gives Postwise its app-only Graph tokens. */
export type GraphCredential = TokenCredential;

/**
 * The credential chain for Graph: managed identity in Azure, a client secret or the Azure CLI locally. An
 * authority named in AZURE_AUTHORITY_HOST is taken as it is, not looked up in Microsoft's public cloud first.
 */
export function graphCredential(): TokenCredential {
  return new DefaultAzureCredential({ disableInstanceDiscovery: process.env.AZURE_AUTHORITY_HOST !== undefined });
}

function toRow(user: GraphUser): RosterRow | undefined {
  if (user.userType !== 'Member' || user.accountEnabled !== true) return undefined;
  const email = (user.mail ?? user.userPrincipalName ?? '').trim().toLowerCase();
  if (email === '') return undefined;
  const manager = user.manager?.id?.trim().toLowerCase();
  return {
    name: user.displayName?.trim() || email,
    email,
    department: user.department?.trim() ?? '',
    role: user.jobTitle?.trim() ?? '',
    aadObjectId: user.id.toLowerCase(),
    ...(manager ? { manager } : {}),
  };
}

/** Retry-After in seconds or as an HTTP date; without one, 1, 2, 4 … seconds. */
function retryAfterMs(header: string | null, attempt: number): number {
  const fallback = 1000 * 2 ** attempt;
  if (header === null) return fallback;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? fallback : Math.min(Math.max(ms, 0), MAX_WAIT_MS);
}

async function failure(response: Response, purpose: Purpose, retries: number): Promise<GraphError> {
  let code: string | undefined;
  let detail = '';
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code;
    detail = body.error?.message ?? '';
  } catch {
    // Not Graph's JSON error body (a proxy's page, say): the status says enough.
  }
  const status = response.status;
  const said = `${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`;
  let advice: string;
  if (status === 401) {
    advice =
      'The token was refused: check the credential (managed identity, or AZURE_TENANT_ID, AZURE_CLIENT_ID, ' +
      'AZURE_CLIENT_SECRET) and that it belongs to this tenant.';
  } else if (status === 403) {
    advice =
      `The app registration needs the ${purpose.permission} application permission in Entra ID, with ` +
      'admin consent.';
  } else if (status === 429) {
    advice = `Graph kept throttling after ${retries} retries; try again later.`;
  } else if (status >= 500) {
    advice = 'Microsoft Graph is unavailable; try again later.';
  } else {
    advice = 'Check POSTWISE_GRAPH_URL and the ids used.';
  }
  return new GraphError(status, `Microsoft Graph answered ${said}, ${purpose.what}. ${advice}`, code);
}
