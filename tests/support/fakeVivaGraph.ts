import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, reply } from './httpJson.js';

/** A course activity Viva Learning holds. */
export interface VivaActivityHeld {
  readonly id: string;
  readonly body: Record<string, any>;
}

/** One request the client made, with what it got. */
export interface VivaRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: any;
}

/** How Graph answers for now. */
export type VivaMode =
  | { readonly kind: 'normal' }
  /** 429 or 503 with Retry-After (seconds) to every request. */
  | { readonly kind: 'throttled'; readonly status: 429 | 503; readonly retryAfter: number };

const ACTIVITY_TYPES = ['#microsoft.graph.learningAssignment', '#microsoft.graph.learningSelfInitiatedCourse'];
const STATUSES = ['notStarted', 'inProgress', 'completed'];

/**
 * Microsoft Graph's Viva Learning endpoints of one provider on loopback, answering as the v1.0 docs say:
 * `PATCH …/learningContents(externalId='…')` 202 with the content and its id (400 without title,
 * contentWebUrl or languageTag); `POST …/learningCourseActivities` 201 with the activity and its id, 409
 * for an externalCourseActivityId it holds, 400 for a missing required field or a content it does not
 * know; `GET …/learningCourseActivities(externalCourseActivityId='…')` 200 or 404; `PATCH
 * …/learningCourseActivities/{id}` 204 or 404. 401 without the expected bearer token, 400 for another
 * provider, Graph's `{ error: { code, message } }` bodies, throttling with Retry-After on demand.
 */
export class FakeVivaGraph {
  readonly contents = new Map<string, { id: string; body: Record<string, any> }>();
  /** By external id. */
  readonly activities = new Map<string, VivaActivityHeld>();
  readonly requests: VivaRequest[] = [];
  /** Providers registered with `POST learningProviders` (a delegated token: `delegatedToken`), by id. */
  readonly providers = new Map<string, Record<string, any>>();
  delegatedToken = 'fake-delegated';
  mode: VivaMode = { kind: 'normal' };
  /** How long Graph takes to answer after it has done what was asked. */
  delayMs = 0;
  token = 'fake';

  private constructor(
    private readonly server: Server,
    /** The base URL clients use (POSTWISE_GRAPH_URL), ending in `/v1.0/`. */
    readonly url: string,
    readonly providerId: string,
  ) {}

  static async start(providerId = randomUUID()): Promise<FakeVivaGraph> {
    let graph: FakeVivaGraph | undefined;
    const server = createServer((req, res) => void graph?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    graph = new FakeVivaGraph(server, `http://127.0.0.1:${port}/v1.0/`, providerId);
    return graph;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The activities of one learner. */
  of(learnerUserId: string): VivaActivityHeld[] {
    return [...this.activities.values()].filter((a) => a.body.learnerUserId === learnerUserId);
  }

  /** How many times each external id was created (201). */
  creations(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.requests)
      if (r.method === 'POST' && r.status === 201)
        counts.set(r.body.externalCourseActivityId, (counts.get(r.body.externalCourseActivityId) ?? 0) + 1);
    return counts;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let body: any;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path, status, body });
      const send = () => {
        if (json === undefined) {
          res.writeHead(status, headers);
          res.end();
        } else reply(res, status, json, headers);
      };
      if (this.delayMs > 0) setTimeout(send, this.delayMs);
      else send();
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      answer(status, { error: { code, message } }, headers);

