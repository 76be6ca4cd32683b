import { ConfigError } from './domain/configError.js';
import { httpsOrLoopback, text as read, type Env } from './configValues.js';
import type { StoreConfig } from './storage/storeConfig.js';

export type { StoreConfig } from './storage/storeConfig.js';

/** POSTWISE_STORE and, for azure-tables, the account, table prefix and lease. */
export function storeConfig(env: Env): StoreConfig {
  const kind = read(env, 'POSTWISE_STORE') ?? 'embedded';
  if (kind === 'embedded') return Object.freeze({ kind });
  if (kind !== 'azure-tables')
    throw new ConfigError('POSTWISE_STORE', `must be embedded or azure-tables (got '${kind}')`);
  const url = read(env, 'POSTWISE_TABLES_URL');
  const connectionString = read(env, 'POSTWISE_TABLES_CONNECTION_STRING');
  if (url !== undefined && connectionString !== undefined) {
    throw new ConfigError(
      'POSTWISE_TABLES_CONNECTION_STRING',
      'must not be set together with POSTWISE_TABLES_URL: set one of them',
    );
  }
  if (url === undefined && connectionString === undefined) {
    throw new ConfigError(
      'POSTWISE_TABLES_URL',
      "is required when POSTWISE_STORE is azure-tables: the account's table endpoint, e.g. " +
        'https://<account>.table.core.windows.net (or set POSTWISE_TABLES_CONNECTION_STRING)',
    );
  }
  const prefix = read(env, 'POSTWISE_TABLE_PREFIX') ?? 'postwise';
  if (!/^[A-Za-z][A-Za-z0-9]{0,29}$/.test(prefix)) {
    throw new ConfigError(
      'POSTWISE_TABLE_PREFIX',
      `must be a letter followed by up to 29 letters and digits (got '${prefix}')`,
    );
  }
  const lease = read(env, 'POSTWISE_LEASE_SECONDS') ?? '30';
  const leaseSeconds = Number(lease);
  if (!Number.isFinite(leaseSeconds) || leaseSeconds < 2 || leaseSeconds > 50) {
    throw new ConfigError('POSTWISE_LEASE_SECONDS', `must be a number of seconds from 2 to 50 (got '${lease}')`);
  }
  const account = url === undefined ? { connectionString: connectionString as string } : { url: tableEndpoint(url) };
  return Object.freeze({ kind, account: Object.freeze(account), prefix, leaseSeconds });
}

/** An https URL, or http on this machine (Azurite), without a trailing slash. */
function tableEndpoint(raw: string): string {
  return httpsOrLoopback('POSTWISE_TABLES_URL', raw).replace(/\/+$/, '');
}
