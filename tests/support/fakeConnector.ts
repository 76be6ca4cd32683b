import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, reply } from './httpJson.js';

/** One call the bot made to the connector. */
export interface ConnectorCall {
  readonly method: 'POST' | 'PUT';
  readonly conversationId: string;
  /** The activity id in the path: replyToId for a POST reply, the updated id for a PUT. */
  readonly activityId?: string;
  readonly activity: Record<string, unknown>;
  /** The id the connector gave the activity. */
  readonly id: string;
  /** For POST /v3/conversations: the conversation parameters the bot sent. */
  readonly parameters?: Record<string, unknown>;
}

export interface FakeConnectorOptions {
  /** False keeps no calls or request log, only counts (for long load runs). Default true. */
  readonly record?: boolean;
  /**
   * Teams' global limit per app and tenant: beyond `requests` POSTs and PUTs in any sliding
   * `windowMs` (every request counts, answered or refused), 429 with Retry-After.
   */
  readonly throttle?: { readonly requests: number; readonly windowMs: number; readonly retryAfterSeconds?: number };
}

/** One POST or PUT as the connector saw it: when it arrived (performance.now(), ms) and the status it got. */
export interface ConnectorRequest {
  readonly at: number;
  readonly status: number;
}

/**
 * A Bot Connector service on loopback that answers the way the real one does:
 * POST /v3/conversations/{id}/activities[/{replyToId}] -> 201 { id },
 * PUT /v3/conversations/{id}/activities/{activityId} -> 200 { id },
 * POST /v3/conversations (a new channel thread) -> 201 { id: '<channel>;messageid=<n>', activityId },
 * POST /v3/conversations with isGroup false and one member (a personal chat) -> 201 { id: 'a:<member id>' },
 *   the same id again for the same member,
 * GET /v3/conversations/{id}/members/{memberId} -> the member, or 404.
 * Optionally like a busy tenant: 429 beyond the throttle, 403 for people who blocked the bot,
 * 404 for chats that are gone, 503 for the first requests of chosen conversations.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Team members by Teams user id, as GET …/members/{id} returns them. */
  readonly members = new Map<string, Record<string, unknown>>();
  /** How many of the next thread creations to refuse with 403, as Teams does when the bot is not in the team. */
  refuseThreads = 0;
  /** Conversation ids, and member ids of personal chats to create, answered 403 ConversationBlockedByUser. */
  readonly blocked = new Set<string>();
  /** Conversation ids answered 404 ConversationNotFound, as after the person cleared the chat. */
  readonly gone = new Set<string>();
  /** Conversation or member id -> how many of its next requests get 503. */
  readonly unavailable = new Map<string, number>();
  /** Messages accepted per conversation id (counted in every mode). */
  readonly delivered = new Map<string, number>();
  /** When the first and the latest message arrived, ms since the epoch (undefined before the first). */
  firstDeliveredAt: number | undefined;
  lastDeliveredAt: number | undefined;
  /** Personal chats created per member id (counted in every mode). */
  readonly chats = new Map<string, number>();
  /** Every POST and PUT with its arrival time and status (only when recording). */
  readonly requests: ConnectorRequest[] = [];
  private receivedCount = 0;
  private throttledCount = 0;
  private peakCount = 0;
  private nextId = 1;
  private window: number[] = [];
  private windowStart = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly record: boolean,
    private readonly throttle: FakeConnectorOptions['throttle'],
  ) {}

  static async start(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
    let connector: FakeConnector | undefined;
    const server = createServer((req, res) => {
      void connector?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connector = new FakeConnector(server, `http://127.0.0.1:${port}/`, options.record ?? true, options.throttle);
    return connector;
  }

  /** Calls received so far, recorded or not. */
  get received(): number {
    return this.receivedCount;
  }

  /** Requests answered 429. */
  get throttled(): number {
    return this.throttledCount;
  }

  /** The most requests seen in one throttle window (0 without a throttle). */
  get peak(): number {
    return this.peakCount;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const body = await readBody(req);
    const url = req.url ?? '';
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(url);
    if (req.method === 'GET' && member) {
      const found = this.members.get(decodeURIComponent(member[2] as string));
      if (found) reply(res, 200, found);
      else
        reply(res, 404, {
          error: { code: 'MemberNotFoundInConversation', message: 'The member is not in the conversation' },
        });
      return;
    }
    const create = req.method === 'POST' && url === '/v3/conversations';
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url);
    if (!create && (!match || (req.method !== 'POST' && req.method !== 'PUT') || (req.method === 'PUT' && !match[2]))) {
      reply(res, 404, { error: { code: 'NotFound', message: `${req.method} ${url}` } });
      return;
    }
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      if (this.record) this.requests.push({ at: arrived, status });
      reply(res, status, json, headers);
    };
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body) as Record<string, unknown>;
    } catch {
      answer(400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
      return;
    }
    this.receivedCount += 1;
    if (this.overLimit(arrived)) {
      this.throttledCount += 1;
      answer(
        429,
        { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
        { 'retry-after': String(this.throttle?.retryAfterSeconds ?? 1) },
      );
      return;
    }
    const personal = create && json.isGroup === false ? ((json.members ?? []) as { id?: string }[]) : undefined;
    const target = personal ? personal[0]?.id : match ? decodeURIComponent(match[1] as string) : undefined;
    if (personal && (personal.length !== 1 || !personal[0]?.id || typeof json.tenantId !== 'string')) {
      answer(400, {
        error: { code: 'BadArgument', message: 'A personal chat needs exactly one member and the tenant id.' },
      });
    } else if (target !== undefined && req.method === 'POST' && this.failFor(target, answer)) {
      return;
    } else if (personal) {
      const memberId = personal[0]?.id as string;
      const conversationId = `a:${memberId}`;
      this.chats.set(memberId, (this.chats.get(memberId) ?? 0) + 1);
      if (this.record)
        this.calls.push({ method: 'POST', conversationId, activity: {}, id: conversationId, parameters: json });
      answer(201, { id: conversationId });
    } else if (create && this.refuseThreads > 0) {
      this.refuseThreads -= 1;
      answer(403, {
        error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' },
      });
    } else if (create) {
      const channel =
        (json.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? '19:unknown@thread.tacv2';
      const activityId = String(this.nextId++);
      const conversationId = `${channel};messageid=${activityId}`;
      if (this.record) {
        this.calls.push({
          method: 'POST',
          conversationId,
          activity: (json.activity ?? {}) as Record<string, unknown>,
          id: activityId,
          parameters: json,
        });
      }
      answer(201, { id: conversationId, activityId });
    } else if (match) {
      const conversationId = decodeURIComponent(match[1] as string);
      const id = req.method === 'PUT' ? decodeURIComponent(match[2] as string) : `1:${this.nextId++}`;
      if (req.method === 'POST') {
        this.delivered.set(conversationId, (this.delivered.get(conversationId) ?? 0) + 1);
        this.lastDeliveredAt = performance.timeOrigin + arrived;
        this.firstDeliveredAt ??= this.lastDeliveredAt;
      }
      if (this.record) {
        this.calls.push({
          method: req.method as 'POST' | 'PUT',
          conversationId,
          ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
          activity: json,
          id,
        });
      }
      answer(req.method === 'PUT' ? 200 : 201, { id });
    }
  }

  /** Counts the request in the sliding window; true when it is one too many. */
  private overLimit(now: number): boolean {
    if (!this.throttle) return false;
    while (
      this.windowStart < this.window.length &&
      (this.window[this.windowStart] as number) <= now - this.throttle.windowMs
    )
      this.windowStart += 1;
    if (this.windowStart > 4096) {
      this.window = this.window.slice(this.windowStart);
      this.windowStart = 0;
    }
    const before = this.window.length - this.windowStart;
    this.window.push(now);
    this.peakCount = Math.max(this.peakCount, before + 1);
    return before >= this.throttle.requests;
  }

  /** Answers a message to, or a chat with, `id` the way Teams fails it, if it is set to fail; true when it did. */
  private failFor(id: string, answer: (status: number, json: unknown) => void): boolean {
    if (this.gone.has(id)) {
      answer(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
      return true;
    }
    if (this.blocked.has(id)) {
      answer(403, {
        error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' },
      });
      return true;
    }
    const failures = this.unavailable.get(id) ?? 0;
    if (failures > 0) {
      this.unavailable.set(id, failures - 1);
      answer(503, { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' } });
      return true;
    }
    return false;
  }
}

export function cardsOf(activity: Record<string, unknown>): Record<string, unknown>[] {
  const attachments = (activity.attachments ?? []) as { contentType?: string; content?: Record<string, unknown> }[];
  return attachments
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content ?? {});
}
