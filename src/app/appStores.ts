import { ConfigError, type Config } from '../config.js';
import type { CoverageIndex } from '../domain/figures/coverageIndex.js';
import type { Log } from '../domain/log.js';
import type { Clock } from '../domain/time/clock.js';
import { indexedStores } from '../storage/indexedStores.js';
import { lockStore } from '../storage/lowdb/storeLock.js';
import { openStores } from '../storage/open.js';
import type { Stores } from '../storage/stores.js';

/** The stores as the app writes through them, and how to let go of them. */
export interface AppStores {
  /** Every write through these keeps HR's figures (the index) up to date. */
  readonly stores: Stores;
  /** Closes the stores and releases the embedded store's lock. */
  close(): Promise<void>;
}

/**
 * Opens the stores the configuration names (or takes those given), feeding HR's figures. The
 * embedded store belongs to one process: the roster CLI refuses while the bot runs, and the other way round.
 */
export async function openAppStores(
  config: Config,
  given: Stores | undefined,
  index: CoverageIndex,
  clock: Clock,
  log: Log,
): Promise<AppStores> {
  const lock = given || config.store.kind === 'azure-tables' ? undefined : await lockStore(config.dataFile);
  if (lock && 'heldBy' in lock) {
    const problem = `(${config.dataFile}) is in use by process ${lock.heldBy}: stop it first`;
    throw new ConfigError('POSTWISE_DATA_FILE', problem);
  }
  const stores = indexedStores(given ?? (await openStores(config.store, config.dataFile, clock.now(), log)), index);
  return {
    stores,
    close: async () => {
      await stores.close();
      await lock?.release();
    },
  };
}
