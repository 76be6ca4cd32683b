import { createHash } from 'node:crypto';
import { stillLogged } from '../changes/changeLog.js';
import type { Log } from '../log.js';
import type { FiguresCatchUp } from './catchUp.js';
import type { CoverageIndex, IndexSources } from './coverageIndex.js';
import { decodeState, encodeState } from './figuresState.js';
import { FiguresNotReady } from './figuresNotReady.js';

/** Raised whenever what the figures save, or how they read what they saved, changes. */
const FORMAT = 1;

/** A checkpoint as saved: what it was built for, the change log position it is caught up to, and its bytes. */
export interface SavedCheckpoint {
  /** checkpointVersion() of the figures that saved it. */
  readonly version: string;
  /** Every change announced before this (ms, the change log's clock) is in the figures. */
  readonly position: number;
  /** Its size as stored. */
  readonly storedBytes: number;
  /** The figures (encodeState), read when asked. */
  read(): Promise<Uint8Array>;
}

/** Where the leader keeps HR's figures for instances that start, so they need not read every table. */
export interface FiguresCheckpoints {
  /** The latest checkpoint, or undefined when there is none. */
  latest(): Promise<SavedCheckpoint | undefined>;
  /**
   * Saves a checkpoint for leader `generation`, in full before any instance can read it; false when a
   * newer leader's checkpoint, or one saved meanwhile, stands instead.
   */
  save(checkpoint: { version: string; position: number; bytes: Uint8Array }, generation: number): Promise<boolean>;
}

/** What a checkpoint must have been built with to be used: its format, the course's questions and validity. */
export function checkpointVersion(index: CoverageIndex): string {
  const { version, items, guidelines, validity } = index.builtWith();
  const built = JSON.stringify({ version, items, guidelines: [...guidelines], validity: validity ?? null });
  return `${FORMAT}.${createHash('sha256').update(built).digest('hex').slice(0, 32)}`;
}

/** With instances on one store: the catch-up on the others' writes, and the leader's checkpoints. */
interface SharedStart {
  readonly catchUp: FiguresCatchUp;
  readonly checkpoints: FiguresCheckpoints;
}

export interface StartDeps {
  readonly index: CoverageIndex;
  readonly sources: IndexSources;
  /** Present when instances share the store: the catch-up on the others' writes, and the checkpoints. */
  readonly shared?: SharedStart;
  readonly log: Log;
  /** Aborted when the app stops: the start gives up, and whoever waits for the figures is told they are not ready. */
  readonly signal?: AbortSignal;
}

/** How long the start waits before trying again when the store failed. */
const START_RETRY_MS = 15_000;

/**
 * Starts HR's figures: from the latest checkpoint and the changes since, when there is one of this version
 * that the change log still covers, else built from the stores, tried again while the store fails. Resolves
 * with which it was; reading the figures waits for it.
 */
export function startFigures(deps: StartDeps): Promise<'checkpoint' | 'build'> {
  const { signal } = deps;
  const stopped =
    signal &&
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new FiguresNotReady()), { once: true }),
    );
  const started = stopped ? Promise.race([untilStarted(deps), stopped]) : untilStarted(deps);
  deps.index.startWith(started.then(() => undefined));
  return started;
}

/** Tries again every START_RETRY_MS while the store fails (an outage at start-up), logging the first failure. */
async function untilStarted({ index, sources, shared, log, signal }: StartDeps) {
  for (let failed = false; !signal?.aborted; failed = true) {
    try {
      if (shared && (await restored(index, shared, log))) return 'checkpoint' as const;
      await index.refresh(sources);
      return 'build' as const;
    } catch (error) {
      if (!failed) log.error('figures.build-failed', error);
      await new Promise((resolve) => setTimeout(resolve, START_RETRY_MS).unref());
    }
  }
  throw new FiguresNotReady();
}

async function restored(index: CoverageIndex, { catchUp, checkpoints }: SharedStart, log: Log): Promise<boolean> {
  let position = 0;
  try {
    const done = await index.restore(async () => {
      const latest = await checkpoints.latest();
      if (!latest) return undefined;
      if (latest.version !== checkpointVersion(index)) {
        log.info('figures.checkpoint-other-version');
        return undefined;
      }
      if (!stillLogged(latest.position, catchUp.now())) {
        log.info('figures.checkpoint-too-old');
        return undefined;
      }
      position = latest.position;
      return decodeState(await latest.read());
    });
    if (!done) return false;
  } catch (error) {
    log.error('figures.checkpoint-unusable', error);
    return false;
  }
  catchUp.rewind(position);
  // Failing, it leaves the position where it is: the passes that follow catch up from there.
  await catchUp.pass().catch((error: unknown) => log.error('figures.catch-up-failed', error));
  return true;
}

/** Saves the leader's figures as a checkpoint, when built; resolves with whether this one stands. */
export async function saveCheckpoint(
  index: CoverageIndex,
  catchUp: FiguresCatchUp,
  checkpoints: FiguresCheckpoints,
  generation: number,
): Promise<boolean> {
  // In one go with the state: a pass that has fed some of its records leaves the position where it was.
  const position = catchUp.position;
  const state = index.saved();
  if (!state) return false;
  return checkpoints.save({ version: checkpointVersion(index), position, bytes: encodeState(state) }, generation);
}
