import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostwise, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { GraphCredential } from '../../src/directory/graph.js';
import type { Leadership } from '../../src/domain/leadership.js';
import type { Clock } from '../../src/domain/time/clock.js';
import { describe as describeError, type Log } from '../../src/log.js';
import type { Stores } from '../../src/storage/stores.js';
import { memoryStores } from '../../src/storage/memory.js';
import { cardsOf, FakeConnector, type ConnectorCall } from './fakeConnector.js';
import { TENANT } from './tenants.js';

/** A clock that moves one second every time it is read. */
export function steppingClock(start = '2026-11-02T09:00:00Z'): Clock {
  let t = Date.parse(start);
  return { now: () => new Date((t += 1000)) };
}

/** A Log that keeps every line, to check what the bot writes about people. */
export function collectingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (event, fields = {}) => lines.push(JSON.stringify({ event, ...fields })),
    error: (event, error) => lines.push(JSON.stringify({ event, ...describeError(error) })),
  };
}

export interface HttpResult {
  readonly status: number;
  readonly body: any;
  /** What the bot sent to the connector while handling this request. */
  readonly calls: ConnectorCall[];
  /** The cards among those calls. */
  readonly cards: Record<string, unknown>[];
  readonly texts: string[];
}

/** Where a test user's activities go, and the connector the bot answers through. */
export interface Endpoint {
  readonly connector: FakeConnector;
  post(body: unknown, init?: { headers?: Record<string, string>; raw?: string }): Promise<HttpResult>;
}

/** Posts activities to a running bot and collects what it sent to the connector meanwhile. */
export function poster(url: string, connector: FakeConnector): Endpoint['post'] {
  return async (body, init = {}) => {
    const before = connector.calls.length;
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    const calls = connector.calls.slice(before);
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      calls,
      cards: calls.flatMap((c) => cardsOf(c.activity)),
      texts: calls.flatMap((c) => (typeof c.activity.text === 'string' ? [c.activity.text] : [])),
    };
  };
}

export interface BotHarness extends Endpoint {
  readonly app: RunningApp;
  readonly stores: Stores;
  readonly log: ReturnType<typeof collectingLog>;
  user(options?: { locale?: string; name?: string }): TestUser;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly stores?: Stores;
  readonly connector?: FakeConnector;
  readonly clock?: Clock;
  /** What Graph tokens come from, for a bot pointed at a fake Graph (POSTWISE_GRAPH_URL). */
  readonly graphCredential?: GraphCredential;
  /** Which instance leads; by default the store's own (always this one on the memory store). */
  readonly leadership?: Leadership;
}

/** The real server on an ephemeral loopback port, talking to a fake Bot Connector. */
export async function startHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  const connector = options.connector ?? (await FakeConnector.start());
  const stores = options.stores ?? memoryStores();
  const log = collectingLog();
  const dir = await mkdtemp(path.join(tmpdir(), 'postwise-harness-'));
  const config = loadConfig({ PORT: '0', POSTWISE_DATA_FILE: path.join(dir, 'unused.json'), ...options.env });
  const { graphCredential, leadership } = options;
  const clock = options.clock ?? steppingClock();
  const app = await startPostwise(config, { stores, clock, log, graphCredential, leadership });

  const harness: BotHarness = {
    app,
    connector,
    // The app's own view of them: writes made here keep HR's figures up to date, as the bot's do.
    stores: app.stores,
    log,
    post: poster(app.url, connector),
    user: (opts = {}) => new TestUser(harness, opts.locale ?? 'en-US', opts.name ?? 'Anna de Vries'),
    async close() {
      await app.close();
      if (!options.connector) await connector.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The envelope every Teams activity to the bot has: who sent it, to which bot, through where. */
function teamsActivity(
  endpoint: Endpoint,
  from: { teamsId: string; name: string; aadObjectId: string },
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: endpoint.connector.url,
    channelId: 'msteams',
    from: { id: from.teamsId, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: '28:postwise-bot', name: 'Postwise' },
    ...fields,
  };
}

/** An employee in a personal chat with the bot, sending Teams-shaped activities. */
export class TestUser {
  readonly aadObjectId: string = randomUUID();
  readonly teamsId = `29:1${randomUUID().replace(/-/g, '')}`;
  readonly conversationId = `a:1${randomUUID().replace(/-/g, '')}`;
  readonly tenantId = TENANT;

  constructor(
    private readonly harness: Endpoint,
    public locale: string,
    readonly name: string,
  ) {}

  /** The same person talking to another bot instance (after a restart, say). */
  on(endpoint: Endpoint): TestUser {
    return Object.assign(new TestUser(endpoint, this.locale, this.name), {
      aadObjectId: this.aadObjectId,
      teamsId: this.teamsId,
      conversationId: this.conversationId,
    });
  }

  activity(fields: Record<string, unknown>): Record<string, unknown> {
    return teamsActivity(this.harness, this, {
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: this.tenantId },
      locale: this.locale,
      channelData: { tenant: { id: this.tenantId } },
      ...fields,
    });
  }

  say(text: string): Promise<HttpResult> {
    return this.harness.post(this.activity({ type: 'message', text }));
  }

  /** Clicks an Action.Execute button: verb and data as the card has them, plus inputs. */
  click(verb: string, data: Record<string, unknown> = {}): Promise<HttpResult> {
    return this.harness.post(
      this.activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: '1:1',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    );
  }

  /** Clicks the button a card shows, by verb, filling the given inputs. */
  press(card: Record<string, unknown>, verb: string, inputs: Record<string, string> = {}): Promise<HttpResult> {
    const action = actionsOf(card).find((a) => a.verb === verb);
    if (!action) throw new Error(`card has no ${verb} button: ${JSON.stringify(card).slice(0, 300)}`);
    return this.click(verb, { ...(action.data as Record<string, unknown>), ...inputs });
  }

  /** Drops a file into the chat, as Teams delivers it to a bot with supportsFiles. */
  sendFile(name: string, downloadUrl: string, fileType = name.split('.').pop() ?? ''): Promise<HttpResult> {
    return this.harness.post(
      this.activity({
        type: 'message',
        text: '',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            contentUrl: `https://contoso.sharepoint.com/personal/files/${encodeURIComponent(name)}`,
            name,
            content: { downloadUrl, uniqueId: randomUUID(), fileType },
          },
        ],
      }),
    );
  }

  install(): Promise<HttpResult> {
    return this.harness.post(
      this.activity({ type: 'conversationUpdate', membersAdded: [{ id: '28:postwise-bot' }, { id: this.teamsId }] }),
    );
  }
}

