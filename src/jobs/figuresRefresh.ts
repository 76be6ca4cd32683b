import type { Log } from '../log.js';

/** How often, with several instances on one store, HR's figures catch up on the other instances' writes. */
const SHARED_FIGURES_REFRESH_MS = 60_000;

/** HR's figures, built now in the background, and again every minute when instances share the store. */
export function refreshFiguresInBackground(refresh: () => Promise<void>, shared: boolean, log: Log): () => void {
  void refresh().catch((error: unknown) => log.error('figures.build-failed', error));
  if (!shared) return () => undefined;
  const timer = setInterval(
    () => void refresh().catch((error: unknown) => log.error('figures.refresh-failed', error)),
    SHARED_FIGURES_REFRESH_MS,
  ).unref();
  return () => clearInterval(timer);
}
