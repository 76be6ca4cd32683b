/**
 * `npm run dev [-- --demo]`: the bot in local mode (embedded store, no Azure) and the Microsoft 365
 * Agents Playground talking to it. Prints the page to open; Ctrl-C stops both, and leaves nothing behind.
 * With --demo the bot runs on a separate data file with made-up employees' answers (see demoData.ts).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import type { Child } from './childProcess.js';
import { DEMO_EMPLOYEES, demoDataFile, seedDemo } from './demoData.js';
import { startLocalBot } from './localBot.js';
import { playgroundFolder, startPlayground } from './playground.js';

/** Linux without a display (a server, a container, an SSH session): the Playground must not try to open a browser. */
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const ignored = ['MicrosoftAppId', 'MicrosoftAppPassword'].filter((name) => process.env[name]);
if (ignored.length > 0) console.log(`npm run dev runs the bot in local mode and ignores ${ignored.join(' and ')}.`);

const running: Child[] = [];
const folders: string[] = [];
let stopping = false;
const stop = async (exitCode: number) => {
  if (stopping) {
    // Ctrl-C again: no more waiting.
    await Promise.all(running.map((child) => child.kill()));
  } else {
    stopping = true;
    await Promise.all(running.map((child) => child.stop()));
  }
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  process.exit(exitCode);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** The environment the bot runs in: with --demo, on the demo data file, and the Playground's user is HR unless set. */
async function botEnv(args: readonly string[]): Promise<NodeJS.ProcessEnv> {
  const unknown = args.filter((arg) => arg !== '--demo');
  if (unknown.length > 0) throw new Error(`Unknown option ${unknown.join(', ')}. Usage: npm run dev [-- --demo]`);
  if (!args.includes('--demo')) return process.env;
  const config = loadConfig(process.env);
  const dataFile = demoDataFile(config.dataFile);
  const seeded = await seedDemo(config, dataFile);
  const hr = process.env.POSTWISE_HR_USERS ?? 'alexw@example.com';
  const relative = path.relative(process.cwd(), dataFile);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? dataFile : relative;
  console.log(
    [
      `DEMO: made-up data in ${shown}, not in ${config.dataFile}.`,
      `  ${seeded ? 'Filled with' : 'It already holds'} ${DEMO_EMPLOYEES} made-up employees ("Demo employee 1" to ` +
        `"Demo employee ${DEMO_EMPLOYEES}") who took the course, so understanding and coverage show figures.`,
      `  HR: ${hr}. Delete the folder to start the demo afresh.`,
    ].join('\n'),
  );
  return { ...process.env, POSTWISE_STORE: 'embedded', POSTWISE_DATA_FILE: dataFile, POSTWISE_HR_USERS: hr };
}

try {
  const bot = await startLocalBot(await botEnv(process.argv.slice(2)), (line) => console.log(`[bot] ${line}`));
  running.push(bot.child);
  const folder = await playgroundFolder();
  folders.push(folder);
  const playground = await startPlayground({
    botEndpoint: `${bot.url}/api/messages`,
    folder,
    openBrowser: !headless,
    onLine: (line) => console.log(`[playground] ${line}`),
  });
  running.push(playground.child);
  for (const [name, { child }] of [
    ['The bot', bot],
    ['The Agents Playground', playground],
  ] as const) {
    child.process.once('close', (code, signal) => {
      if (stopping) return;
      console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
      void stop(1);
    });
  }
  console.log(
    [
      '',
      `Postwise runs at ${bot.url} (local mode: no Azure needed).`,
      `Open ${playground.url} in your browser to chat with it in the Microsoft 365 Agents Playground.`,
      `Playground log: ${playground.logFile}`,
      'Press Ctrl-C to stop both.',
      '',
    ].join('\n'),
  );
} catch (error) {
  // Interrupted while starting: stop() is already under way.
  if (!stopping) {
    console.error((error as Error).message);
    await stop(1);
  }
}
