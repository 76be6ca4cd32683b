import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Node's arguments that make a child stop when the process that started it is gone, even if
 * that one was killed outright: put them before the script. The child's stdin is the pipe it watches.
 */
export const EXIT_WITH_PARENT = ['--import', fileURLToPath(new URL('exitWithParent.mjs', import.meta.url))] as const;
/** How long a child may take to stop after SIGTERM before it gets SIGKILL. */
const STOP_LIMIT_MS = 10_000;

/** A started child process and what it printed. */
export interface Child {
  readonly process: ChildProcess;
  /** Every line it printed so far, stdout and stderr. */
  readonly output: readonly string[];
  /** Sends SIGTERM (if it still runs), SIGKILL if it still runs 10 s later, and waits until it has exited. */
  stop(): Promise<void>;
  /** Sends SIGKILL (if it still runs) and waits until it has exited. */
  kill(): Promise<void>;
}

export interface ChildOptions<T> {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** What to call it in errors, e.g. "the bot". */
  readonly name: string;
  /** Looks at each stdout line; the first non-undefined result means the child is ready. */
  readonly ready: (line: string) => T | undefined;
  /** Called with every line it prints, e.g. to echo it; errors then leave the output out. */
  readonly onLine?: (line: string) => void;
  readonly timeoutMs?: number;
}

/**
 * Starts a process and waits for the line that says it is ready; rejects with its output if it exits or times out
 * first.
 */
export function startChild<T>(options: ChildOptions<T>): Promise<{ child: Child; ready: T }> {
  // stdin stays open (and unused) for EXIT_WITH_PARENT: it closes when this process ends.
  const { cwd, env } = options;
  const proc = spawn(options.command, options.args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const running = () => proc.exitCode === null && proc.signalCode === null;
  const child: Child = {
    process: proc,
    output,
    stop: async () => {
      if (running()) proc.kill('SIGTERM');
      const limit = setTimeout(() => running() && proc.kill('SIGKILL'), STOP_LIMIT_MS);
      await exited;
      clearTimeout(limit);
    },
    kill: async () => {
      if (running()) proc.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const shown = options.onLine ? '' : ` Its output:\n${output.join('\n')}`;
      void child.stop().then(() => reject(new Error(`${options.name} ${why}.${shown}`)));
    };
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs / 1000} s`), timeoutMs);
    proc.once('error', (error) => fail(`could not start (${error.message})`));
    proc.once('close', (code, signal) => fail(`exited before it was ready (${signal ?? `exit code ${code}`})`));
    const read = (stream: NodeJS.ReadableStream, watch: boolean) =>
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        options.onLine?.(line);
        const result = watch && !settled ? options.ready(line) : undefined;
        if (result === undefined) return;
        settled = true;
        clearTimeout(timer);
        resolve({ child, ready: result });
      });
    if (proc.stdout) read(proc.stdout, true);
    if (proc.stderr) read(proc.stderr, false);
  });
}
