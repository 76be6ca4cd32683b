import {
  CallerIdConstants,
  CloudAdapter,
  MessageFactory,
  type Activity,
  type InvokeResponse,
  type Request as HttpRequest,
  type Response as HttpResponse,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config.js';
import { answer, refuse } from '../http/refusals.js';
import type { Log } from '../log.js';
import type { PostwiseBot } from './bot.js';
import { fromAllowedTenant } from './tenants.js';
import { ChannelTokenVerifier, KEYS_RETRY_AFTER_S, type TokenVerdict } from './channelToken.js';
import { ReusingAuthentication } from './reusedClients.js';
import { TO_CHANNEL_SCOPE } from './channelScope.js';

/** Handles one POST /api/messages request: authenticate, run the bot, answer. */
export type MessageEndpoint = (req: unknown, res: unknown) => Promise<void>;

/** The issuer of the Bot Framework's tokens to bots (public cloud). */
const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

/**
 * The Bot Framework adapter, running turns for requests the endpoint has authenticated (see
 * messageEndpoint), so botbuilder's own token check (which answers 500 with its error text and
 * prints the signing keys to the console) never sees a request.
 */
export class PostwiseAdapter extends CloudAdapter {
  constructor(
    auth: ReusingAuthentication,
    private readonly botAppId: string,
  ) {
    super(auth);
  }

  /**
   * Runs the bot for an activity: unauthenticated in local mode, else as the channel calling this app with a verified
   * token.
   */
  run(activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const claimsIdentity = this.createClaimsIdentity(this.botAppId);
    return this.processActivity(
      {
        audience: TO_CHANNEL_SCOPE,
        callerId: this.botAppId === '' ? undefined : CallerIdConstants.PublicAzureChannel,
        claimsIdentity,
        connectorFactory: this.botFrameworkAuthentication.createConnectorFactory(claimsIdentity),
      },
      activity,
      logic,
    );
  }
}

/** With no app id the bot runs without authentication (local mode); with one, every request needs a valid token. */
export function createAdapter(
  config: Config,
  errorText: (locale: string | undefined) => string,
  log: Log,
): PostwiseAdapter {
  const auth = new ReusingAuthentication({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  });
  const adapter = new PostwiseAdapter(auth, config.bot.appId);
  adapter.onTurnError = async (context, error) => {
    log.error('turn.failed', error);
    try {
      await context.sendActivity(MessageFactory.text(errorText(context.activity.locale)));
    } catch (sendError) {
      log.error('turn.error-reply-failed', sendError);
    }
  };
  return adapter;
}

/**
 * Checks the request's token (unless in local mode) and tenant, runs the bot and answers. A bad
 * token gets 401, signing keys that cannot be fetched 503 with Retry-After, an activity from a
 * tenant that is not the organisation's 403; each with one log line, and the bot does not run.
 */
export function messageEndpoint(adapter: PostwiseAdapter, bot: PostwiseBot, config: Config, log: Log): MessageEndpoint {
  const verifier = config.localMode
    ? undefined
    : new ChannelTokenVerifier({
        appId: config.bot.appId,
        openIdMetadataUrl: config.openIdMetadataUrl,
        issuer: CHANNEL_TOKEN_ISSUER,
      });
  return async (req, res) => {
    const request = req as HttpRequest;
    const response = res as HttpResponse;
    // guardedEndpoint checked the body is an activity of the right shape.
    const activity = request.body as unknown as Activity;
    if (verifier) {
      const header = request.headers.authorization;
      const verdict = await verifier.verify(typeof header === 'string' ? header : undefined, activity);
      if (!verdict.ok) return refuseToken(response, verdict, log);
    }
    if (!fromAllowedTenant(activity, config.allowedTenants)) {
      log.info('activity.refused', { status: 403 });
      return refuse(response, 403, { code: 'Forbidden', message: "This bot serves only its organisation's tenant." });
    }
    const invoke = await adapter.run(activity, (context) => bot.run(context));
    answer(response, invoke?.status ?? 200, invoke?.body);
  };
}

function refuseToken(response: HttpResponse, verdict: Exclude<TokenVerdict, { ok: true }>, log: Log): void {
  if (verdict.status === 401) {
    log.info('auth.refused', { reason: verdict.reason });
    return refuse(response, 401, { code: 'Unauthorized', message: 'The request is not authorized.' });
  }
  log.info('auth.keys-unavailable', { reason: verdict.reason });
  refuse(
    response,
    503,
    { code: 'ServiceUnavailable', message: 'The bot cannot check requests right now. Try again later.' },
    { 'retry-after': String(KEYS_RETRY_AFTER_S) },
  );
}