export function actionsOf(card: Record<string, unknown>): Record<string, unknown>[] {
  return (card.actions ?? []) as Record<string, unknown>[];
}

/** The first element of a type anywhere in a card's body (inside columns and containers too). */
export function elementOf(card: Record<string, unknown>, type: string): Record<string, unknown> | undefined {
  const children = (node: Record<string, unknown>) =>
    [node.body, node.columns, node.items].flatMap((c) => (Array.isArray(c) ? c : []));
  const queue = children(card) as Record<string, unknown>[];
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (next.type === type) return next;
    queue.push(...(children(next) as Record<string, unknown>[]));
  }
  return undefined;
}

/** All text a card shows, joined, for assertions on what a person reads. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && ['text', 'title', 'value', 'label', 'altText'].includes(key))
          parts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return parts.join('\n');
}

/** A member of a team channel the bot is installed in. */
export class ChannelMember {
  readonly aadObjectId: string = randomUUID();
  readonly teamsId = `29:1${randomUUID().replace(/-/g, '')}`;
  /** The language of this person's Teams. */
  locale = 'en-US';

  constructor(
    private readonly endpoint: Endpoint,
    readonly name: string,
    readonly channelId = '19:contact-channel@thread.tacv2',
    readonly teamId = '19:team-general@thread.tacv2',
  ) {}

  activity(conversationId: string, fields: Record<string, unknown>): Record<string, unknown> {
    return teamsActivity(this.endpoint, this, {
      conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT },
      locale: this.locale,
      channelData: { team: { id: this.teamId }, channel: { id: this.channelId }, tenant: { id: TENANT } },
      ...fields,
    });
  }

  /** A new post in the channel that @mentions the bot. */
  mention(text: string): Promise<HttpResult> {
    return this.endpoint.post(
      this.activity(`${this.channelId};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}`, {
        type: 'message',
        text: `<at>Postwise</at> ${text}`,
        entities: [
          { type: 'mention', text: '<at>Postwise</at>', mentioned: { id: '28:postwise-bot', name: 'Postwise' } },
        ],
      }),
    );
  }

  /** A reply in a thread, without mentioning the bot. */
  replyIn(threadId: string, text: string): Promise<HttpResult> {
    return this.endpoint.post(this.activity(threadId, { type: 'message', text }));
  }

  /** Clicks a button on a card in a thread. */
  click(threadId: string, verb: string, data: Record<string, unknown> = {}): Promise<HttpResult> {
    return this.endpoint.post(
      this.activity(threadId, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    );
  }
}

/**
 * What a person sees after clicking a card button: the message under the card, or the text of
 * the card that replaces it. Fails unless the answer is a 200 Teams can show.
 */
export function shown(result: HttpResult): string {
  const body = result.body as { statusCode?: unknown; type?: unknown; value?: unknown } | undefined;
  if (result.status !== 200 || body?.statusCode !== 200)
    throw new Error(`not shown: HTTP ${result.status}, ${JSON.stringify(body).slice(0, 300)}`);
  if (body.type === 'application/vnd.microsoft.activity.message' && typeof body.value === 'string' && body.value !== '')
    return body.value;
  if (body.type === 'application/vnd.microsoft.card.adaptive' && cardText(body.value) !== '')
    return cardText(body.value);
  throw new Error(`not shown: ${JSON.stringify(body).slice(0, 300)}`);
}
