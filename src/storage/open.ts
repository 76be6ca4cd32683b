import type { StoreConfig } from '../config.js';
import { openAzureStores } from './azure/stores.js';
import { openLowdbStores } from './lowdb/stores.js';
import type { Stores } from './stores.js';

/** The stores the configuration names: the embedded store at `dataFile`, or Azure Tables. */
export function openStores(store: StoreConfig, dataFile: string, now: Date): Promise<Stores> {
  return store.kind === 'azure-tables' ? openAzureStores(store.account, store.prefix) : openLowdbStores(dataFile, now);
}
