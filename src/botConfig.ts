import { ConfigError } from './domain/configError.js';
import { GUID, httpsOrLoopback, httpUrl, text, type Env } from './configValues.js';

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

/** The bot's Microsoft app registration; an empty appId means local mode. */
export interface BotConfig {
  readonly appId: string;
  readonly appPassword: string;
  readonly appType: (typeof APP_TYPES)[number];
  readonly tenantId: string;
}

/** MicrosoftAppId, MicrosoftAppType, MicrosoftAppTenantId and MicrosoftAppPassword, checked together. */
export function botConfig(env: Env): BotConfig {
  const appId = text(env, 'MicrosoftAppId') ?? '';
  const appType = text(env, 'MicrosoftAppType') ?? 'MultiTenant';
  if (!(APP_TYPES as readonly string[]).includes(appType)) {
    throw new ConfigError('MicrosoftAppType', `must be one of ${APP_TYPES.join(', ')} (got '${appType}')`);
  }
  if (appId !== '' && !GUID.test(appId)) {
    throw new ConfigError('MicrosoftAppId', `must be the bot's Microsoft app id, a GUID (got '${appId}')`);
  }
  const tenantId = text(env, 'MicrosoftAppTenantId') ?? '';
  if (tenantId !== '' && !GUID.test(tenantId)) {
    throw new ConfigError('MicrosoftAppTenantId', `must be a GUID (got '${tenantId}')`);
  }
  const appPassword = env.MicrosoftAppPassword ?? '';
  if (appId !== '' && appType !== 'UserAssignedMSI' && appPassword === '') {
    throw new ConfigError(
      'MicrosoftAppPassword',
      `is required when MicrosoftAppId is set and MicrosoftAppType is ${appType}`,
    );
  }
  if (appId !== '' && appType !== 'MultiTenant' && tenantId === '') {
    throw new ConfigError('MicrosoftAppTenantId', `is required when MicrosoftAppType is ${appType}`);
  }
  return Object.freeze({ appId, appPassword, appType: appType as BotConfig['appType'], tenantId });
}

/** POSTWISE_ALLOWED_TENANTS, else MicrosoftAppTenantId; one of them is required once MicrosoftAppId is set. */
export function allowedTenants(env: Env, tenantId: string, localMode: boolean): string[] {
  const name = 'POSTWISE_ALLOWED_TENANTS';
  const entries = (text(env, name) ?? tenantId)
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  for (const entry of entries) {
    if (!GUID.test(entry))
      throw new ConfigError(name, `must be a comma-separated list of Entra tenant ids, GUIDs (got '${entry}')`);
  }
  if (entries.length === 0 && !localMode) {
    throw new ConfigError(
      name,
      "is required when MicrosoftAppId is set: the organisation's Entra tenant id (MicrosoftAppTenantId is " +
        'used when that is set)',
    );
  }
  return [...new Set(entries)];
}

/** Where the keys that sign tokens come from: https, or plain http on this machine only (a test's fake). */
export function openIdMetadataUrl(env: Env): string {
  const name = 'POSTWISE_OPENID_METADATA_URL';
  return httpsOrLoopback(name, httpUrl(env, name, 'https://login.botframework.com/v1/.well-known/openidconfiguration'));
}
