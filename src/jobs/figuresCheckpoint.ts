import type { FiguresCatchUp } from '../domain/figures/catchUp.js';
import { saveCheckpoint, type FiguresCheckpoints } from '../domain/figures/checkpoint.js';
import type { CoverageIndex } from '../domain/figures/coverageIndex.js';
import type { Log } from '../log.js';

/** How often the leader saves HR's figures for instances that start. */
export const CHECKPOINT_INTERVAL_MS = 10 * 60_000;

/**
 * The leader's checkpoint of HR's figures, for leader `generation`: one save at a time (a call while one
 * runs does nothing); logs `figures.checkpoint-saved` with the ms it took, or why it was not.
 */
export function figuresCheckpointJob(
  index: CoverageIndex,
  catchUp: FiguresCatchUp,
  checkpoints: FiguresCheckpoints,
  log: Log,
): (generation: number) => Promise<void> {
  let saving: Promise<void> | undefined;
  return (generation) =>
    (saving ??= (async () => {
      const started = performance.now();
      try {
        const saved = await saveCheckpoint(index, catchUp, checkpoints, generation);
        if (saved) log.info('figures.checkpoint-saved', { ms: Math.round(performance.now() - started) });
        else log.info('figures.checkpoint-not-saved');
      } catch (error) {
        log.error('figures.checkpoint-failed', error);
      }
    })().finally(() => (saving = undefined)));
}
