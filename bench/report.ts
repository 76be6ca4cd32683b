import type { LoadResult } from './load.js';

/** One load phase against one bot, and what it cost the processes sharing the machine. */
export interface Measurement {
  readonly load: LoadResult;
  /** CPU used during the phase, in cores (1 = one core busy throughout). */
  readonly cpu: {
    readonly bot: number;
    readonly connector: number;
    readonly loadGenerator: number;
    readonly machine: number;
  };
  readonly connectorCalls: number;
  /** The bot's event-loop delay during the phase (ms), where it was measured. */
  readonly eventLoop?: { readonly p99: number; readonly max: number };
}

/** A table row: the figure for each bot and, for targets, the target and the verdict. */
export interface Row {
  readonly label: string;
  readonly show: (m: Measurement) => string;
  readonly target?: string;
  readonly verdict?: string;
}

/** One load phase: both bots' measurements and the phase's own rows. */
export interface Phase {
  readonly title: string;
  readonly echo: Measurement;
  readonly postwise: Measurement;
  /** Shown above the rows every phase has. */
  readonly rows: readonly Row[];
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ms = (n: number) => (Number.isNaN(n) ? 'n/a' : n.toFixed(n < 10 ? 2 : 1));
const cores = (n: number) => (Number.isNaN(n) ? 'n/a' : n.toFixed(2));

/** The row saying whether every request got a right 2xx reply. */
export function failuresRow(verdict: string): Row {
  return {
    label: 'non-2xx / errors / wrong replies',
    show: (m) => `${m.load.non2xx} / ${m.load.errors} / ${m.load.wrongReplies}`,
    target: '0',
    verdict,
  };
}

const COMMON_ROWS: readonly Row[] = [
  { label: 'requests completed', show: (m) => int.format(m.load.completed) },
  {
    label: 'latency p50 / p99 / p99.9 (ms)',
    show: (m) => `${ms(m.load.latency.p50)} / ${ms(m.load.latency.p99)} / ${ms(m.load.latency.p999)}`,
  },
  { label: 'connector POSTs', show: (m) => int.format(m.connectorCalls) },
  {
    label: 'CPU cores: bot / connector / autocannon / machine',
    show: (m) => [m.cpu.bot, m.cpu.connector, m.cpu.loadGenerator, m.cpu.machine].map(cores).join(' / '),
  },
];

/** The results table, echo bot and Postwise side by side, then the footer lines. */
export function formatReport(phases: readonly Phase[], footer: readonly string[]): string {
  const rows: string[][] = [['', 'echo bot', 'Postwise', 'target', 'result']];
  for (const phase of phases) {
    rows.push([phase.title]);
    for (const row of [...phase.rows, ...COMMON_ROWS]) {
      rows.push([
        `  ${row.label}`,
        row.show(phase.echo),
        row.show(phase.postwise),
        row.target ?? '',
        row.verdict ?? '',
      ]);
    }
  }
  // Phase titles span the table, so they do not widen the first column.
  const widths = [0, 1, 2, 3].map((col) =>
    Math.max(...rows.filter((r) => r.length > 1).map((r) => (r[col] ?? '').length)),
  );
  const lines = rows.map((r) =>
    r.length === 1
      ? (r[0] ?? '')
      : r
          .map((cell, col) =>
            col === 1 || col === 2 ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
          )
          .join('   ')
          .trimEnd(),
  );
  return [...lines, '', ...footer].join('\n');
}

/** A whole number as the report prints it: 10,000. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** Seconds since a performance.now() reading, to one decimal. */
export const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(1);

/** Runs a benchmark's main and exits 0 when every target was met, 1 when one was missed or it failed. */
export function exitWith(result: Promise<boolean>): void {
  result.then(
    (pass) => process.exit(pass ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
