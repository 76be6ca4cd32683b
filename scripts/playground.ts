import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_WITH_PARENT, startChild, type Child } from './childProcess.js';

const CLI = createRequire(import.meta.url).resolve('@microsoft/teams-app-test-tool/cli.js');
/** The file the Playground reads its users, chats and team from, in the folder it runs in. */
const CONFIG_FILE = '.m365agentsplayground.yml';

export interface Playground {
  readonly child: Child;
  /** The page to open, e.g. http://localhost:56150 */
  readonly url: string;
  /** The Playground's own log, in a temporary folder outside the repository. */
  readonly logFile: string;
  /** That temporary folder: remove it once the Playground has stopped. */
  readonly folder: string;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  readonly botEndpoint: string;
  /**
   * Its preferred port; it takes another one when this one is busy. Default: its own (56150, or TEAMSAPPTESTER_PORT).
   */
  readonly port?: number;
  /** The empty folder it runs in (the caller removes it); default a new temporary one, removed if it fails to start. */
  readonly folder?: string;
  /** Lets the Playground open the page in the default browser; default false. */
  readonly openBrowser?: boolean;
  readonly onLine?: (line: string) => void;
}

/** The Playground's users, with the Entra object ids docs/sample-roster.csv gives them. */
const USERS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'playground.yml');

/**
 * Starts the Microsoft 365 Agents Playground (@microsoft/teams-app-test-tool) as Teams would talk
 * to the bot: channel msteams, telemetry off. It runs in a temporary folder with its users from
 * scripts/playground.yml (new chat ids each run), and writes nothing into the repository.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const dir = options.folder ?? (await playgroundFolder());
  const users = (await readFile(USERS_FILE, 'utf8'))
    .replace('__PERSONAL_CHAT_ID__', randomUUID())
    .replace('__GROUP_CHAT_ID__', randomUUID());
  await writeFile(path.join(dir, CONFIG_FILE), users);
  const logFile = path.join(dir, 'playground.log');
  const port = options.port === undefined ? [] : ['--port', String(options.port)];
  const env: NodeJS.ProcessEnv = { ...process.env, M365_AGENTS_PLAYGROUND_LOGFILE: logFile };
  if (!options.openBrowser) env.TEAMSAPPTESTER_BROWSER = 'none';
  delete env.M365_AGENTS_PLAYGROUND_CONFIG_PATH;
  const started = startChild({
    name: 'The Agents Playground',
    command: process.execPath,
    args: [
      ...EXIT_WITH_PARENT,
      CLI,
      'start',
      '--app-endpoint',
      options.botEndpoint,
      '--channel-id',
      'msteams',
      '--disable-telemetry',
      ...port,
    ],
    cwd: dir,
    env,
    // It prints the port it really took: its own may have been busy.
    ready: (line) => /^Listening on (\d+)$/.exec(line.trim())?.[1],
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  // A Playground that did not start leaves no folder of its own behind.
  const { child, ready } = await started.catch(async (error: unknown) => {
    if (options.folder === undefined) await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return { child, url: `http://localhost:${ready}`, logFile, folder: dir };
}

/** A new temporary folder for the Playground to run in, outside the repository. */
export function playgroundFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'postwise-playground-'));
}
