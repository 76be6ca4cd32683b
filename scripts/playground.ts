import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from './childProcess.js';

const CLI = createRequire(import.meta.url).resolve('@microsoft/teams-app-test-tool/cli.js');
/** The file the Playground reads its users, chats and team from, in the folder it runs in. */
const CONFIG_FILE = '.m365agentsplayground.yml';

export interface Playground {
  readonly child: Child;
  /** The page to open, e.g. http://localhost:56150 */
  readonly url: string;
  /** The Playground's own log, in a temporary folder outside the repository. */
  readonly logFile: string;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  readonly botEndpoint: string;
  /** Its preferred port; it takes another one when this one is busy. Default: its own (56150, or TEAMSAPPTESTER_PORT). */
  readonly port?: number;
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
  const dir = await mkdtemp(path.join(tmpdir(), 'postwise-playground-'));
  const users = (await readFile(USERS_FILE, 'utf8')).replace('__PERSONAL_CHAT_ID__', randomUUID()).replace('__GROUP_CHAT_ID__', randomUUID());
  await writeFile(path.join(dir, CONFIG_FILE), users);
  const logFile = path.join(dir, 'playground.log');
  const port = options.port === undefined ? [] : ['--port', String(options.port)];
  const env: NodeJS.ProcessEnv = { ...process.env, M365_AGENTS_PLAYGROUND_LOGFILE: logFile };
  if (!options.openBrowser) env.TEAMSAPPTESTER_BROWSER = 'none';
  delete env.M365_AGENTS_PLAYGROUND_CONFIG_PATH;
  const { child, ready } = await startChild({
    name: 'The Agents Playground',
    command: process.execPath,
    args: [CLI, 'start', '--app-endpoint', options.botEndpoint, '--channel-id', 'msteams', '--disable-telemetry', ...port],
    cwd: dir,
    env,
    // It prints the port it really took: its own may have been busy.
    ready: (line) => /^Listening on (\d+)$/.exec(line.trim())?.[1],
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  return { child, url: `http://localhost:${ready}`, logFile };
}
