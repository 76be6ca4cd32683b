import type { StoreConfig } from './storeConfig.js';
import { soleInstance, type Leadership } from '../domain/leadership.js';
import type { Log } from '../domain/log.js';
import { openLowdbStores } from './lowdb/stores.js';
import type { Stores } from './stores.js';

// The Azure Tables adapter (and its SDK, ~15 MB of memory) is loaded only when the configuration names it.

/** The stores the configuration names: the embedded store at `dataFile`, or Azure Tables. */
export async function openStores(store: StoreConfig, dataFile: string, now: Date, log?: Log): Promise<Stores> {
  if (store.kind !== 'azure-tables') return openLowdbStores(dataFile, now, undefined, log);
  const { openAzureStores } = await import('./azure/stores.js');
  return openAzureStores(store.account, store.prefix);
}

/**
 * Who runs the background work: a lease on Azure Tables, where instances share the store; the one instance otherwise.
 */
export async function leadershipFor(store: StoreConfig, log: Log): Promise<Leadership> {
  if (store.kind !== 'azure-tables') return soleInstance();
  const [{ TableLease }, { TablesConnection }] = await Promise.all([
    import('./azure/lease.js'),
    import('./azure/stores.js'),
  ]);
  return new TableLease(
    new TablesConnection(store.account, store.prefix).client('leases'),
    store.leaseSeconds * 1000,
    log,
  );
}
