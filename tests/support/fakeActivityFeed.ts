import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { readBody, reply } from './httpJson.js';

/** A notice the feed took: to whom, and the request body as sent. */
export interface FeedRequest {
  /** The person, or '' for a bulk request (`recipients` in the body). */
  readonly userId: string;
  readonly authorization: string | undefined;
  readonly body: {
    readonly topic?: { source?: string; value?: string; webUrl?: string };
    readonly activityType?: string;
    readonly previewText?: { content?: string };
    readonly templateParameters?: { name: string; value: string }[];
    readonly recipients?: { '@odata.type'?: string; userId?: string }[];
  };
  /** performance.now() when it came. */
  readonly at: number;
}

/** The activity types the app package declares, with the parameters each template text names (besides actor). */
function declaredTypes(): Map<string, string[]> {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'manifest', 'manifest.template.json'), 'utf8')) as {
    activities: { activityTypes: { type: string; templateText: string }[] };
  };
  return new Map(
    manifest.activities.activityTypes.map((a) => [
      a.type,
      [...a.templateText.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((p) => p !== 'actor'),
    ]),
  );
}

/**
 * Microsoft Graph's `POST /v1.0/users/{id}/teamwork/sendActivityNotification` and
 * `POST /v1.0/teamwork/sendActivityNotificationToRecipients` on loopback, answering as the real ones do: 204 for one
 * notice taken; 202 for a bulk one (1–100 aadUserNotificationRecipients), those the app is not installed for silently
 * getting nothing; 401 without the expected bearer token; 400 for an activity type the app package does not declare,
 * template parameters other than its template text names, or a text topic without a webUrl; 403 Forbidden with
 * Graph's wording when the app is not installed for the person; planned 429s with Retry-After.
 */
export class FakeActivityFeed {
  /** Every request, in order of arrival. */
  readonly requests: FeedRequest[] = [];
  /** Notices taken, one per person (a bulk request's per recipient it reaches). */
  readonly taken: FeedRequest[] = [];
  /** Bulk requests taken (answered 202). */
  readonly bulk: FeedRequest[] = [];
  /** People the app is installed for; everyone when undefined. */
  installed: Set<string> | undefined;
  /** Seconds to ask to wait, for the request of this number (0 = the first). */
  readonly throttle = new Map<number, number>();
  /** Milliseconds each answer is held back (after the notice is taken). */
  delayMs = 0;
  token = 'fake';
  private readonly types = declaredTypes();

  private constructor(
    private readonly server: Server,
    /** The base URL clients use (POSTWISE_GRAPH_URL), ending in `/v1.0/`. */
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<FakeActivityFeed> {
    let feed: FakeActivityFeed | undefined;
    const server = createServer((req, res) => void feed?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    feed = new FakeActivityFeed(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/`);
    return feed;
  }

  /** Notices taken for one person. */
  to(userId: string): FeedRequest[] {
    return this.taken.filter((r) => r.userId === userId);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const number = this.requests.length;
    const { pathname } = new URL(req.url ?? '/', this.url);
    const match = /^\/v1\.0\/users\/([^/]+)\/teamwork\/sendActivityNotification$/.exec(pathname);
    const many = pathname === '/v1.0/teamwork/sendActivityNotificationToRecipients';
    const request: FeedRequest = {
      userId: decodeURIComponent(match?.[1] ?? ''),
      authorization: req.headers.authorization,
      body: text ? (JSON.parse(text) as FeedRequest['body']) : {},
      at: performance.now(),
    };
    this.requests.push(request);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return error(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    if (req.method !== 'POST' || (!match && !many)) return error(res, 404, 'NotFound', 'Resource not found.');
    const wait = this.throttle.get(number);
    if (wait !== undefined)
      return error(res, 429, 'TooManyRequests', 'Too many requests.', { 'retry-after': String(wait) });
    const problem = this.problem(request.body) ?? (many ? recipientsProblem(request.body) : undefined);
    if (problem) return error(res, 400, 'BadRequest', problem);
    if (many) {
      // Taken for later: Graph never says whom it did not reach (here: those the app is not installed for).
      this.bulk.push(request);
      for (const { userId = '' } of request.body.recipients ?? [])
        if (!this.installed || this.installed.has(userId)) this.taken.push({ ...request, userId });
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      res.statusCode = 202;
      res.end();
      return;
    }
    if (this.installed && !this.installed.has(request.userId)) {
      const about = `/users/${request.userId}/teamwork/sendActivityNotification`;
      return error(
        res,
        403,
        'Forbidden',
        "Application with AAD App Id '00000000-0000-0000-0000-000000000000' is not authorized to generate custom " +
          `text notifications about '${about}' to the recipient. Ensure that the expected Teams app is installed ` +
          'in the target scope (user, team, or chat).',
      );
    }
    this.taken.push(request);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    res.statusCode = 204;
    res.end();
  }

  private problem(body: FeedRequest['body']): string | undefined {
    const declared = this.types.get(body.activityType ?? '');
    if (!declared) return `Activity type '${body.activityType}' is not declared in the app manifest.`;
    const names = (body.templateParameters ?? []).map((p) => p.name).sort();
    if (JSON.stringify(names) !== JSON.stringify([...declared].sort()))
      return `Template parameters do not match the template of '${body.activityType}'.`;
    if (body.topic?.source === 'text' && !body.topic.webUrl) return 'A text topic needs a webUrl.';
    if (body.topic?.source !== 'text' && body.topic?.source !== 'entityUrl') return 'A topic is required.';
    return undefined;
  }
}

/** What Graph refuses in a bulk request's recipients: none, more than 100, or another kind than a user. */
function recipientsProblem(body: FeedRequest['body']): string | undefined {
  const recipients = body.recipients ?? [];
  if (recipients.length === 0 || recipients.length > 100) return 'Recipients must number from 1 to 100.';
  if (recipients.some((r) => r['@odata.type'] !== 'microsoft.graph.aadUserNotificationRecipient' || !r.userId))
    return 'Only recipients of type aadUserNotificationRecipient are supported.';
  return undefined;
}

function error(res: ServerResponse, status: number, code: string, message: string, headers = {}): void {
  reply(
    res,
    status,
    { error: { code, message, innerError: { 'request-id': '00000000-0000-0000-0000-000000000000' } } },
    headers,
  );
}
