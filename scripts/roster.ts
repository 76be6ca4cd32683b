/** `npm run roster -- import <file.csv> [--accept-errors] | sync | show`: the IT admin's roster commands. */
import { readFile, stat } from 'node:fs/promises';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { parseRosterCsv, rosterSizeProblem, type RosterProblem } from '../src/directory/csvRoster.js';
import { systemClock } from '../src/domain/time/clock.js';
import type { RosterRow } from '../src/domain/roster/roster.js';
import { RosterService, type RosterPlan } from '../src/domain/roster/rosterService.js';
import { lockStore, type StoreLock } from '../src/storage/lowdb/storeLock.js';
import { openStores } from '../src/storage/open.js';

const USAGE = `Usage: npm run roster -- <command>

  import <file.csv> [--accept-errors]
        Load the roster from a CSV file with the columns name, email, department, role
        (optional: Entra object id, employee number), separated by , or ;.
        A file with errors imports nothing, unless --accept-errors imports its valid rows.
  sync  Load the roster from Microsoft Graph (needs POSTWISE_ROSTER_SOURCE=graph).
  show  Summarise the roster.

People missing from a new roster become inactive; nobody is deleted.
With the embedded store (POSTWISE_DATA_FILE) import and sync refuse while the bot runs: stop it
first. With POSTWISE_STORE=azure-tables they write to Azure Tables, while the bot runs or not.`;

