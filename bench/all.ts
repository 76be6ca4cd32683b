// `npm run bench` (after the build): runs every benchmark as a child process, also when an
// earlier one fails, collects the figures each hands to reportFigures(), prints one table and
// exits 1 at the end when a target was missed or a benchmark failed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seconds } from './report.js';
import { RESULTS_FILE_VARIABLE, type Figure } from './results.js';

/** Every benchmark, run in this order: bench/<name>.bench.ts. */
const BENCHES = ['course', 'delivery', 'coverage', 'refresher', 'memory', 'tables'] as const;
/**
 * Benchmarks run only when named (`npm run bench -- soak`): the soak takes 20 minutes by default, the million
 * several, the figures' memory and start (issue 25) minutes each, and the tables bench's scale phase alone.
 */
const ON_REQUEST = ['soak', 'million', 'figuresMemory', 'figuresStart', 'tablesIdle'] as const;
/** Node flags a benchmark needs: heaps are measured after global.gc(); the million needs a large heap. */
const NODE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  million: ['--expose-gc', '--max-old-space-size=12288'],
  figuresMemory: ['--expose-gc'],
  figuresStart: ['--expose-gc', '--max-old-space-size=8192'],
};

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Outcome {
  readonly bench: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly seconds: string;
}

async function runBench(name: string, resultsFile: string): Promise<Outcome> {
  const started = performance.now();
  console.log(`\n=== ${name} ===`);
  const child = spawn(
    process.execPath,
    [...(NODE_FLAGS[name] ?? []), '--import', import.meta.resolve('tsx'), here(`./${name}.bench.ts`)],
    {
      env: { ...process.env, [RESULTS_FILE_VARIABLE]: resultsFile },
      stdio: 'inherit',
    },
  );
  const [exitCode, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { bench: name, exitCode, signal, seconds: seconds(started) };
}

/** The summary table: one row per figure, then one per benchmark that failed. */
function summaryTable(figures: readonly Figure[], outcomes: readonly Outcome[]): string {
  const verdict = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'PASS' : 'FAIL');
  const rows = [
    ['bench', 'figure', 'value', 'baseline', 'target', 'pass'],
    ...figures.map((f) => [f.bench, f.figure, f.value, f.baseline ?? '', f.target ?? '', verdict(f.pass)]),
    ...outcomes
      .filter((o) => o.exitCode !== 0)
      .map((o) => [
        o.bench,
        'benchmark run',
        o.signal ? `killed by ${o.signal}` : `exit code ${o.exitCode}`,
        '',
        'exit code 0',
        'FAIL',
      ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<boolean> {
  const only = process.argv.slice(2);
  const benches = only.length > 0 ? [...BENCHES, ...ON_REQUEST].filter((b) => only.includes(b)) : BENCHES;
  const temp = await mkdtemp(path.join(os.tmpdir(), 'postwise-bench-all-'));
  try {
    const resultsFile = path.join(temp, 'figures.jsonl');
    const outcomes: Outcome[] = [];
    for (const bench of benches) outcomes.push(await runBench(bench, resultsFile));
    const text = await readFile(resultsFile, 'utf8').catch(() => '');
    const figures = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Figure);
    console.log(`\n=== summary (${outcomes.map((o) => `${o.bench} ${o.seconds} s`).join(', ')}) ===\n`);
    console.log(summaryTable(figures, outcomes));
    const missed = figures.filter((f) => f.pass === false).length;
    const failed = outcomes.filter((o) => o.exitCode !== 0).length;
    console.log(`\n${missed} target(s) missed, ${failed} benchmark(s) failed.`);
    return missed === 0 && failed === 0;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

main().then(
  (pass) => process.exit(pass ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
