import type { FirstTries, GuidelineSums } from './firstTries.js';

/** First-try sums by department as HR's figures (domain/figures) keep them, with each department's active count. */
export interface UnderstandingFigures {
  readonly firstTries: FirstTries;
  read(): Promise<{
    readonly understanding: ReadonlyMap<string, GuidelineSums>;
    readonly departments: ReadonlyMap<string, { readonly active: number }>;
  }>;
}
