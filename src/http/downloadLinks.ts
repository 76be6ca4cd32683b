import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { UiKey } from '../content/ui.js';
import { LANGUAGES, type Language } from '../domain/course/course.js';
import type { LinkStore } from '../domain/downloads/ports.js';
import type { Clock } from '../domain/time/clock.js';

/** How long a download link works. */
export const LINK_LIFETIME_MS = 15 * 60 * 1000;

/** The coverage export, or the audit trail of acknowledgements. */
export type DownloadKind = 'export' | 'audit';

/** The longest token a link may carry; longer ones are not links. */
export const MAX_TOKEN_LENGTH = 1024;

/** What a link says: which link, which file, for whom, until when. */
export interface LinkClaims {
  /** Random: a link works once, and this is how it is known again. */
  readonly id: string;
  readonly kind: DownloadKind;
  /** The HR user the link was made for. */
  readonly userId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** The HR user's language: the page and the file speak it. */
  readonly language: Language;
}

/** A link's claims once checked, or why it does not count. */
export type LinkCheck =
  | {
      readonly ok: true;
      readonly id: string;
      readonly kind: DownloadKind;
      readonly userId: string;
      readonly language: Language;
    }
  | { readonly ok: false; readonly reason: 'expired' | 'bad-signature' | 'malformed' };

/** A file's bytes: whole, or in chunks as they are made. */
export type DownloadBody = Buffer | AsyncIterable<Buffer>;

/** What GET /downloads/:token answers. */
export type DownloadResult =
  | { readonly status: 200; readonly filename: string; readonly body: DownloadBody }
  | { readonly status: 403 | 404 | 410; readonly message: string };

const KINDS: readonly string[] = ['export', 'audit'] satisfies DownloadKind[];

/** A token `<claims>.<HMAC-SHA256 of claims>`, both base64url, safe in a URL path. */
export function signLink(secret: string, claims: LinkClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ i: claims.id, k: claims.kind, u: claims.userId, e: claims.expiresAt, l: claims.language }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** Checks the signature first (so a changed expiry or user is a bad signature), then the expiry. */
export function verifyLink(secret: string, token: string, now: Date): LinkCheck {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  const [payload, signature] = parts;
  if (parts.length !== 2 || !payload || !signature || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(signature))
    return { ok: false, reason: 'malformed' };
  // Compared as text, so only the one canonical spelling of the signature is accepted.
  const expected = Buffer.from(mac(secret, payload).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  const claims = parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!claims) return { ok: false, reason: 'malformed' };
  if (now.getTime() >= claims.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, id: claims.id, kind: claims.kind, userId: claims.userId, language: claims.language };
}

/** A new link to a file for this HR user, under the server's base URL: it works once, for LINK_LIFETIME_MS. */
export async function newDownloadLink(
  store: LinkStore,
  clock: Clock,
  baseUrl: string,
  kind: DownloadKind,
  userId: string,
  language: Language,
): Promise<string> {
  const token = signLink(await store.secret(), {
    id: randomUUID(),
    kind,
    userId,
    expiresAt: clock.now().getTime() + LINK_LIFETIME_MS,
    language,
  });
  return downloadUrl(baseUrl, token);
}

/** The link's URL under the server's base URL (which may carry a path). */
export function downloadUrl(baseUrl: string, token: string): string {
  return new URL(`downloads/${token}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/**
 * The download handler for the server: checks the link, that its user is still HR and that it
 * was not used before, then builds the file. The link is the credential: it is only ever shown
 * to that HR user, in their chat, and works once, so a copy found later opens nothing.
 */
export function createDownloads(deps: {
  readonly secret: () => Promise<string>;
  readonly clock: Clock;
  readonly isHr: (userId: string) => Promise<boolean>;
  /** Marks the link used; false when it already was. */
  readonly useOnce: (linkId: string) => Promise<boolean>;
  readonly build: (kind: DownloadKind, language: Language) => Promise<{ filename: string; body: DownloadBody }>;
  /** The page's text for a refusal, from ui.json; without a valid link the language is not known. */
  readonly text: (key: UiKey, language: Language | undefined) => string;
}): (token: string) => Promise<DownloadResult> {
  return async (token) => {
    const check = verifyLink(await deps.secret(), token, deps.clock.now());
    if (!check.ok) {
      if (check.reason === 'expired') return { status: 410, message: deps.text('downloadExpired', undefined) };
      if (check.reason === 'malformed') return { status: 404, message: deps.text('downloadMissing', undefined) };
      return { status: 403, message: deps.text('downloadInvalid', undefined) };
    }
    if (!(await deps.isHr(check.userId))) return { status: 403, message: deps.text('downloadHrOnly', check.language) };
    if (!(await deps.useOnce(check.id))) return { status: 410, message: deps.text('downloadUsed', check.language) };
    return { status: 200, ...(await deps.build(check.kind, check.language)) };
  };
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

function parse(json: string): LinkClaims | undefined {
  try {
    const { i, k, u, e, l } = JSON.parse(json) as { i?: unknown; k?: unknown; u?: unknown; e?: unknown; l?: unknown };
    if (
      typeof i !== 'string' ||
      i === '' ||
      typeof k !== 'string' ||
      !KINDS.includes(k) ||
      typeof u !== 'string' ||
      u === '' ||
      typeof e !== 'number' ||
      !Number.isFinite(e)
    ) {
      return undefined;
    }
    const language = LANGUAGES.find((known) => known === l);
    if (language === undefined) return undefined;
    return { id: i, kind: k as DownloadKind, userId: u, expiresAt: e, language };
  } catch {
    return undefined;
  }
}

/** Writes the chunks as they come, waiting while the client is slower; stops when it goes away. */
export async function streamTo(res: ServerResponse, chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk))
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
  }
  res.end();
}
