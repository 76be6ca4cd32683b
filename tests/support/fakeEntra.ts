import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBody, reply } from './httpJson.js';

/** What the test makes of a device code sign-in: approved, or refused with Entra's error code. */
export type SignInOutcome = 'approved' | 'access_denied' | 'authorization_declined' | 'expired_token';

/** A device code Entra handed out, and what became of it. */
interface DeviceCode {
  readonly deviceCode: string;
  readonly scope: string;
  outcome?: SignInOutcome;
}

/** Entra's descriptions of the device flow's errors (error_description, error_codes). */
const DEVICE_ERRORS: Record<Exclude<SignInOutcome, 'approved'> | 'authorization_pending', [string, number]> = {
  authorization_pending: [
    'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    70016,
  ],
  authorization_declined: ['AADSTS70000: The user declined the sign-in.', 70000],
  access_denied: ['AADSTS70000: The request was denied because the user declined to authorize the app.', 70000],
  expired_token: [
    "AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    70020,
  ],
};

/** The device code grant: its RFC 8628 name, and the short name MSAL sends. */
const DEVICE_GRANTS = ['urn:ietf:params:oauth:grant-type:device_code', 'device_code'];

/** A token request the endpoint answered. */
export interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string | null;
  readonly scope: string | null;
  readonly status: number;
}

/**
 * Entra ID's token endpoint on loopback, over https with a certificate made for the test (MSAL takes
 * only https authorities; a child process trusts it with NODE_EXTRA_CA_CERTS=`caFile`). Answers
 * `GET /{tenant}/v2.0/.well-known/openid-configuration` and the client-credentials `POST
 * /{tenant}/oauth2/v2.0/token` as Entra does: a bearer token for the one app and secret it knows,
 * else 401 `invalid_client` (400 `unsupported_grant_type`, `invalid_scope`, 400 for another tenant). And the device
 * code flow of a public client: `POST /{tenant}/oauth2/v2.0/devicecode` hands out a device code and a user code, and
 * the token endpoint answers its device_code grant 400 `authorization_pending` until the test calls `signIn` with the
 * user code, then `delegatedToken` (or the refusal the test chose).
 */
