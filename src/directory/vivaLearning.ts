import type { TokenCredential } from '@azure/identity';
import type { GraphBody, VivaLearning, VivaOutcome } from '../domain/viva/ports.js';
import { retryAfterMs } from '../domain/campaigns/deliveryPolicy.js';

const SCOPE = 'https://graph.microsoft.com/.default';
/** How long one request may take before Graph counts as busy. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface GraphVivaLearningOptions {
  /** Graph's base URL ending in a slash (config.graphUrl). */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  readonly providerId: string;
  readonly timeoutMs?: number;
}

/** Viva Learning through Microsoft Graph v1.0, with an app-only token; Graph's own texts are never logged. */
export class GraphVivaLearning implements VivaLearning {
  private readonly provider: string;

  constructor(private readonly options: GraphVivaLearningOptions) {
    this.provider = `${options.baseUrl}employeeExperience/learningProviders/${encodeURIComponent(options.providerId)}`;
  }

  putContent(externalId: string, body: GraphBody): Promise<VivaOutcome> {
    return this.request('PATCH', `${this.provider}/learningContents(externalId='${quoted(externalId)}')`, body);
  }

  createActivity(body: GraphBody): Promise<VivaOutcome> {
    return this.request('POST', `${this.provider}/learningCourseActivities`, body);
  }

  updateActivity(id: string, body: GraphBody): Promise<VivaOutcome> {
    return this.request('PATCH', `${this.provider}/learningCourseActivities/${encodeURIComponent(id)}`, body);
  }

  findActivity(externalId: string): Promise<VivaOutcome> {
    const key = `externalCourseActivityId='${quoted(externalId)}'`;
    return this.request('GET', `${this.provider}/learningCourseActivities(${key})`);
  }

  private async request(method: string, url: string, body?: GraphBody): Promise<VivaOutcome> {
    let token: string;
    try {
      const got = await this.options.credential.getToken(SCOPE);
      if (!got) return { kind: 'unauthorized', status: 0 };
      token = got.token;
    } catch {
      return { kind: 'unauthorized', status: 0 };
    }
    let response: Response;
    let id: string | undefined;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.ok && text !== '') id = idOf(text);
    } catch {
      return { kind: 'busy' };
    }
    return outcomeOf(response, id);
  }
}

/** An OData string literal's inside: single quotes doubled, then URL-encoded. */
function quoted(value: string): string {
  return encodeURIComponent(value.replace(/'/g, "''"));
}

function idOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function outcomeOf(response: Response, id: string | undefined): VivaOutcome {
  const { status } = response;
  if (response.ok) return id === undefined ? { kind: 'stored' } : { kind: 'stored', id };
  if (status === 409) return { kind: 'conflict' };
  if (status === 404) return { kind: 'missing' };
  if (status === 401 || status === 403) return { kind: 'unauthorized', status };
  if (status === 408 || status === 429 || status >= 500) {
    const wait = retryAfterMs(response.headers.get('retry-after') ?? undefined, new Date());
    return wait === undefined ? { kind: 'busy' } : { kind: 'busy', retryAfterMs: wait };
  }
  return { kind: 'refused', status };
}
