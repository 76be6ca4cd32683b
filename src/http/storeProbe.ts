import type { Log } from '../log.js';
import type { StoreHealth } from '../storage/stores.js';

/** How long the store has to answer a health check. */
export const PROBE_DEADLINE_MS = 2_000;
/** How long an answer is reused, so that probes from every load balancer cannot flood the store. */
export const PROBE_CACHE_MS = 5_000;

/**
 * The store's health as /healthz tells it: checked at most once every PROBE_CACHE_MS (probes
 * arriving meanwhile share the answer or the check under way), and "not answering" when the
 * check takes longer than PROBE_DEADLINE_MS or fails without saying why. Logs when it changes.
 */
export function storeProbe(check: (signal: AbortSignal) => Promise<StoreHealth>, log: Log): () => Promise<StoreHealth> {
  let last: { readonly at: number; readonly answer: Promise<StoreHealth> } | undefined;
  let wasOk = true;
  const run = async (): Promise<StoreHealth> => {
    const signal = AbortSignal.timeout(PROBE_DEADLINE_MS);
    const notAnswering: StoreHealth = { ok: false, reason: 'not answering' };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<StoreHealth>((resolve) => {
      timer = setTimeout(() => resolve(notAnswering), PROBE_DEADLINE_MS);
    });
    const answer = await Promise.race([check(signal).catch(() => notAnswering), late]);
    clearTimeout(timer);
    if (answer.ok !== wasOk) log.info(answer.ok ? 'health.store-back' : 'health.store-down', reasonOf(answer));
    wasOk = answer.ok;
    return answer;
  };
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= PROBE_CACHE_MS) last = { at: now, answer: run() };
    return last.answer;
  };
}

const reasonOf = (health: StoreHealth): Record<string, string> => (health.ok ? {} : { reason: health.reason });
