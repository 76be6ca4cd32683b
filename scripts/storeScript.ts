/** What the scripts that read the bot's store share: opening it as the bot does, and their exit. */
import { existsSync } from 'node:fs';
import { ConfigError, type Config } from '../src/config.js';
import { openStores } from '../src/storage/open.js';
import type { Stores } from '../src/storage/stores.js';

/** A store that is not there; the message says where it was looked for. */
class NoStore extends Error {}

/** The bot's stores as configured; refuses an embedded store whose file does not exist. */
export function openExistingStores(config: Config, now: Date): Promise<Stores> {
  if (config.store.kind === 'embedded' && !existsSync(config.dataFile)) {
    const message = `No Postwise store at ${config.dataFile}. Set POSTWISE_DATA_FILE to the bot's data file.`;
    return Promise.reject(new NoStore(message));
  }
  return openStores(config.store, config.dataFile, now);
}

/** Runs a script's `main` on its arguments; a configuration error or a missing store ends it with code 1. */
export async function runScript(main: (args: readonly string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof NoStore)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
