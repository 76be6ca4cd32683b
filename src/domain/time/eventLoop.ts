/** Longest a long piece of work holds the event loop before it lets requests and timers in (ms). */
export const SLICE_MS = 8;

/** Lets whatever waits on the event loop (requests, timers, I/O) run before the work goes on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A long piece of work's share of the event loop: the work asks `spent` as it goes and, when it
 * is, awaits pause(). Measured in time, not in records: a record count would hold the loop far
 * longer while the code is cold.
 */
export class TimeSlice {
  private start = performance.now();

  constructor(private readonly ms = SLICE_MS) {}

  /** True once the work has held the event loop for the whole slice. */
  get spent(): boolean {
    return performance.now() - this.start > this.ms;
  }

  /** Yields to the event loop, then starts a new slice. */
  async pause(): Promise<void> {
    await yieldToEventLoop();
    this.start = performance.now();
  }
}

/** Hands each record to `take` in order, yielding to the event loop whenever the slice is spent. */
export async function eachInSlices<T>(records: Iterable<T>, take: (record: T) => void): Promise<void> {
  const slice = new TimeSlice();
  for (const record of records) {
    if (slice.spent) await slice.pause();
    take(record);
  }
}
