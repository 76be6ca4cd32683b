import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course/course.js';
import { CHANGES_KEPT_MS } from '../../src/domain/changes/changeLog.js';
import { FiguresCatchUp } from '../../src/domain/figures/catchUp.js';
import { checkpointVersion, saveCheckpoint, startFigures } from '../../src/domain/figures/checkpoint.js';
import { CoverageIndex } from '../../src/domain/figures/coverageIndex.js';
import { encodeState } from '../../src/domain/figures/figuresState.js';
import type { OrderList } from '../../src/domain/figures/memberOrder.js';
import { openAzureStores } from '../../src/storage/azure/stores.js';
import { indexedStores } from '../../src/storage/indexedStores.js';
import type { Stores } from '../../src/storage/stores.js';
import { startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { completeCourseInStore, loadCourse, rosterKey, rosterMember } from '../support/hrFixtures.js';
import { collectingLog } from '../support/harness.js';

let azurite: Azurite;
let course: Course;
beforeAll(async () => {
  azurite = await startAzurite();
  course = await loadCourse();
}, 30_000);
afterAll(() => azurite?.stop());

const TODAY = '2026-11-07';
const SEND = 'campaign-1';
const LISTS: readonly OrderList[] = [
  'not-started',
  'in-progress',
  'needs-reacknowledge',
  'renewal-due',
  'completed',
  'inactive',
];
const aadOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const nameOf = (i: number) => `Person${i}`;

/** Values as a test compares them: maps and typed arrays as sorted plain arrays, sums to 9 decimals. */
function plain(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.round(value * 1e9) / 1e9;
  if (ArrayBuffer.isView(value)) return plain(Array.from(value as unknown as ArrayLike<number>));
  if (value instanceof Map) return plain([...value].sort(([a], [b]) => String(a).localeCompare(String(b))));
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** What HR's cards read of the figures, in a form to compare. */
async function view(index: CoverageIndex, people: number): Promise<unknown> {
  const f = await index.read();
  const coverage = f.coverage(TODAY);
  const sends = f.deliveries.of(SEND);
  return plain({
    coverage: { ...coverage, byDepartment: [...coverage.byDepartment].sort(), byRole: [...coverage.byRole].sort() },
    understanding: f.understanding,
    items: f.items.sums,
    deliveries: { ...sends, notReached: [...sends.notReached] },
    order: [...f.order.ordered(LISTS)],
    userIds: Array.from({ length: people }, (_, i) => f.userIdOf(aadOf(i)) ?? null),
  });
}

async function open(prefix: string): Promise<Stores> {
  return openAzureStores({ connectionString: azurite.connectionString }, prefix);
}

/**
 * An instance's figures on the shared tables: its own writes told to them, the others' caught up on; its clock
 * `laterMs` ahead of the store's, as if it started that much later.
 */
async function instance(
  prefix: string,
  laterMs = 0,
): Promise<{ index: CoverageIndex; stores: Stores; catchUp: FiguresCatchUp }> {
  const index = new CoverageIndex(course);
  const stores = indexedStores(await open(prefix), index);
  const changes = stores.changes!;
  const now = () => changes.now() + laterMs;
  const catchUp = new FiguresCatchUp(changes, stores, index, now, () => index.refresh(stores));
  return { index, stores, catchUp };
}

/** Writes about person `i`: roster, some progress, an assignment, their campaign delivery's state. */
async function writePerson(stores: Stores, i: number, round: number): Promise<void> {
  await stores.roster.put(
    rosterMember(nameOf(i), {
      aad: aadOf(i),
      department: `Department ${(i + round) % 3}`,
      active: (i + round) % 7 !== 0,
    }),
  );
  const lesson = course.lessons[(i + round) % course.lessons.length]!;
  if ((i + round) % 4 === 0) await completeCourseInStore(stores, course, aadOf(i));
  else await stores.progress.openLesson(aadOf(i), lesson.id, '2026-10-21T10:00:00Z', lesson.revision);
  await stores.assignments.update(rosterKey(nameOf(i)), () => ({
    key: rosterKey(nameOf(i)),
    campaignId: SEND,
    due: `2026-11-0${(round % 9) + 1}`,
    ...((i + round) % 5 === 0 ? { reach: { ok: false, at: '2026-10-22T10:00:00Z' } } : {}),
  }));
  const id = `${SEND}/${rosterKey(nameOf(i))}`;
  await stores.deliveries.update(id, (d) => ({
    ...d,
    state: (['sent', 'unreachable', 'failed', 'pending'] as const)[(i + round) % 4]!,
    reason: 'round',
  }));
}

async function seed(stores: Stores, people: number): Promise<void> {
  await stores.campaigns.create({
    id: SEND,
    createdBy: 'hr',
    createdAt: '2026-10-20T10:00:00Z',
    audience: { kind: 'everyone' },
    due: '2026-11-01',
    recipients: people,
  } as never);
  await stores.deliveries.add(
    Array.from({ length: people }, (_, i) => ({
      id: `${SEND}/${rosterKey(nameOf(i))}`,
      sendId: SEND,
      kind: 'campaign' as const,
      campaignId: SEND,
      memberKey: rosterKey(nameOf(i)),
      state: 'pending' as const,
      attempts: 0,
      createdAt: '2026-10-20T10:00:00Z',
      updatedAt: '2026-10-20T10:00:00Z',
    })),
  );
  for (let i = 0; i < people; i++) await writePerson(stores, i, 0);
}

describe('HR’s figures from a checkpoint on Azure Tables (Azurite)', () => {
  it(
    'restored and caught up equal figures built in full, with writes while it was saved and after',
    { timeout: 240_000 },
    async () => {
      const prefix = uniquePrefix();
      const people = 24;
      const writer = await open(prefix);
      await seed(writer, people);
      const leader = await instance(prefix);
      await leader.index.refresh(leader.stores);
      await writePerson(writer, 1, 1);
      await writePerson(leader.stores, 2, 1);
      await leader.catchUp.pass();
      // Not caught up on by the leader before it saves.
      await writePerson(writer, 14, 1);
      // Writes by another instance and by the leader itself while the checkpoint is saved.
      const [saved] = await Promise.all([
        saveCheckpoint(leader.index, leader.catchUp, leader.stores.checkpoints!, 1),
        (async () => {
          for (let i = 3; i < 8; i++) await writePerson(writer, i, 2);
        })(),
        (async () => {
          for (let i = 8; i < 12; i++) await writePerson(leader.stores, i, 2);
        })(),
      ]);
      expect(saved).toBe(true);
      for (let i = 0; i < 6; i++) await writePerson(writer, (i * 5) % people, 3);
      await writePerson(leader.stores, 13, 3);

      const log = collectingLog();
      // Starting a minute after these writes: only the checkpoint's position brings them in.
      const started = await instance(prefix, 60_000);
      const from = await startFigures({
        index: started.index,
        sources: started.stores,
        shared: { catchUp: started.catchUp, checkpoints: started.stores.checkpoints! },
        log,
      });
      expect(from).toBe('checkpoint');
      const built = await instance(prefix);
      await built.index.refresh(built.stores);
      expect(await view(started.index, people)).toEqual(await view(built.index, people));
    },
  );

  it(
    'fall back to a full build on a checkpoint of another version, a corrupt one, or one the log no longer covers',
    {
      timeout: 240_000,
    },
    async () => {
      const prefix = uniquePrefix();
      const people = 10;
      const writer = await open(prefix);
      await seed(writer, people);
      const leader = await instance(prefix);
      await leader.index.refresh(leader.stores);
      const checkpoints = leader.stores.checkpoints!;
      const now = writer.changes!.now();
      const state = encodeState(leader.index.saved()!);
      const version = checkpointVersion(leader.index);
      const built = await instance(prefix);
      await built.index.refresh(built.stores);
      const cases = [
        { version: 'another version', position: now, bytes: state, logged: 'figures.checkpoint-other-version' },
        { version, position: now, bytes: randomBytes(5_000), logged: 'figures.checkpoint-unusable' },
        { version, position: now - CHANGES_KEPT_MS, bytes: state, logged: 'figures.checkpoint-too-old' },
      ];
      for (const [generation, { logged, ...checkpoint }] of cases.entries()) {
        expect(await checkpoints.save(checkpoint, generation + 1)).toBe(true);
        const log = collectingLog();
        const started = await instance(prefix);
        const from = await startFigures({
          index: started.index,
          sources: started.stores,
          shared: { catchUp: started.catchUp, checkpoints: started.stores.checkpoints! },
          log,
        });
        expect(from).toBe('build');
        expect(log.lines.some((line) => line.includes(`"event":"${logged}"`))).toBe(true);
        expect(await view(started.index, people)).toEqual(await view(built.index, people));
      }
    },
  );

  it(
    'are built in full again by a catch-up whose position the change log no longer holds',
    { timeout: 120_000 },
    async () => {
      const prefix = uniquePrefix();
      const writer = await open(prefix);
      await seed(writer, 6);
      const index = new CoverageIndex(course);
      const stores = indexedStores(await open(prefix), index);
      let offset = 0;
      const catchUp = new FiguresCatchUp(
        stores.changes!,
        stores,
        index,
        () => stores.changes!.now() + offset,
        () => index.refresh(stores),
      );
      await index.refresh(stores);
      await writePerson(writer, 2, 5);
      expect((await catchUp.pass()).rebuilt).toBeUndefined();
      // A day and more without a pass that worked (an outage): what changed since may be pruned.
      offset = CHANGES_KEPT_MS;
      await writePerson(writer, 3, 5);
      expect((await catchUp.pass()).rebuilt).toBe(true);
      const built = new CoverageIndex(course);
      await built.refresh(stores);
      expect(await view(index, 6)).toEqual(await view(built, 6));
      expect((await catchUp.pass()).rebuilt).toBeUndefined();
    },
  );

  it(
    'saved by two leaders at once is always one of them whole; an older leader’s does not replace a newer one',
    {
      timeout: 120_000,
    },
    async () => {
      const checkpoints = (await open(uniquePrefix())).checkpoints!;
      const [a, b] = [randomBytes(2_500_000), randomBytes(2_500_000)];
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all([
          checkpoints.save({ version: 'v', position: round, bytes: a }, 5),
          checkpoints.save({ version: 'v', position: round, bytes: b }, 5),
        ]);
        expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
        const read = Buffer.from(await (await checkpoints.latest())!.read());
        expect(read.equals(a) || read.equals(b)).toBe(true);
      }
      expect(await checkpoints.save({ version: 'v', position: 9, bytes: a }, 6)).toBe(true);
      expect(await checkpoints.save({ version: 'v', position: 10, bytes: b }, 5)).toBe(false);
      const latest = (await checkpoints.latest())!;
      expect(latest.position).toBe(9);
      expect(Buffer.from(await latest.read()).equals(a)).toBe(true);
    },
  );
});
