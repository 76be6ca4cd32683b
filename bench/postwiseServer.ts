import type { ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../src/config.js';
import { ask, type ChildProcesses } from './childProcesses.js';

/**
 * Starts the built server (`node dist/index.js`) in local mode on `dataFile`, with its output
 * in `logFile`, and resolves once /healthz answers (within `startTimeoutMs`, 30 s by default). With `profileDir`, the
 * server writes a
 * V8 CPU profile there when it stops; `env` adds settings (another store, a send rate). The server runs with
 * bench/eventLoopProbe.mjs: see `eventLoopDelay`.
 */
export async function startPostwiseServer(
  children: ChildProcesses,
  options: {
    dataFile: string;
    logFile: string;
    profileDir?: string;
    startTimeoutMs?: number;
    env?: Record<string, string>;
    /** Node's heap limit (--max-old-space-size), as a container's sizing would set it. */
    heapLimitMb?: number;
  },
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const log = openSync(options.logFile, 'a');
  const child = children.spawn(
    process.execPath,
    [
      ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : []),
      ...(options.heapLimitMb ? [`--max-old-space-size=${options.heapLimitMb}`] : []),
      '--import',
      import.meta.resolve('./eventLoopProbe.mjs'),
      path.join(PROJECT_ROOT, 'dist', 'index.js'),
    ],
    {
      env: {
        ...process.env,
        PORT: String(port),
        POSTWISE_DATA_FILE: options.dataFile,
        MicrosoftAppId: '',
        ...options.env,
      },
      stdio: ['ignore', log, log, 'ipc'],
    },
  );
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const healthy = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { child, url };
    await sleep(100);
  }
  throw new Error(`Postwise did not start; its log says:\n${readFileSync(options.logFile, 'utf8').slice(-2000)}`);
}

/** The server's event-loop delay (p99 and max, in ms) since the last call or its start. */
export function eventLoopDelay(server: ChildProcess): Promise<{ p99: number; max: number }> {
  return ask(server, 'eventLoop');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
