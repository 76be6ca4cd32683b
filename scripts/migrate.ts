/** `npm run migrate -- --to azure-tables`: copies the embedded store into Azure Tables. */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.js';
import { lockStore } from '../src/storage/lowdb/storeLock.js';
import { migrateToTables } from '../src/storage/migrate.js';

const USAGE = `Usage: npm run migrate -- --to azure-tables

Copies the embedded store (POSTWISE_DATA_FILE) into Azure Tables (POSTWISE_TABLES_URL or
POSTWISE_TABLES_CONNECTION_STRING, and POSTWISE_TABLE_PREFIX if set). Records already in the
tables are kept, so it can run again; nothing is deleted from the embedded store.
Run it while Postwise is stopped, then start Postwise with POSTWISE_STORE=azure-tables.`;

async function main(args: readonly string[]): Promise<number> {
  if (args.length !== 2 || args[0] !== '--to' || args[1] !== 'azure-tables') {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig({ ...process.env, POSTWISE_STORE: 'azure-tables' });
  if (config.store.kind !== 'azure-tables') return 2;
  if (!existsSync(config.dataFile)) {
    console.error(`There is no embedded store at ${config.dataFile} (POSTWISE_DATA_FILE).`);
    return 1;
  }
  const lock = await lockStore(config.dataFile);
  if ('heldBy' in lock) {
    const holds = `Postwise is running (process ${lock.heldBy}) and holds ${config.dataFile}.`;
    console.error(`${holds} Stop it first, then run this again.`);
    return 1;
  }
  const { account, prefix } = config.store;
  const copies = await migrateToTables(config.dataFile, account, prefix).finally(() => lock.release());
  const width = Math.max(...copies.map((c) => c.table.length));
  console.log(`${'table'.padEnd(width)}  records   copied  already there`);
  for (const c of copies)
    console.log(
      `${c.table.padEnd(width)}  ${String(c.records).padStart(7)}  ${String(c.copied).padStart(7)}  ` +
        `${String(c.kept).padStart(13)}`,
    );
  const total = copies.reduce((sum, c) => sum + c.records, 0);
  console.log(`${total} records in the embedded store; ${copies.reduce((sum, c) => sum + c.copied, 0)} copied now.`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else
    console.error(
      `Migration stopped: ${error instanceof Error ? error.name : 'error'}. Nothing was deleted; run it ` +
        'again to go on.',
    );
  process.exitCode = 1;
}
