import type { Log } from '../log.js';

/** How often, with several instances on one store, HR's figures catch up on the other instances' writes. */
const SHARED_FIGURES_REFRESH_MS = 60_000;

/**
 * HR's figures, built now in the background, and again every minute when instances share the store. Logs
 * `figures.ready` once built and `figures.caught-up` after each catch-up, with the ms each took.
 */
export function refreshFiguresInBackground(refresh: () => Promise<void>, shared: boolean, log: Log): () => void {
  const timed = (event: string) => {
    const started = performance.now();
    return refresh().then(() => log.info(event, { ms: Math.round(performance.now() - started) }));
  };
  void timed('figures.ready').catch((error: unknown) => log.error('figures.build-failed', error));
  if (!shared) return () => undefined;
  const timer = setInterval(
    () => void timed('figures.caught-up').catch((error: unknown) => log.error('figures.refresh-failed', error)),
    SHARED_FIGURES_REFRESH_MS,
  ).unref();
  return () => clearInterval(timer);
}
