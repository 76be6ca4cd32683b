import { ConfigError } from './domain/configError.js';
import { httpsOrLoopback, text, type Env } from './configValues.js';

/** Where learning records go as xAPI statements, and who they name. */
export interface XapiConfig {
  /** The LRS's xAPI base, without a trailing slash: statements go to `{endpoint}/statements`. */
  readonly endpoint: string;
  readonly key: string;
  readonly secret: string;
  /** `account` (the Entra object id in the tenant) unless the organisation chose `email`. */
  readonly actor: 'account' | 'email';
  /** The account's homePage: the tenant's sign-in address. */
  readonly homePage: string;
}

/** POSTWISE_XAPI_*: off (undefined) unless POSTWISE_XAPI_ENDPOINT is set; then key and secret are required. */
export function xapiConfig(env: Env, tenants: readonly string[]): XapiConfig | undefined {
  const raw = text(env, 'POSTWISE_XAPI_ENDPOINT');
  for (const name of ['POSTWISE_XAPI_KEY', 'POSTWISE_XAPI_SECRET', 'POSTWISE_XAPI_ACTOR']) {
    if (raw === undefined && text(env, name) !== undefined)
      throw new ConfigError(name, 'is set, but POSTWISE_XAPI_ENDPOINT is not: set the LRS endpoint too, or unset it');
  }
  if (raw === undefined) return undefined;
  const url = new URL(httpsOrLoopback('POSTWISE_XAPI_ENDPOINT', raw));
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw new ConfigError(
      'POSTWISE_XAPI_ENDPOINT',
      `must be the LRS's xAPI base URL without query, fragment or credentials (got '${raw}')`,
    );
  const endpoint = url.toString().replace(/\/+$/, '');
  const key = text(env, 'POSTWISE_XAPI_KEY');
  if (key === undefined || key.includes(':'))
    throw new ConfigError('POSTWISE_XAPI_KEY', "is required with POSTWISE_XAPI_ENDPOINT: the LRS's key, without ':'");
  const secret = text(env, 'POSTWISE_XAPI_SECRET');
  if (secret === undefined)
    throw new ConfigError('POSTWISE_XAPI_SECRET', "is required with POSTWISE_XAPI_ENDPOINT: the LRS's secret");
  const actor = text(env, 'POSTWISE_XAPI_ACTOR') ?? 'account';
  if (actor !== 'account' && actor !== 'email')
    throw new ConfigError('POSTWISE_XAPI_ACTOR', `must be account or email (got '${actor}')`);
  if (tenants.length !== 1)
    throw new ConfigError(
      'POSTWISE_XAPI_ENDPOINT',
      'needs the one tenant the bot serves, for the actor account: set MicrosoftAppTenantId or ' +
        `POSTWISE_ALLOWED_TENANTS to one tenant id (${tenants.length} set)`,
    );
  const homePage = `https://login.microsoftonline.com/${tenants[0]}`;
  return Object.freeze({ endpoint, key, secret, actor, homePage });
}
