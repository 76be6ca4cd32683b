import { fork, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The child processes of one bench run, so that every one of them is stopped at the end. */
export class ChildProcesses {
  private readonly children = new Set<ChildProcess>();

  /** Starts a TypeScript entry under tsx and resolves with its first IPC message. */
  async forkTs<T>(file: string): Promise<{ child: ChildProcess; ready: T }> {
    const child = this.track(
      fork(file, [], {
        execArgv: ['--import', import.meta.resolve('tsx')],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const ready = await new Promise<T>((resolve, reject) => {
      child.once('message', (message) => resolve(message as T));
      child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
    });
    return { child, ready };
  }

  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
    return this.track(spawn(command, args, options));
  }

  /** Stops a child with SIGTERM, or SIGKILL after `graceMs`; resolves with its exit code. */
  async stop(child: ChildProcess, graceMs = 10_000): Promise<number | null> {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    this.children.delete(child);
    return child.exitCode;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.stop(child)));
  }

  private track(child: ChildProcess): ChildProcess {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }
}

/** Sends one IPC message and resolves with the next message back. */
export function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  const reply = new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  child.send(message as object);
  return reply;
}

/** CPU time the whole machine has used so far, in seconds (Linux, 100 ticks/s); NaN where /proc is missing. */
export function machineCpuSeconds(): number {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) a process has used so far, in seconds (Linux, 100 ticks/s); NaN where /proc is missing. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A process's resident memory in MB (VmRSS, Linux); NaN where /proc is missing. */
export function rssMegabytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs a benchmark with child processes and a temp folder, both cleaned up afterwards, also
 * when the run is interrupted (Ctrl-C).
 */
export async function withChildren<T>(
  tempPrefix: string,
  run: (children: ChildProcesses, temp: string) => Promise<T>,
): Promise<T> {
  const children = new ChildProcesses();
  const temp = await mkdtemp(path.join(os.tmpdir(), tempPrefix));
  const interrupted = () => {
    void children
      .stopAll()
      .then(() => rm(temp, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await run(children, temp);
  } finally {
    await children.stopAll();
    await rm(temp, { recursive: true, force: true });
  }
}
