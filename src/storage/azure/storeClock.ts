import type { TableClient } from '@azure/data-tables';

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

let clocks = 0;

/** The `Date` header is whole seconds: the store's time when it answered is half a second later on average. */
const HALF_SECOND_MS = 500;
const ONE_SECOND_MS = 1_000;

/**
 * The store's clock as this instance sees it, from the `Date` header of the answers its client
 * gets: instances whose own clocks disagree still agree on it, within a second or two. Until an
 * answer came, it is this instance's clock.
 */
export class StoreClock {
  private offsetMs = 0;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** A pipeline policy that reads the store's time off every answer. */
  readonly policy: PipelinePolicy = {
    name: `postwiseStoreClock${++clocks}`,
    sendRequest: async (request, next) => {
      const response = await next(request);
      const date = Date.parse(response.headers.get('date') ?? '');
      if (!Number.isFinite(date)) return response;
      // Moved only by more than the header's second: a steady offset keeps this clock's times in order.
      const offsetMs = date + HALF_SECOND_MS - this.localNow();
      if (Math.abs(offsetMs - this.offsetMs) > ONE_SECOND_MS) this.offsetMs = offsetMs;
      return response;
    },
  };

  /** The store's time now, in ms since 1970. */
  now(): number {
    return this.localNow() + this.offsetMs;
  }
}
