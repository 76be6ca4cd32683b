import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { useTempDirs } from '../support/tempDirs.js';

const tempDir = useTempDirs('dev');

/** The processes running under `pid` (Linux: from /proc), children first. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (stat !== '') parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  for (let i = -1; i < found.length; i += 1) {
    const parent = i < 0 ? pid : found[i];
    for (const [child, ppid] of parents) if (ppid === parent) found.push(child);
  }
  return found;
}

/** Whether the process runs: a zombie (exited, not yet reaped by its new parent) does not. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

async function gone(pids: readonly number[], withinMs: number): Promise<number[]> {
  const until = Date.now() + withinMs;
  while (pids.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(alive);
}

/** `npm run dev` as a newcomer runs it, headless, with its temporary folders in `tmp`. */
async function startDev(tmp: string, args: readonly string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'dev.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TMPDIR: tmp,
      PORT: '0',
      TEAMSAPPTESTER_PORT: '0',
      POSTWISE_DATA_FILE: path.join(tmp, 'data', 'postwise.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const botUrl = await new Promise<URL>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /Postwise runs at (\S+) [\s\S]*Press Ctrl-C/.exec(stdout);
      if (match) resolve(new URL(match[1] as string));
    });
    void exited.then(() => reject(new Error(`npm run dev exited early:\n${stdout}`)));
  });
  return { child, exited, botUrl, pid: child.pid as number, stdout: () => stdout };
}

const playgroundFolders = async (tmp: string) =>
  (await readdir(tmp)).filter((name) => name.startsWith('postwise-playground-'));

describe.runIf(process.platform === 'linux')('npm run dev', () => {
  const title = 'on Ctrl-C stops the bot and the Playground within seconds, keep-alive or not, and removes its folder';
  it(title, { timeout: 90_000 }, async () => {
    const tmp = await tempDir();
    const dev = await startDev(tmp);
    const children = await descendants(dev.pid);
    try {
      expect(children.length).toBeGreaterThanOrEqual(2);
      expect(await playgroundFolders(tmp)).toHaveLength(1);
      // The browser's connection to the bot stays open, as after a download.
      const socket = connect(Number(dev.botUrl.port), dev.botUrl.hostname);
      socket.on('error', () => {});
      socket.write('GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: keep-alive\r\n\r\n');
      await new Promise((resolve) => socket.once('data', resolve));
      const signalled = Date.now();
      dev.child.kill('SIGINT');
      expect(await dev.exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(8000);
      expect(await gone(children, 1000)).toEqual([]);
      expect(await playgroundFolders(tmp)).toEqual([]);
      socket.destroy();
    } finally {
      for (const pid of [dev.pid, ...children].filter(alive)) process.kill(pid, 'SIGKILL');
    }
  });

  it('killed outright, leaves neither the bot nor the Playground running', { timeout: 90_000 }, async () => {
    const dev = await startDev(await tempDir());
    const children = await descendants(dev.pid);
    try {
      expect(children.length).toBeGreaterThanOrEqual(2);
      dev.child.kill('SIGKILL');
      await dev.exited;
      expect(await gone(children, 8000)).toEqual([]);
    } finally {
      for (const pid of [dev.pid, ...children].filter(alive)) process.kill(pid, 'SIGKILL');
    }
  });

  it('with --demo runs the bot on a data file of its own, and says so', { timeout: 90_000 }, async () => {
    const tmp = await tempDir();
    const dev = await startDev(tmp, ['--demo']);
    try {
      expect(dev.stdout()).toContain(`DEMO: made-up data in ${path.join(tmp, 'data', 'demo', 'postwise.json')}`);
      expect(dev.stdout()).toContain('8 made-up employees ("Demo employee 1" to "Demo employee 8")');
      expect(existsSync(path.join(tmp, 'data', 'demo', 'postwise.json'))).toBe(true);
      expect(existsSync(path.join(tmp, 'data', 'postwise.json'))).toBe(false);
      dev.child.kill('SIGINT');
      expect(await dev.exited).toBe(0);
    } finally {
      if (alive(dev.pid)) dev.child.kill('SIGKILL');
    }
  });
});
