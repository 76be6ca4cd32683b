import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reply } from './httpJson.js';

/** The issuer of the Bot Framework's tokens to bots. */
const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The Bot Framework's OpenID configuration and signing keys on loopback, with an RSA key pair
 * the test holds, so tokens it signs pass real signature checks:
 * GET /v1/.well-known/openidconfiguration -> { issuer, jwks_uri }, GET /keys -> { keys: [JWK] }.
 * Either answer can be made to fail with an HTTP status.
 */
export class FakeOpenId {
  /** The key id the published key has. */
  readonly kid = 'postwise-test-key';
  /** A key pair that is not published, for forged signatures. */
  readonly stranger: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  /** Status to answer the configuration document with instead of 200. */
  metadataStatus = 200;
  /** Status to answer the key set with instead of 200. */
  keysStatus = 200;
  /** Requests received, by path. */
  readonly hits: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly privateKey: KeyObject,
    /** The published key as PEM, as a key-confusion attacker would use it as an HMAC secret. */
    readonly publicPem: string,
  ) {}

  static async start(): Promise<FakeOpenId> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let fake: FakeOpenId | undefined;
    const server = createServer((req, res) => {
      if (!fake) return;
      fake.hits.push(req.url ?? '');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        if (fake.metadataStatus !== 200)
          return reply(res, fake.metadataStatus, { error: 'metadata unavailable: internal detail' });
        return reply(res, 200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          jwks_uri: `${fake.url}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (req.url === '/keys') {
        if (fake.keysStatus !== 200) return reply(res, fake.keysStatus, { error: 'keys unavailable: internal detail' });
        const jwk = publicKey.export({ format: 'jwk' });
        return reply(res, 200, { keys: [{ ...jwk, kid: fake.kid, use: 'sig', endorsements: ['msteams'] }] });
      }
      reply(res, 404, { error: 'not found' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeOpenId(
      server,
      `http://127.0.0.1:${port}`,
      privateKey,
      publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    );
    return fake;
  }

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /** A JWT with these claims, RS256-signed by the published key unless told otherwise. */
  sign(claims: Record<string, unknown>, options: { kid?: string; alg?: string; key?: KeyObject } = {}): string {
    const alg = options.alg ?? 'RS256';
    const input = `${b64({ alg, kid: options.kid ?? this.kid, typ: 'JWT' })}.${b64(claims)}`;
    if (alg === 'none') return `${input}.`;
    if (alg === 'HS256') return `${input}.${createHmac('sha256', this.publicPem).update(input).digest('base64url')}`;
    return `${input}.${sign('sha256', Buffer.from(input), options.key ?? this.privateKey).toString('base64url')}`;
  }

  /** The claims of a token the Bot Framework sends to the bot `appId` for an activity from `serviceUrl`. */
  static claims(appId: string, serviceUrl: string): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, iss: BOT_FRAMEWORK_ISSUER, aud: appId };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