/** A failure the admin can fix; the message says how. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

type Command =
  { name: 'import'; file: string; acceptErrors: boolean } | { name: 'sync' } | { name: 'show' } | { name: 'help' };

function command(args: readonly string[]): Command {
  const [name, ...rest] = args;
  if (name === 'help' || name === '--help' || name === '-h') return { name: 'help' };
  const flags = rest.filter((a) => a.startsWith('--'));
  const operands = rest.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => name !== 'import' || f !== '--accept-errors');
  if (unknown.length > 0) throw new Refusal(`Unknown option ${unknown.join(', ')}.\n\n${USAGE}`, 2);
  if (name === 'import') {
    const [file, ...extra] = operands;
    if (file === undefined || extra.length > 0) throw new Refusal(`import takes one CSV file.\n\n${USAGE}`, 2);
    return { name, file, acceptErrors: flags.includes('--accept-errors') };
  }
  if ((name === 'sync' || name === 'show') && operands.length === 0) return { name };
  throw new Refusal(name === undefined ? USAGE : `Unknown command '${[name, ...operands].join(' ')}'.\n\n${USAGE}`, 2);
}

async function readRoster(file: string): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Refusal(
      code === 'ENOENT' ? `There is no file ${file}.` : `Cannot read ${file} (${code ?? (error as Error).message}).`,
    );
  }
  const tooLarge = rosterSizeProblem(size);
  if (tooLarge) throw new Refusal(`${file}: ${tooLarge.reason}`);
  try {
    return await readFile(file);
  } catch (error) {
    throw new Refusal(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

function describeProblems(file: string, problems: readonly RosterProblem[]): string {
  return problems.map((p) => (p.line > 0 ? `${file}, line ${p.line}: ${p.reason}` : `${file}: ${p.reason}`)).join('\n');
}

function describePlan(plan: RosterPlan): string {
  return (
    `${plan.added.length} added, ${plan.updated.length} updated, ${plan.reactivated.length} reactivated, ` +
    `${plan.deactivated.length} deactivated, ${plan.unchanged} unchanged.`
  );
}

async function importCsv(config: Config, roster: RosterService, file: string, acceptErrors: boolean): Promise<string> {
  if (config.rosterSource !== 'csv') {
    throw new Refusal(
      'POSTWISE_ROSTER_SOURCE is graph: the roster comes from Microsoft Graph. Run `npm run roster -- sync`, ' +
        'or set POSTWISE_ROSTER_SOURCE=csv.',
    );
  }
  const { rows, problems, skippedEmails } = parseRosterCsv(await readRoster(file));
  const fileLevel = problems.some((p) => p.line <= 1) || rows.length === 0;
  if (problems.length > 0 && (fileLevel || !acceptErrors)) {
    const advice = fileLevel
      ? 'Nothing was imported. Fix the file and import it again.'
      : `Nothing was imported: ${problems.length} of ${rows.length + problems.length} rows have problems. ` +
        (`Fix the file and import it again, or run the import again with --accept-errors to import only the ` +
          `${rows.length} valid rows.`);
    throw new Refusal(`${describeProblems(file, problems)}\n\n${advice}`);
  }
  const plan = await roster.apply(
    rows.map((r) => r.row),
    'csv',
    { keep: skippedEmails },
  );
  const skipped =
    problems.length > 0
      ? `\n${describeProblems(file, problems)}\nSkipped ${problems.length} rows with problems ` +
        '(--accept-errors); the people on them stay as they were.'
      : '';
  return `${skipped}\nImported ${rows.length} rows from ${file}: ${describePlan(plan)}`.trimStart();
}

async function sync(config: Config, roster: RosterService): Promise<string> {
  if (config.rosterSource !== 'graph') {
    throw new Refusal(
      'sync reads the roster from Microsoft Graph, but POSTWISE_ROSTER_SOURCE is csv. Set ' +
        'POSTWISE_ROSTER_SOURCE=graph, or use `npm run roster -- import <file.csv>`.',
    );
  }
  // Loaded here: @azure/identity takes a while to load, and only sync needs it.
  const { GraphClient, GraphError, graphCredential } = await import('../src/directory/graph.js');
  const graph = new GraphClient({ baseUrl: config.graphUrl, credential: graphCredential() });
  let rows: RosterRow[];
  try {
    rows = await graph.listUsers();
  } catch (error) {
    if (error instanceof GraphError) throw new Refusal(`${error.message}\nNothing was changed.`);
    throw error;
  }
  return `Synchronised ${rows.length} users from Microsoft Graph: ${describePlan(await roster.apply(rows, 'graph'))}`;
}

async function show(roster: RosterService): Promise<string> {
  const s = await roster.summary();
  if (s.active + s.inactive === 0)
    return 'The roster is empty. Load it with `npm run roster -- import <file.csv>` or `npm run roster -- sync`.';
  const sources = Object.entries(s.sources)
    .filter(([, n]) => n > 0)
    .map(([source, n]) => `${n} from ${source}`)
    .join(', ');
  const departments = s.departments
    .map((d) => `  ${d.name === '' ? '(no department)' : d.name}: ${d.active}`)
    .join('\n');
  return (
    `Roster: ${s.active} active${sources ? ` (${sources})` : ''}, ${s.inactive} inactive; last change ` +
    `${s.lastChange}.\nActive by department:\n${departments}`
  );
}

async function main(args: readonly string[]): Promise<string> {
  const cmd = command(args);
  if (cmd.name === 'help') return USAGE;
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new Refusal(error.message, 2);
    throw error;
  }
  const lock = cmd.name === 'show' ? undefined : await embeddedStoreFor(config);
  try {
    // The store the bot uses: the embedded one, or Azure Tables when POSTWISE_STORE says so.
    const stores = await openStores(config.store, config.dataFile, systemClock.now());
    try {
      const roster = new RosterService(stores.roster, systemClock);
      if (cmd.name === 'import') return await importCsv(config, roster, cmd.file, cmd.acceptErrors);
      if (cmd.name === 'sync') return await sync(config, roster);
      return await show(roster);
    } finally {
      await stores.close();
    }
  } finally {
    await lock?.release();
  }
}

/** Holds the embedded store while writing to it; refuses while the bot (or another import) does. */
async function embeddedStoreFor(config: Config): Promise<StoreLock | undefined> {
  if (config.store.kind === 'azure-tables') return undefined;
  const lock = await lockStore(config.dataFile);
  if (!('heldBy' in lock)) return lock;
  throw new Refusal(
    `Postwise is running (process ${lock.heldBy}) and holds its data file ${config.dataFile}. ` +
      'Stop it first (Ctrl-C where it runs), then run this command again. Nothing was changed.',
  );
}

try {
  console.log(await main(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  console.error(error.message);
  process.exitCode = error.exitCode;
}