    const providers = '/v1.0/employeeExperience/learningProviders';
    const own = path === providers ? '' : path.startsWith(`${providers}/`) ? path.slice(providers.length + 1) : '/';
    if (!own.includes('/')) return this.register(req, method, own, body, answer, error);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return error(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    if (this.mode.kind === 'throttled') {
      const { status, retryAfter } = this.mode;
      const code = status === 429 ? 'TooManyRequests' : 'ServiceUnavailable';
      return error(status, code, `Retry after ${retryAfter} seconds`, { 'retry-after': String(retryAfter) });
    }
    const prefix = '/v1.0/employeeExperience/learningProviders/';
    if (!path.startsWith(prefix)) return error(404, 'ResourceNotFound', 'Resource not found.');
    const rest = path.slice(prefix.length);
    const provider = rest.split('/')[0] ?? '';
    if (provider !== this.providerId)
      return error(
        400,
        'BadRequest',
        'Make sure the registrationId you entered is valid or registered for your tenant',
      );
    const tail = rest.slice(provider.length + 1);

    let m = /^learningContents\(externalId='(.*)'\)$/.exec(tail);
    if (m && method === 'PATCH') {
      const externalId = (m[1] ?? '').replace(/''/g, "'");
      for (const field of ['title', 'contentWebUrl', 'languageTag'])
        if (typeof body?.[field] !== 'string' || body[field] === '')
          return error(400, 'badRequest', `Input Field ${field} is required`);
      const id = this.contents.get(externalId)?.id ?? randomUUID();
      const content = { ...body, externalId, id };
      this.contents.set(externalId, { id, body: content });
      return answer(202, content);
    }
    if (tail === 'learningCourseActivities' && method === 'POST') {
      const missing = ['learnerUserId', 'learningContentId', 'status'].find((f) => typeof body?.[f] !== 'string');
      if (!ACTIVITY_TYPES.includes(body?.['@odata.type']))
        return error(400, 'badRequest', 'Input Field @odata.type is invalid');
      if (missing) return error(400, 'badRequest', `Input Field ${missing} is required`);
      if (body['@odata.type'] === ACTIVITY_TYPES[0] && typeof body.assignmentType !== 'string')
        return error(400, 'badRequest', 'Input Field assignmentType is required');
      const invalid = this.invalidField(body);
      if (invalid) return error(400, 'badRequest', `Input Field ${invalid} is invalid`);
      if (![...this.contents.values()].some((c) => c.id === body.learningContentId))
        return error(
          403,
          'Forbidden',
          'The provider is not valid to create course activity for the given learning content',
        );
      const externalId = body.externalCourseActivityId;
      if (typeof externalId === 'string' && this.activities.has(externalId))
        return error(409, 'Conflict', 'A course activity with this externalCourseActivityId exists.');
      const id = `${body.learnerUserId}:${randomUUID()}`;
      const held = { id, body: { ...body, id, learningProviderId: this.providerId } };
      this.activities.set(typeof externalId === 'string' ? externalId : id, held);
      return answer(201, held.body);
    }
    m = /^learningCourseActivities\(externalCourseActivityId='(.*)'\)$/.exec(tail);
    if (m && method === 'GET') {
      const held = this.activities.get((m[1] ?? '').replace(/''/g, "'"));
      return held ? answer(200, held.body) : error(404, 'NotFound', 'The requested assignment doesn’t exist.');
    }
    m = /^learningCourseActivities\/([^/]+)$/.exec(tail);
    if (m && method === 'PATCH') {
      const held = [...this.activities.values()].find((a) => a.id === m?.[1]);
      if (!held) return error(404, 'NotFound', `The requested assignment ${m[1]} doesn’t exist.`);
      if (body?.['@odata.type'] !== held.body['@odata.type'])
        return error(400, 'badRequest', 'Input Field @odata.type is invalid');
      const invalid = this.invalidField(body);
      if (invalid) return error(400, 'badRequest', `Input Field ${invalid} is invalid`);
      Object.assign(held.body, body);
      return answer(204);
    }
    return error(405, 'MethodNotAllowed', "This method isn't supported for this entity type.");
  }

  /** The delegated provider calls: register (POST) and update (PATCH learningProviders/{id}). */
  private register(
    req: IncomingMessage,
    method: string,
    id: string,
    body: any,
    answer: (status: number, json?: unknown) => void,
    error: (status: number, code: string, message: string) => void,
  ): void {
    if (req.headers.authorization !== `Bearer ${this.delegatedToken}`)
      return error(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    if (method === 'POST' && id === '') {
      const logos = ['Square', 'Long'].flatMap((s) =>
        ['Dark', 'Light'].map((t) => `${s.toLowerCase()}LogoWebUrlFor${t}Theme`),
      );
      const missing = ['displayName', ...logos].find((f) => typeof body?.[f] !== 'string' || body[f] === '');
      if (missing) return error(400, 'badRequest', `Input Field ${missing} is required`);
      const provider = { ...body, id: randomUUID(), isCourseActivitySyncEnabled: false };
      this.providers.set(provider.id, provider);
      return answer(201, provider);
    }
    const provider = this.providers.get(id);
    if (method !== 'PATCH' || !provider) return error(404, 'NotFound', 'The learning provider was not found.');
    Object.assign(provider, body);
    return answer(204);
  }

  private invalidField(body: Record<string, any>): string | undefined {
    if (body.status !== undefined && !STATUSES.includes(body.status)) return 'status';
    const percent = body.completionPercentage;
    if (percent !== undefined && !(Number.isInteger(percent) && percent >= 0 && percent <= 100))
      return 'completionPercentage';
    const due = body.dueDateTime;
    if (due !== undefined && (typeof due?.dateTime !== 'string' || typeof due?.timeZone !== 'string'))
      return 'dueDateTime';
    for (const f of ['assignedDateTime', 'completedDateTime', 'startedDateTime'])
      if (body[f] !== undefined && Number.isNaN(Date.parse(body[f]))) return f;
    return undefined;
  }
}
