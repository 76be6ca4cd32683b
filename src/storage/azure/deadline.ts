import { StoreUnavailable } from '../../domain/storeUnavailable.js';
import { turnDeadline } from '../../domain/time/turnDeadline.js';
import { statusOf } from './status.js';

/** How long one store operation may take outside a turn (a background job), retries included. */
export const OPERATION_BUDGET_MS = 10_000;
/** The first pause before trying a transient fault again; it doubles each time, up to the cap, with jitter. */
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 1_000;
/** What Azure Tables answers when it is busy or gave up on a request; worth trying again. */
const TRANSIENT_STATUSES = new Set([408, 500, 502, 503, 504]);

/** Options the Tables SDK takes per operation: the signal that ends it at the deadline. */
export interface RequestOptions {
  readonly abortSignal: AbortSignal;
}

/** When an operation started now must be done: within its own budget, and within the turn's if it runs in one. */
export function deadlineFromNow(): number {
  return Math.min(Date.now() + OPERATION_BUDGET_MS, turnDeadline() ?? Infinity);
}

/** A request that met a busy or timed-out store, or lost its connection; not one the store refused. */
export function isTransient(error: unknown): boolean {
  if ((error as { name?: unknown } | null)?.name !== 'RestError') return false;
  const status = statusOf(error);
  return status === undefined || TRANSIENT_STATUSES.has(status);
}

/**
 * Runs one request to the store, ended at `deadline`: transient faults are tried again with
 * backoff while time is left. StoreUnavailable when time runs out; other errors as they are.
 */
export async function beforeDeadline<T>(
  operation: string,
  deadline: number,
  request: (options: RequestOptions) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const left = deadline - Date.now();
    if (left <= 0) throw new StoreUnavailable(operation, 'deadline');
    const abortSignal = AbortSignal.timeout(left);
    try {
      return await request({ abortSignal });
    } catch (error) {
      if (abortSignal.aborted) throw new StoreUnavailable(operation, 'deadline', { cause: error });
      if (!isTransient(error)) throw error;
      const pause = Math.random() * Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** attempt);
      if (Date.now() + pause >= deadline) throw new StoreUnavailable(operation, 'faults', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
