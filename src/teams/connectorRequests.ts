import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { Config } from '../config.js';
import type { RequestOutcome } from '../domain/campaigns/deliveryPolicy.js';
import type { ConversationRef, ConversationStore } from '../domain/conversations/ports.js';
import type { TeamsPlace } from '../domain/conversations/ports.js';
import type { OutboundMessage, ProactiveRequests } from '../domain/outbound/ports.js';
import { networkFailure } from '../domain/outbound/networkFailure.js';
import { TO_CHANNEL_SCOPE } from './channelScope.js';

/**
 * Installs the Teams app for a person (Graph `POST /users/{id}/teamwork/installedApps`); "already installed" is
 * success.
 */
export interface AppInstaller {
  /** Throws on failure; an error with a numeric `status` says what Graph answered. */
  install(aadObjectId: string): Promise<void>;
}

/** A bearer token for the Bot Connector, or undefined in local mode (no app id). */
export type ConnectorToken = () => Promise<string | undefined>;

/** The authority botbuilder's public-cloud authentication uses for bot-to-channel calls. */
const TO_CHANNEL_LOGIN = 'https://login.microsoftonline.com/botframework.com';
const TIMEOUT_MS = 30_000;
/**
 * Connector tokens from the bot's credentials, the same way the adapter gets them (password, certificate or managed
 * identity).
 */
export function connectorToken(bot: Config['bot']): ConnectorToken {
  const factory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId,
  });
  let credentials: ReturnType<typeof factory.createCredentials> | undefined;
  return async () => {
    if (bot.appId === '') return undefined;
    credentials ??= factory
      .createCredentials(bot.appId, TO_CHANNEL_SCOPE, TO_CHANNEL_LOGIN, true)
      .catch((error: unknown) => {
        credentials = undefined;
        throw error;
      });
    const headers: Record<string, string> = {};
    // signRequest fetches (or reuses the cached) token and sets the Authorization header.
    await (
      await credentials
    ).signRequest({
      headers: { set: (name: string, value: string) => (headers[name.toLowerCase()] = value) },
    } as never);
    return headers.authorization?.replace(/^Bearer\s+/i, '');
  };
}

/**
 * Proactive messages to one person at a time over the Bot Connector REST API, one HTTP request
 * per call, so the caller sees every status code and paces every request itself. (botbuilder's
 * ConnectorClient retries 429 and 5xx on its own, which would hide them and break the pacing.)
 */
export class ConnectorRequests implements ProactiveRequests<ConversationRef> {
  constructor(
    private readonly token: ConnectorToken,
    private readonly conversations: ConversationStore,
    private readonly installer?: AppInstaller,
  ) {}

  chatWith(aadObjectId: string): Promise<ConversationRef | undefined> {
    return this.conversations.get(aadObjectId);
  }

  /**
   * Installs the app for the person through the installer; undefined when it is installed (or there is no installer).
   */
  async install(aadObjectId: string): Promise<RequestOutcome | undefined> {
    if (!this.installer) return undefined;
    try {
      await this.installer.install(aadObjectId);
      return undefined;
    } catch (error) {
      const status = (error as { status?: unknown } | undefined)?.status;
      return { kind: 'install-failed', ...(typeof status === 'number' ? { status } : {}) };
    }
  }

  /**
   * Creates (or finds: Teams answers the same id again) the personal chat with the person and
   * stores its reference under their Entra object id. One request.
   */
  async createConversation(
    place: TeamsPlace,
    aadObjectId: string,
  ): Promise<{ ref: ConversationRef } | { outcome: RequestOutcome }> {
    const body = {
      isGroup: false,
      ...(place.botId ? { bot: { id: place.botId } } : {}),
      members: [{ id: aadObjectId }],
      tenantId: place.tenantId,
      channelData: { tenant: { id: place.tenantId } },
    };
    const url = `${withSlash(place.serviceUrl)}v3/conversations`;
    const { outcome, json } = await postToConnector(this.token, url, body);
    const id = (json as { id?: unknown } | undefined)?.id;
    if (outcome.kind !== 'response' || outcome.status < 200 || outcome.status >= 300) return { outcome };
    if (typeof id !== 'string' || id === '')
      return { outcome: { kind: 'response', status: 502, code: 'NoConversationId' } };
    const ref: ConversationRef = {
      serviceUrl: place.serviceUrl,
      channelId: 'msteams',
      conversationId: id,
      botId: place.botId ?? '',
      tenantId: place.tenantId,
    };
    await this.conversations.put(aadObjectId, ref);
    return { ref };
  }

  /** Posts the message into the conversation. One request. */
  async send(ref: ConversationRef, message: OutboundMessage): Promise<RequestOutcome> {
    const url = `${withSlash(ref.serviceUrl)}v3/conversations/${encodeURIComponent(ref.conversationId)}/activities`;
    const activity = {
      type: 'message',
      ...message,
      channelId: ref.channelId,
      conversation: { id: ref.conversationId, ...(ref.tenantId ? { tenantId: ref.tenantId } : {}) },
      ...(ref.botId ? { from: { id: ref.botId } } : {}),
    };
    return (await postToConnector(this.token, url, activity)).outcome;
  }
}

/** One POST to the Bot Connector: what Teams answered (or why nothing was), and the JSON body. */
export async function postToConnector(
  token: ConnectorToken,
  url: string,
  body: unknown,
): Promise<{ outcome: RequestOutcome; json?: unknown }> {
  let bearer: string | undefined;
  try {
    bearer = await token();
  } catch {
    // No request went out: as safe to retry as a refused connection.
    return { outcome: { kind: 'network', code: 'NoToken', reached: false } };
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { outcome: { kind: 'network', ...networkFailure(error) } };
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
  const retryAfter = response.headers.get('retry-after');
  return {
    outcome: {
      kind: 'response',
      status: response.status,
      ...(typeof code === 'string' ? { code } : {}),
      ...(retryAfter !== null ? { retryAfter } : {}),
    },
    json,
  };
}

export const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
