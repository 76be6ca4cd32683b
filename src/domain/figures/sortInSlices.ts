import { TimeSlice } from '../time/eventLoop.js';

/** Items sorted at once before the runs are merged. */
const RUN = 1_000;
/** Items merged between two looks at the clock. */
const LOOK = 256;

/**
 * A stable merge sort of a whole roster's worth of items that yields to the event loop whenever
 * its slice is spent, so requests are served while it runs: the one used by HR's figures and reports.
 */
export async function sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number): Promise<T[]> {
  const slice = new TimeSlice();
  let runs: T[][] = [];
  for (let i = 0; i < items.length; i += RUN) {
    runs.push(items.slice(i, i + RUN).sort(compare));
    if (slice.spent) await slice.pause();
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const [a, b] = [runs[i] as T[], runs[i + 1]];
      merged.push(b ? await merge(a, b, compare, slice) : a);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}

async function merge<T>(a: readonly T[], b: readonly T[], compare: (a: T, b: T) => number, slice: TimeSlice) {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (out.length % LOOK === 0 && slice.spent) await slice.pause();
    if (j >= b.length || (i < a.length && compare(a[i] as T, b[j] as T) <= 0)) out.push(a[i++] as T);
    else out.push(b[j++] as T);
  }
  return out;
}
