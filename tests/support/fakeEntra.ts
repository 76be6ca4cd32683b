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
 * else 401 `invalid_client` (400 `unsupported_grant_type`, `invalid_scope`, 400 for another tenant).
 */
export class FakeEntra {
  readonly requests: TokenRequest[] = [];
  /** The access token it gives (what a fake Graph expects). */
  readonly token = `fake-entra-${randomUUID()}`;

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
    if (req.method !== 'POST' || route !== 'oauth2/v2.0/token') return error(404, 'not_found', 'Not found.');
    const answer = (status: number, send: () => void) => {
      this.requests.push({ tenant, clientId: body.get('client_id'), scope: body.get('scope'), status });
      send();
    };
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
}
