import { PROJECT_ROOT } from '../src/config.js';
import { EXIT_WITH_PARENT, startChild, type Child } from './childProcess.js';

/** Settings of a Teams deployment (the Playground is in a tenant of its own); the local bot runs without them. */
const BOT_FRAMEWORK_SETTINGS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'POSTWISE_ALLOWED_TENANTS',
];

export interface LocalBot {
  readonly child: Child;
  /** Where it listens, e.g. http://127.0.0.1:3978 */
  readonly url: string;
}

/**
 * Starts src/index.ts (through tsx) in local mode: loopback only, no Bot Framework authentication,
 * the embedded store. Resolves once it listens.
 */
export async function startLocalBot(env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<LocalBot> {
  const localEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !BOT_FRAMEWORK_SETTINGS.includes(name)));
  const { child, ready } = await startChild({
    name: 'The bot',
    command: process.execPath,
    args: ['--import', 'tsx', ...EXIT_WITH_PARENT, 'src/index.ts'],
    cwd: PROJECT_ROOT,
    env: localEnv,
    ready: listeningUrl,
    ...(onLine ? { onLine } : {}),
  });
  return { child, url: ready };
}

/** The URL in the bot's "server.listening" log line. */
function listeningUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { event?: unknown; url?: unknown };
    return entry.event === 'server.listening' && typeof entry.url === 'string' ? entry.url : undefined;
  } catch {
    return undefined;
  }
}
