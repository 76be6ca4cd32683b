import { chatLink } from './domain/outbound/chatLink.js';
import { ConfigError } from './domain/configError.js';
import { GUID, httpsOrLoopback, text, type Env } from './configValues.js';

/** Where learning records go in Viva Learning: the provider the admin registered, and the course's link. */
export interface VivaConfig {
  /** The learning provider's registration id, from `npm run viva -- register`. */
  readonly providerId: string;
  /** What the course's learning content opens: the chat with Postwise in Teams. */
  readonly contentUrl: string;
}

/**
 * POSTWISE_VIVA_*: off (undefined) unless POSTWISE_VIVA_PROVIDER_ID is set. The course's link is the Teams
 * deep link to the chat with the bot (MicrosoftAppId), unless POSTWISE_VIVA_CONTENT_URL names another.
 */
export function vivaConfig(env: Env, botAppId: string): VivaConfig | undefined {
  const providerId = text(env, 'POSTWISE_VIVA_PROVIDER_ID');
  const url = text(env, 'POSTWISE_VIVA_CONTENT_URL');
  if (providerId === undefined) {
    if (url !== undefined)
      throw new ConfigError(
        'POSTWISE_VIVA_CONTENT_URL',
        'is set, but POSTWISE_VIVA_PROVIDER_ID is not: set the provider id too, or unset it',
      );
    return undefined;
  }
  if (!GUID.test(providerId))
    throw new ConfigError(
      'POSTWISE_VIVA_PROVIDER_ID',
      `must be the learning provider's id that \`npm run viva -- register\` printed, a GUID (got '${providerId}')`,
    );
  if (url !== undefined)
    return Object.freeze({ providerId, contentUrl: httpsOrLoopback('POSTWISE_VIVA_CONTENT_URL', url) });
  if (botAppId === '')
    throw new ConfigError(
      'POSTWISE_VIVA_PROVIDER_ID',
      "needs MicrosoftAppId for the course's link to the chat with Postwise (or POSTWISE_VIVA_CONTENT_URL)",
    );
  return Object.freeze({ providerId, contentUrl: chatLink(botAppId) });
}
