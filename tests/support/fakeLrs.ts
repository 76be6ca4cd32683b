import { isDeepStrictEqual } from 'node:util';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import validation from '@learninglocker/xapi-validation';
import { readBody, reply } from './httpJson.js';

type Validate = (data: unknown) => { path: string[] }[];
/** Learning Locker's statement validation (a CommonJS module: its function is `default` on the exports). */
const loaded: unknown = validation;
export const validateStatement: Validate =
  typeof loaded === 'function' ? (loaded as Validate) : (loaded as { default: Validate }).default;

/** How the store answers for now. */
export type LrsMode =
  | { readonly kind: 'normal' }
  /** 503 with Retry-After (seconds) to every statement. */
  | { readonly kind: 'busy'; readonly retryAfter: number }
  /** Takes the request and never answers. */
  | { readonly kind: 'black-hole' };

/** A statement the store holds, in the order it came. */
export interface HeldStatement {
  readonly id: string;
  readonly statement: Record<string, any>;
}

/**
 * A learning record store on loopback, answering `POST {base}/statements` as xAPI 1.0.3 says: 401
 * without the right Basic credentials, 400 without `X-Experience-API-Version` or for a statement
 * Learning Locker's validation refuses, 409 for an id it already holds (keeping the first), else
 * 200 with the ids (after `delayMs`). Each statement id is held once; `differing` counts ids sent
 * again with other content.
 */
export class FakeLrs {
  readonly held: HeldStatement[] = [];
  /** Every POST, with its status and the statement ids it carried. */
  readonly requests: { readonly status: number; readonly ids: readonly string[] }[] = [];
  /** Ids sent again with content other than what the store holds. */
  differing = 0;
  /** What the validation refused, by path. */
  readonly invalid: string[] = [];
  mode: LrsMode = { kind: 'normal' };
  /** How long the store takes to answer after it has stored a statement. */
  delayMs = 0;
  private readonly hanging: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    /** The xAPI base to configure: statements go to `{endpoint}/statements`. */
    readonly endpoint: string,
    readonly key: string,
    readonly secret: string,
  ) {}

  static async start(key = 'postwise', secret = 's3cret-lrs'): Promise<FakeLrs> {
    let lrs: FakeLrs | undefined;
    const server = createServer((req, res) => void lrs?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    lrs = new FakeLrs(server, `http://127.0.0.1:${port}/xapi`, key, secret);
    return lrs;
  }

  /** The statements held for one actor account name, in the order they came. */
  of(name: string): Record<string, any>[] {
    return this.held.filter((h) => h.statement.actor?.account?.name === name).map((h) => h.statement);
  }

  close(): Promise<void> {
    for (const res of this.hanging.splice(0)) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const ids = idsIn(body);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ status, ids });
      reply(res, status, json, headers);
    };
    if (req.method !== 'POST' || req.url !== '/xapi/statements') return answer(404, { error: 'not found' });
    const expected = `Basic ${Buffer.from(`${this.key}:${this.secret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return answer(401, { error: 'Unauthorised: secret LRS detail' });
    if (req.headers['x-experience-api-version'] !== '1.0.3') return answer(400, { error: 'version header' });
    if (this.mode.kind === 'black-hole') {
      this.hanging.push(res);
      return;
    }
    if (this.mode.kind === 'busy') return answer(503, { error: 'busy' }, { 'retry-after': `${this.mode.retryAfter}` });
    const parsed = JSON.parse(body) as unknown;
    const statements = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, any>[];
    for (const statement of statements) {
      const warnings = validateStatement(statement);
      if (warnings.length > 0) {
        this.invalid.push(...warnings.map((w) => w.path.join('.')));
        return answer(400, { error: 'invalid statement' });
      }
    }
    const conflicts = statements.filter((s) => this.held.some((h) => h.id === s.id));
    for (const s of conflicts) {
      const held = this.held.find((h) => h.id === s.id);
      if (held && !isDeepStrictEqual(held.statement, s)) this.differing += 1;
    }
    if (conflicts.length > 0) return answer(409, { error: 'conflict' });
    for (const statement of statements) this.held.push({ id: statement.id as string, statement });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    answer(
      200,
      statements.map((s) => s.id),
    );
  }
}

/** The statement ids a request body carries; none when it is no JSON. */
function idsIn(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]).map((s) => String((s as { id?: unknown } | null)?.id));
  } catch {
    return [];
  }
}
