import { retryAfterMs } from '../domain/campaigns/deliveryPolicy.js';
import type { LrsClient, LrsOutcome } from '../domain/xapi/ports.js';
import type { Statement } from '../domain/xapi/statements.js';

/** How long one statement may take before the store counts as busy (a black hole never answers). */
const REQUEST_TIMEOUT_MS = 10_000;

export interface HttpLrsOptions {
  /** The xAPI base: statements go to `{endpoint}/statements`. */
  readonly endpoint: string;
  readonly key: string;
  readonly secret: string;
  readonly timeoutMs?: number;
}

/** A learning record store over HTTP: xAPI 1.0.3, Basic auth, one statement a request. */
export class HttpLrs implements LrsClient {
  private readonly authorization: string;

  constructor(private readonly options: HttpLrsOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.key}:${options.secret}`).toString('base64')}`;
  }

  async send(statement: Statement): Promise<LrsOutcome> {
    let response: Response;
    try {
      response = await fetch(`${this.options.endpoint}/statements`, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/json',
          'x-experience-api-version': '1.0.3',
        },
        body: JSON.stringify(statement),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS),
      });
      // Its text is the store's, not ours: read to free the connection, never logged.
      await response.arrayBuffer();
    } catch {
      return { kind: 'busy' };
    }
    return outcomeOf(response);
  }
}

function outcomeOf(response: Response): LrsOutcome {
  const { status } = response;
  if (status === 200 || status === 204) return { kind: 'stored' };
  if (status === 409) return { kind: 'conflict' };
  if (status === 401 || status === 403) return { kind: 'unauthorized' };
  if (status === 408 || status === 429 || status >= 500) {
    const wait = retryAfterMs(response.headers.get('retry-after') ?? undefined, new Date());
    return wait === undefined ? { kind: 'busy' } : { kind: 'busy', retryAfterMs: wait };
  }
  return { kind: 'refused', status };
}
