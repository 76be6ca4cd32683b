import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Azurite's well-known development account (public, in Azurite's documentation). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const BIN = fileURLToPath(new URL('../../node_modules/.bin/azurite-table', import.meta.url));

/** A running Azurite table service, its data in memory only. */
export interface Azurite {
  readonly port: number;
  /** The table endpoint, with the account's path. */
  readonly endpoint: string;
  readonly connectionString: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts Azurite's table service on a free port and waits until it takes requests. */
export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const child = spawn(
    BIN,
    ['--inMemoryPersistence', '--tablePort', String(port), '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
    {
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await started(child, port);
  return {
    port,
    endpoint: `http://127.0.0.1:${port}/${ACCOUNT}`,
    connectionString: connectionStringTo(`http://127.0.0.1:${port}/${ACCOUNT}`),
    stop: () => stopped(child),
  };
}

/** A connection string for Azurite's account at this table endpoint (Azurite's own, or a proxy's in front of it). */
export function connectionStringTo(endpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};TableEndpoint=${endpoint};`;
}

function started(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start on port ${port} within 20 s: ${said}`)),
      20_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('successfully started')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`Azurite exited (${code}) before it started: ${said}`)));
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** A table prefix no other test uses on the same Azurite. */
export function uniquePrefix(): string {
  return `t${Math.random().toString(36).slice(2, 10)}${path.basename(String(process.pid))}`;
}
