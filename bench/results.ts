import { appendFileSync } from 'node:fs';

/**
 * One figure of a benchmark as the summary table shows it: its value, target and the baseline measured in the same run.
 */
export interface Figure {
  /** The benchmark it comes from, e.g. "course". */
  readonly bench: string;
  readonly figure: string;
  readonly value: string;
  /**
   * The same figure for the baseline (the echo bot, the 1,000-employee run, the fake connector's limit…), when there is
   * one.
   */
  readonly baseline?: string;
  readonly target?: string;
  /** Undefined for figures reported without a target. */
  readonly pass?: boolean;
}

/** The file `npm run bench` collects figures in (one JSON object a line); benchmarks run on their own print only. */
export const RESULTS_FILE_VARIABLE = 'POSTWISE_BENCH_RESULTS';

/** Hands figures to the summary table of `npm run bench`, when the benchmark runs under it. */
export function reportFigures(figures: readonly Figure[]): void {
  const file = process.env[RESULTS_FILE_VARIABLE];
  if (!file) return;
  appendFileSync(file, figures.map((f) => `${JSON.stringify(f)}\n`).join(''));
}
