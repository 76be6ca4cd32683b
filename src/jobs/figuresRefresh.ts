import type { CaughtUp } from '../domain/figures/catchUp.js';
import type { Log } from '../log.js';

/** How often, with several instances on one store, HR's figures catch up on the other instances' writes. */
const SHARED_CATCH_UP_MS = 2_000;

/**
 * HR's figures, built now in the background (logs `figures.ready` with the ms it took), then, when
 * instances share the store, caught up every 2 s on the changes the others announced (logs
 * `figures.caught-up` with the counts of a pass that read any, or that worked again after one failed).
 * Passes never overlap.
 */
export function refreshFiguresInBackground(
  refresh: () => Promise<void>,
  catchUp: (() => Promise<CaughtUp>) | undefined,
  log: Log,
): () => void {
  const started = performance.now();
  refresh().then(
    () => log.info('figures.ready', { ms: Math.round(performance.now() - started) }),
    (error: unknown) => log.error('figures.build-failed', error),
  );
  if (!catchUp) return () => undefined;
  let running = false;
  let failing = false;
  const pass = async () => {
    if (running) return;
    running = true;
    const begun = performance.now();
    try {
      const { changes, read } = await catchUp();
      if (read > 0 || failing)
        log.info('figures.caught-up', { changes, read, ms: Math.round(performance.now() - begun) });
      failing = false;
    } catch (error) {
      // Once an outage, not every 2 s of it; the next pass that works logs `figures.caught-up`.
      if (!failing) log.error('figures.catch-up-failed', error);
      failing = true;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), SHARED_CATCH_UP_MS).unref();
  return () => clearInterval(timer);
}
