import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild, type Child } from './childProcess.js';

const CLI = createRequire(import.meta.url).resolve('@microsoft/teams-app-test-tool/cli.js');

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

/**
 * Starts the Microsoft 365 Agents Playground (@microsoft/teams-app-test-tool) as Teams would talk
 * to the bot: channel msteams, telemetry off. It runs in a temporary folder, so it uses its built-in
 * configuration and writes nothing into the repository.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const dir = await mkdtemp(path.join(tmpdir(), 'postwise-playground-'));
  const logFile = path.join(dir, 'playground.log');
  const port = options.port === undefined ? [] : ['--port', String(options.port)];
  const env: NodeJS.ProcessEnv = { ...process.env, M365_AGENTS_PLAYGROUND_LOGFILE: logFile };
  if (!options.openBrowser) env.TEAMSAPPTESTER_BROWSER = 'none';
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
