import type { StoreConfig } from '../storeConfig.js';
import { soleInstance, type Leadership } from '../domain/leadership.js';
import type { Log } from '../log.js';
import { TableLease } from './azure/lease.js';
import { openAzureStores, TablesConnection } from './azure/stores.js';
import { openLowdbStores } from './lowdb/stores.js';
import type { Stores } from './stores.js';

/** The stores the configuration names: the embedded store at `dataFile`, or Azure Tables. */
export function openStores(store: StoreConfig, dataFile: string, now: Date): Promise<Stores> {
  return store.kind === 'azure-tables' ? openAzureStores(store.account, store.prefix) : openLowdbStores(dataFile, now);
}

/** Who runs the background work: a lease on Azure Tables, where instances share the store; the one instance otherwise. */
export function leadershipFor(store: StoreConfig, log: Log): Leadership {
  if (store.kind !== 'azure-tables') return soleInstance();
  return new TableLease(new TablesConnection(store.account, store.prefix).client('leases'), store.leaseSeconds * 1000, log);
}
