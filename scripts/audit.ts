/**
 * `npm run audit -- export [file]`: writes every acknowledgement in the store's event
 * log (who, which policy version, when) as an Excel-ready CSV file for HR's records.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { localDate } from '../src/domain/time/calendar.js';
import { auditCsv } from '../src/reports/auditCsv.js';
import { openExistingStores, runScript } from './storeScript.js';

const USAGE = `Usage: npm run audit -- export [file]

  export [file]   Write the acknowledgements (user, policy version, time) as CSV.
                  file defaults to audit-<today>.csv in this folder; - writes to stdout.

Reads the store at POSTWISE_DATA_FILE (default data/postwise.json), or Azure Tables when
POSTWISE_STORE is azure-tables.`;

async function main(args: readonly string[]): Promise<number> {
  const [command, target, ...extra] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'export') {
    console.error(`Unknown command '${command}'.\n\n${USAGE}`);
    return 2;
  }
  if (extra.length > 0) {
    console.error(`export takes one file name at most (got ${args.length - 1} arguments).\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const now = new Date();
  const stores = await openExistingStores(config, now);
  const { body, rows } = await auditCsv(stores).finally(() => stores.close());
  if (target === '-') {
    process.stdout.write(body);
    console.error(`Wrote ${rows} acknowledgements.`);
    return 0;
  }
  const file = path.resolve(target ?? `audit-${localDate(now, config.timeZone)}.csv`);
  try {
    await writeFile(file, body);
  } catch (error) {
    console.error(`Could not write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
    return 1;
  }
  console.log(`Wrote ${rows} acknowledgements to ${path.relative(process.cwd(), file) || file}.`);
  return 0;
}

await runScript(main);
