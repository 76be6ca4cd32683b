// The checkpoint path of HR's figures for bench/figuresStart.bench.ts: the leader's figures saved to Azurite
// (behind a counting proxy), writes made after, and an instance's start from the checkpoint and the change log.
import type { Course } from '../src/domain/course/course.js';
import { FiguresCatchUp } from '../src/domain/figures/catchUp.js';
import { saveCheckpoint, startFigures, type FiguresCheckpoints } from '../src/domain/figures/checkpoint.js';
import { CoverageIndex, type IndexSources } from '../src/domain/figures/coverageIndex.js';
import { openAzureStores } from '../src/storage/azure/stores.js';
import { connectionStringTo } from '../tests/support/azurite.js';
import { collectingLog } from '../tests/support/harness.js';
import { FaultProxy } from '../tests/support/faultProxy.js';
import type { SeededPerson } from './figuresPeople.js';
import { seededPeople } from './figuresPeople.js';

/** Writes made by other instances after the checkpoint, caught up on by the instance that starts. */
export const WRITES_AFTER = 1_000;
/** Saves made in a row: the last, which also deletes the checkpoint two back, is the one reported. */
const SAVES = 3;

/** What one checkpoint costs to save and to start from. */
export interface CheckpointCosts {
  /** Compressed, as stored. */
  readonly storedBytes: number;
  readonly save: { readonly seconds: number; readonly requests: number; readonly bytesSent: number };
  /** From the pointer's read to figures restored and caught up on WRITES_AFTER writes. */
  readonly start: {
    readonly seconds: number;
    /** Of which: reading the checkpoint's chunks and inflating them. */
    readonly readSeconds: number;
    readonly requests: number;
    readonly bytesRead: number;
    readonly from: string;
  };
}

/** Sources that feed `members` seeded people to a build in memory, a page at a time, made as they are read. */
export function fedSources(course: Course, members: number): IndexSources {
  const paged = <T>(of: (p: SeededPerson) => T | undefined) => ({
    scan: (): Promise<never[]> => Promise.reject(new Error('read a page at a time')),
    async *scanPages<R>(pick: (record: Readonly<T>) => R, size: number): AsyncGenerator<readonly R[]> {
      let page: R[] = [];
      for (const person of seededPeople(course, members)) {
        const record = of(person);
        if (record === undefined) continue;
        page.push(pick(record));
        if (page.length >= size) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
  });
  return {
    progress: paged((p) => p.progress),
    assignments: paged((p) => p.assignment),
    roster: paged((p) => p.member),
    campaigns: { list: () => Promise.resolve([]) },
    deliveries: { forSend: () => Promise.resolve([]) },
  };
}

/**
 * Saves `leader`'s figures to the tables under `prefix` on Azurite (`endpoint`), makes WRITES_AFTER progress
 * writes to `members` seeded people, then starts another instance's figures from the checkpoint.
 */
export async function checkpointCosts(
  course: Course,
  leader: CoverageIndex,
  endpoint: string,
  prefix: string,
  members: number,
): Promise<CheckpointCosts> {
  const proxy = await FaultProxy.start(endpoint, 1, prefix);
  try {
    const stores = await openAzureStores({ connectionString: connectionStringTo(proxy.url) }, prefix);
    const changes = stores.changes!;
    const catchUp = new FiguresCatchUp(changes, stores, leader, () => changes.now());
    let save = { seconds: 0, requests: 0, bytesSent: 0 };
    for (let i = 0; i < SAVES; i++) {
      const before = proxy.tally.now();
      const started = performance.now();
      if (!(await saveCheckpoint(leader, catchUp, stores.checkpoints!, 1))) throw new Error('checkpoint not saved');
      const seconds = (performance.now() - started) / 1000;
      const traffic = proxy.tally.since(before);
      save = { seconds, requests: traffic.requests, bytesSent: traffic.bytesIn };
    }
    const { storedBytes } = (await stores.checkpoints!.latest())!;
    const writer = await openAzureStores({ connectionString: connectionStringTo(endpoint) }, prefix);
    const lesson = course.lessons[0]!;
    let written = 0;
    for (const person of seededPeople(course, members)) {
      if (written++ >= WRITES_AFTER) break;
      const aad = person.member.aadObjectId!;
      await writer.progress.openLesson(aad, lesson.id, '2026-11-20T12:00:00Z', lesson.revision);
    }
    const starting = new CoverageIndex(course);
    const startingChanges = stores.changes!;
    const startingCatchUp = new FiguresCatchUp(startingChanges, stores, starting, () => startingChanges.now());
    let readSeconds = 0;
    const timed: FiguresCheckpoints = {
      save: (checkpoint, generation) => stores.checkpoints!.save(checkpoint, generation),
      latest: async () => {
        const found = await stores.checkpoints!.latest();
        return (
          found && {
            ...found,
            read: async () => {
              const began = performance.now();
              const bytes = await found.read();
              readSeconds = (performance.now() - began) / 1000;
              return bytes;
            },
          }
        );
      },
    };
    const before = proxy.tally.now();
    const started = performance.now();
    const from = await startFigures({
      index: starting,
      sources: stores,
      shared: { catchUp: startingCatchUp, checkpoints: timed },
      log: collectingLog(),
    });
    const seconds = (performance.now() - started) / 1000;
    const traffic = proxy.tally.since(before);
    await Promise.all([stores.close(), writer.close()]);
    return {
      storedBytes,
      save,
      start: { seconds, readSeconds, requests: traffic.requests, bytesRead: traffic.bytesOut, from },
    };
  } finally {
    await proxy.close();
  }
}