export class FakeEntra {
  readonly requests: TokenRequest[] = [];
  /** The access token it gives (what a fake Graph expects). */
  readonly token = `fake-entra-${randomUUID()}`;
  /** The token a device code sign-in gives the admin (what a fake Graph expects of delegated calls). */
  readonly delegatedToken = `fake-entra-delegated-${randomUUID()}`;
  /** Seconds between polls it asks of a device (Entra says 5). */
  interval = 1;
  /** Device code sign-ins, by user code. */
  private readonly signIns = new Map<string, DeviceCode>();

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    /** For AZURE_AUTHORITY_HOST. */
    readonly authorityHost: string,
    /** The certificate to trust: NODE_EXTRA_CA_CERTS. */
    readonly caFile: string,
    readonly tenantId: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  static async start(): Promise<FakeEntra> {
    const dir = await mkdtemp(path.join(tmpdir(), 'postwise-entra-'));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert],
      ],
      { stdio: 'ignore' },
    );
    let entra: FakeEntra | undefined;
    const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      void entra?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    entra = new FakeEntra(server, dir, `https://127.0.0.1:${port}`, cert, randomUUID(), randomUUID(), randomUUID());
    return entra;
  }

  /** The settings that point DefaultAzureCredential (its environment credential) here. */
  env(): Record<string, string> {
    return {
      AZURE_TENANT_ID: this.tenantId,
      AZURE_CLIENT_ID: this.clientId,
      AZURE_CLIENT_SECRET: this.clientSecret,
      AZURE_AUTHORITY_HOST: this.authorityHost,
      NODE_EXTRA_CA_CERTS: this.caFile,
    };
  }

  /** The user codes handed out, oldest first. */
  userCodes(): string[] {
    return [...this.signIns.keys()];
  }

  /** The admin at the verification page with `userCode`: signs in, or refuses (or the code lapses). */
  signIn(userCode: string, outcome: SignInOutcome = 'approved'): void {
    const signIn = this.signIns.get(userCode);
    if (!signIn) throw new Error(`no device code has the user code ${userCode}`);
    signIn.outcome = outcome;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await rm(this.dir, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = new URLSearchParams(await readBody(req));
    const url = new URL(req.url ?? '/', this.authorityHost);
    const [, tenant = '', ...rest] = url.pathname.split('/');
    const route = rest.join('/');
    const error = (status: number, code: string, description: string) =>
      reply(res, status, { error: code, error_description: description, error_codes: [], timestamp: new Date() });
    if (tenant !== this.tenantId) return error(400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`);
    const base = `${this.authorityHost}/${tenant}`;
    if (req.method === 'GET' && route === 'v2.0/.well-known/openid-configuration') {
      return reply(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        issuer: `${base}/v2.0`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      });
    }
    if (req.method === 'POST' && route === 'oauth2/v2.0/devicecode') {
      if (body.get('client_id') !== this.clientId)
        return error(400, 'unauthorized_client', `AADSTS700016: Application '${body.get('client_id')}' not found.`);
      const userCode = randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase();
      const deviceCode = `device-${randomUUID()}`;
      this.signIns.set(userCode, { deviceCode, scope: body.get('scope') ?? '' });
      const verificationUri = `${this.authorityHost}/devicelogin`;
      return reply(res, 200, {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: 900,
        interval: this.interval,
        message:
          `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to ` +
          'authenticate.',
      });
    }
    if (req.method !== 'POST' || route !== 'oauth2/v2.0/token') return error(404, 'not_found', 'Not found.');
    const answer = (status: number, send: () => void) => {
      this.requests.push({ tenant, clientId: body.get('client_id'), scope: body.get('scope'), status });
      send();
    };
    // The grant as the docs name it, or as MSAL sends it: Entra takes either.
    if (DEVICE_GRANTS.includes(body.get('grant_type') ?? '')) {
      const signIn = [...this.signIns.values()].find((s) => s.deviceCode === body.get('device_code'));
      if (!signIn || body.get('client_id') !== this.clientId)
        return answer(400, () => error(400, 'invalid_grant', 'AADSTS70000: The provided device code is not valid.'));
      if (signIn.outcome !== 'approved') {
        const [description, code] = DEVICE_ERRORS[signIn.outcome ?? 'authorization_pending'];
        return answer(400, () =>
          reply(res, 400, {
            error: signIn.outcome ?? 'authorization_pending',
            error_description: description,
            error_codes: [code],
            timestamp: new Date()
              .toISOString()
              .replace('T', ' ')
              .replace(/\.\d+Z$/, 'Z'),
            trace_id: randomUUID(),
            correlation_id: body.get('client-request-id') ?? randomUUID(),
            error_uri: `${this.authorityHost}/error?code=${code}`,
          }),
        );
      }
      return answer(200, () =>
        reply(res, 200, {
          token_type: 'Bearer',
          scope: signIn.scope,
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: this.delegatedToken,
          id_token: this.idToken(tenant),
        }),
      );
    }
    if (body.get('grant_type') !== 'client_credentials')
      return answer(400, () => error(400, 'unsupported_grant_type', 'AADSTS70003: unsupported grant type.'));
    if (body.get('client_id') !== this.clientId || body.get('client_secret') !== this.clientSecret)
      return answer(401, () => error(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.'));
    if (!(body.get('scope') ?? '').split(' ').every((s) => s.endsWith('/.default')))
      return answer(400, () =>
        error(400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid.'),
      );
    answer(200, () =>
      reply(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.token }),
    );
  }

  /** An unsigned id token for the admin, as the clients read it (they check no signature). */
  private idToken(tenant: string): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: this.clientId,
      iss: `${this.authorityHost}/${tenant}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: 'Knowledge Admin',
      oid: ADMIN_ID,
      preferred_username: 'admin@contoso.example',
      sub: ADMIN_ID,
      tid: tenant,
      ver: '2.0',
    };
    return `${part({ typ: 'JWT', alg: 'none' })}.${part(claims)}.`;
  }
}

/** The admin a device code sign-in signs in. */
const ADMIN_ID = '5d0b7a1c-3e2f-4b6a-8c9d-1e2f3a4b5c6d';
