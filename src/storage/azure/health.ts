import type { TableClient } from '@azure/data-tables';
import type { StoreHealth } from '../stores.js';
import { statusOf } from './azureTable.js';

/**
 * Whether Azure Tables answers: one point read of a row that is never written, so a 404 is the
 * store answering. Any other HTTP status says it is failing; no status means it could not be reached.
 */
export async function tablesHealth(client: TableClient, signal: AbortSignal): Promise<StoreHealth> {
  try {
    await client.getEntity('healthz', 'healthz', { abortSignal: signal });
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return { ok: true };
    return { ok: false, reason: status === undefined ? 'not answering' : `answered HTTP ${status}` };
  }
  return { ok: true };
}
