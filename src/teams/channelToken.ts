import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Why a token was refused: a short code for the log (never the token or a key). */
export type TokenRefusal =
  | 'no-token'
  | 'malformed'
  | 'algorithm'
  | 'unknown-key'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'not-yet-valid'
  | 'service-url'
  | 'channel';

/** The outcome of checking one request's token. */
export type TokenVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401; readonly reason: TokenRefusal }
  /** The signing keys could not be fetched; reason names the step and status, never outside text. */
  | { readonly ok: false; readonly status: 503; readonly reason: string };

export interface ChannelTokenOptions {
  /** The bot's app id: the audience every token must name. */
  readonly appId: string;
  /** The Bot Framework's OpenID configuration document, which names the signing keys' URL. */
  readonly openIdMetadataUrl: string;
  /** The issuer every token must name. */
  readonly issuer: string;
}

const CLOCK_SKEW_S = 5 * 60;
const KEYS_MAX_AGE_MS = 24 * 60 * 60_000;
/** An unknown key id refetches the keys at most this often, so forged ids cannot hammer the endpoint. */
const UNKNOWN_KEY_REFETCH_MS = 5 * 60_000;
/** After a failed fetch, requests are refused at once for this long instead of each waiting on the network. */
const FAILED_FETCH_PAUSE_MS = 10_000;
/** Seconds a refused caller should wait while the keys cannot be fetched. */
export const KEYS_RETRY_AFTER_S = FAILED_FETCH_PAUSE_MS / 1000;
const FETCH_TIMEOUT_MS = 5_000;
const JWT = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]*)$/;

interface SigningKey {
  readonly key: KeyObject;
  /** Channels the key may sign for; empty means any. */
  readonly endorsements: readonly string[];
}

/** Signing keys could not be fetched. */
class KeysUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`signing keys unavailable: ${reason}`);
    this.name = 'KeysUnavailable';
  }
}

/**
 * Checks the Bot Framework's bearer token on a request to the bot, the way botbuilder's channel
 * validation does (RS256 signature by a key from the OpenID metadata, issuer, audience = app id,
 * expiry and not-before with 5 minutes of clock skew, serviceUrl claim, key endorsements), but
 * answers with a verdict instead of throwing and printing keys to the console. What can be
 * checked without the keys is checked first, so a token wrong on its face gets 401 even while
 * the keys cannot be fetched, and a flood of them fetches nothing.
 */
export class ChannelTokenVerifier {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastFailure = '';
  private fetching: Promise<void> | undefined;

  constructor(private readonly options: ChannelTokenOptions) {}

  async verify(
    authorization: string | undefined,
    activity: { readonly serviceUrl?: unknown; readonly channelId?: unknown },
  ): Promise<TokenVerdict> {
    if (authorization === undefined || authorization.trim() === '') return refuse('no-token');
    const parts = JWT.exec(authorization.trim());
    if (!parts) return refuse('malformed');
    const [, encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parts;
    const header = decodeJson(encodedHeader);
    const payload = decodeJson(encodedPayload);
    if (!header || !payload) return refuse('malformed');
    // Everything that can be checked without the keys first: a forged token fetches nothing.
    if (header.alg !== 'RS256') return refuse('algorithm');
    if (typeof header.kid !== 'string' || header.kid === '') return refuse('unknown-key');
    if (encodedSignature === '') return refuse('signature');
    const claims = claimsProblem(payload, this.options, activity);
    if (claims) return refuse(claims);

    let signingKey: SigningKey | undefined;
    try {
      signingKey = await this.key(header.kid);
    } catch (error) {
      if (error instanceof KeysUnavailable) return { ok: false, status: 503, reason: error.reason };
      throw error;
    }
    if (!signingKey) return refuse('unknown-key');
    if (!signedBy(signingKey.key, `${encodedHeader}.${encodedPayload}`, encodedSignature)) return refuse('signature');
    if (signingKey.endorsements.length > 0 && !signingKey.endorsements.includes(String(activity.channelId)))
      return refuse('channel');
    return { ok: true };
  }

  /** The key with this id, fetching the key set when it is old, or when the id is new and the set not fresh. */
  private async key(kid: string): Promise<SigningKey | undefined> {
    const age = Date.now() - this.fetchedAt;
    if (age > KEYS_MAX_AGE_MS || (!this.keys.has(kid) && age > UNKNOWN_KEY_REFETCH_MS)) {
      try {
        await this.refresh();
      } catch (error) {
        // Keys Microsoft has since rotated away stay usable while its endpoint is down.
        if (!(error instanceof KeysUnavailable) || !this.keys.has(kid)) throw error;
      }
    }
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    if (Date.now() - this.failedAt < FAILED_FETCH_PAUSE_MS)
      return Promise.reject(new KeysUnavailable(this.lastFailure));
    this.fetching ??= this.fetchKeys()
      .catch((error: unknown) => {
        this.failedAt = Date.now();
        this.lastFailure = error instanceof KeysUnavailable ? error.reason : 'unreadable';
        throw new KeysUnavailable(this.lastFailure);
      })
      .finally(() => {
        this.fetching = undefined;
      });
    return this.fetching;
  }

  private async fetchKeys(): Promise<void> {
    const metadata = await fetchJson(this.options.openIdMetadataUrl, 'metadata');
    const jwksUri = metadata.jwks_uri;
    if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) throw new KeysUnavailable('metadata-no-jwks-uri');
    const set = await fetchJson(jwksUri, 'keys');
    if (!Array.isArray(set.keys)) throw new KeysUnavailable('keys-not-a-key-set');
    const keys = new Map<string, SigningKey>();
    for (const jwk of set.keys as unknown[]) {
      if (typeof jwk !== 'object' || jwk === null) continue;
      const { kid, kty, n, e, endorsements } = jwk as Record<string, unknown>;
      if (typeof kid !== 'string' || kty !== 'RSA' || typeof n !== 'string' || typeof e !== 'string') continue;
      try {
        keys.set(kid, {
          key: createPublicKey({ key: { kty, n, e }, format: 'jwk' }),
          endorsements: Array.isArray(endorsements)
            ? endorsements.filter((x): x is string => typeof x === 'string')
            : [],
        });
      } catch {
        // A key Node cannot read cannot have signed anything we accept.
      }
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}

function refuse(reason: TokenRefusal): TokenVerdict {
  return { ok: false, status: 401, reason };
}

function signedBy(key: KeyObject, signed: string, signature: string): boolean {
  try {
    return verify('sha256', Buffer.from(signed), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** GETs a JSON object; any failure becomes KeysUnavailable naming the step and status, not the outside text. */
async function fetchJson(url: string, step: 'metadata' | 'keys'): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new KeysUnavailable(
      `${step}-${error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable'}`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new KeysUnavailable(`${step}-http-${response.status}`);
  }
  try {
    const json: unknown = await response.json();
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new KeysUnavailable(`${step}-not-json`);
}

/** The first claim wrong on its face (issuer, audience, validity time, serviceUrl); undefined if none. */
function claimsProblem(
  payload: Record<string, unknown>,
  options: ChannelTokenOptions,
  activity: { readonly serviceUrl?: unknown },
): TokenRefusal | undefined {
  const now = Date.now() / 1000;
  if (payload.iss !== options.issuer) return 'issuer';
  if (payload.aud !== options.appId) return 'audience';
  if (typeof payload.exp !== 'number' || payload.exp + CLOCK_SKEW_S < now) return 'expired';
  const { nbf } = payload;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf - CLOCK_SKEW_S > now)) return 'not-yet-valid';
  if (payload.serviceurl !== activity.serviceUrl) return 'service-url';
  return undefined;
}
