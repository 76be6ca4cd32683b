import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request as HttpRequest,
  type Response as HttpResponse,
} from 'botbuilder';
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import type { PostwiseBot } from './bot.js';

/** Handles one POST /api/messages request: authenticate, run the bot, answer. */
export type MessageEndpoint = (req: unknown, res: unknown) => Promise<void>;

/**
 * The Bot Framework adapter. With no app id the Bot Framework runs without authentication
 * (local mode); with one, every request needs a valid token.
 */
export function createAdapter(config: Config, errorText: (locale: string | undefined) => string, log: Log): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
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

export function messageEndpoint(adapter: CloudAdapter, bot: PostwiseBot): MessageEndpoint {
  return (req, res) => adapter.process(req as HttpRequest, res as HttpResponse, (context) => bot.run(context));
}
