import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  /** False keeps no calls, only their count in `received` (for long load runs). Default true. */
  readonly record?: boolean;
}

/**
 * A Bot Connector service on loopback that answers the way the real one does:
 * POST /v3/conversations/{id}/activities[/{replyToId}] -> 201 { id },
 * PUT /v3/conversations/{id}/activities/{activityId} -> 200 { id },
 * POST /v3/conversations (a new channel thread) -> 201 { id: '<channel>;messageid=<n>', activityId },
 * GET /v3/conversations/{id}/members/{memberId} -> the member, or 404.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Team members by Teams user id, as GET …/members/{id} returns them. */
  readonly members = new Map<string, Record<string, unknown>>();
  /** How many of the next thread creations to refuse with 403, as Teams does when the bot is not in the team. */
  refuseThreads = 0;
  private receivedCount = 0;
  private nextId = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly record: boolean,
  ) {}

  static async start(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
    let connector: FakeConnector | undefined;
    const server = createServer((req, res) => {
      void connector?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connector = new FakeConnector(server, `http://127.0.0.1:${port}/`, options.record ?? true);
    return connector;
  }

  /** Calls received so far, recorded or not. */
  get received(): number {
    return this.receivedCount;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '';
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(url);
    if (req.method === 'GET' && member) {
      const found = this.members.get(decodeURIComponent(member[2] as string));
      if (found) reply(res, 200, found);
      else reply(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not in the conversation' } });
      return;
    }
    const create = req.method === 'POST' && url === '/v3/conversations';
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url);
    if (!create && (!match || (req.method !== 'POST' && req.method !== 'PUT') || (req.method === 'PUT' && !match[2]))) {
      reply(res, 404, { error: { code: 'NotFound', message: `${req.method} ${url}` } });
      return;
    }
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body) as Record<string, unknown>;
    } catch {
      reply(res, 400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
      return;
    }
    this.receivedCount += 1;
    if (create && this.refuseThreads > 0) {
      this.refuseThreads -= 1;
      reply(res, 403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
    } else if (create) {
      const channel = ((json.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? '19:unknown@thread.tacv2') as string;
      const activityId = String(this.nextId++);
      const conversationId = `${channel};messageid=${activityId}`;
      if (this.record) {
        this.calls.push({ method: 'POST', conversationId, activity: (json.activity ?? {}) as Record<string, unknown>, id: activityId, parameters: json });
      }
      reply(res, 201, { id: conversationId, activityId });
    } else if (match) {
      const id = req.method === 'PUT' ? decodeURIComponent(match[2] as string) : `1:${this.nextId++}`;
      if (this.record) {
        this.calls.push({
          method: req.method as 'POST' | 'PUT',
          conversationId: decodeURIComponent(match[1] as string),
          ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
          activity: json,
          id,
        });
      }
      reply(res, req.method === 'PUT' ? 200 : 201, { id });
    }
  }
}

export function cardsOf(activity: Record<string, unknown>): Record<string, unknown>[] {
  const attachments = (activity.attachments ?? []) as { contentType?: string; content?: Record<string, unknown> }[];
  return attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content ?? {});
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
