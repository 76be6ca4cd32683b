import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

/** A module the bot's process imports before src/index.ts, e.g. tests/support/slowDisk.ts. */
export interface BotProcessOptions {
  readonly preload?: string;
}

/**
 * Runs src/index.ts as `npm start` would, with the given environment (and PATH); `listening` resolves with
 * the URL of its "server.listening" line, or rejects if it exits first.
 */
export function startBotProcess(env: Record<string, string>, options: BotProcessOptions = {}) {
  const preload = options.preload === undefined ? [] : ['--import', options.preload];
  const args = ['--import', 'tsx', ...preload, path.join(PROJECT_ROOT, 'src', 'index.ts')];
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /"event":"server.listening","url":"([^"]+)"/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    void exited.then(() => reject(new Error(`exited early: ${stderr.slice(-2000)}`)));
  });
  listening.catch(() => {});
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
}
