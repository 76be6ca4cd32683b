import type { CaughtUp } from '../domain/figures/catchUp.js';
import type { Log } from '../log.js';

/** How often, with several instances on one store, HR's figures catch up on the other instances' writes. */
const SHARED_CATCH_UP_MS = 2_000;

/**
 * HR's figures, started now in the background (logs `figures.ready` with the ms it took and whether they came
 * `from` a checkpoint or a build), then, when instances share the store, caught up every 2 s on the changes the
 * others announced (logs `figures.caught-up` with the counts of a pass that read any, or that worked again after
 * one failed). The passes begin once the figures are started, and never overlap.
 */
export function refreshFiguresInBackground(
  start: () => Promise<'checkpoint' | 'build'>,
  catchUp: (() => Promise<CaughtUp>) | undefined,
  log: Log,
): () => void {
  const started = performance.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const begin = () => {
    if (catchUp && !stopped) timer = setInterval(() => void pass(catchUp), SHARED_CATCH_UP_MS).unref();
  };
  start().then(
    (from) => {
      log.info('figures.ready', { ms: Math.round(performance.now() - started), from });
      begin();
    },
    (error: unknown) => {
      log.error('figures.build-failed', error);
      begin();
    },
  );
  let running = false;
  let failing = false;
  const pass = async (catchUp: () => Promise<CaughtUp>) => {
    if (running) return;
    running = true;
    const begun = performance.now();
    try {
      const { changes, read, rebuilt = false } = await catchUp();
      if (read > 0 || failing || rebuilt)
        log.info('figures.caught-up', { changes, read, rebuilt, ms: Math.round(performance.now() - begun) });
      failing = false;
    } catch (error) {
      // Once an outage, not every 2 s of it; the next pass that works logs `figures.caught-up`.
      if (!failing) log.error('figures.catch-up-failed', error);
      failing = true;
    } finally {
      running = false;
    }
  };
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
