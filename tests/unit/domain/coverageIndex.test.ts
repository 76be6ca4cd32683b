import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../../../src/domain/campaigns/campaignService.js';
import type { Delivery, DeliveryState } from '../../../src/domain/campaigns/delivery.js';
import type { Course } from '../../../src/domain/course/course.js';
import { CoverageIndex } from '../../../src/domain/figures/coverageIndex.js';
import { CoverageService } from '../../../src/domain/coverage/coverageService.js';
import { UnderstandingService } from '../../../src/domain/understanding/understandingService.js';
import { indexedStores } from '../../../src/storage/indexedStores.js';
import { memoryStores } from '../../../src/storage/memory.js';
import type { Stores } from '../../../src/storage/stores.js';
import { loadCourse } from '../../support/hrFixtures.js';

const ZONE = 'Europe/Amsterdam';
const DAYS = ['2026-11-01', '2026-11-10', '2026-11-20', '2026-12-01'];
const DEPARTMENTS = ['Sales', 'Finance', ' Finance ', '', 'IT'];
const STATES: DeliveryState[] = ['pending', 'sending', 'retrying', 'sent', 'unreachable', 'failed', 'unconfirmed'];

let course: Course;
let revised: Course;
beforeAll(async () => {
  course = await loadCourse();
  // A raised revision of the second lesson: a new version, and people to re-acknowledge.
  revised = {
    ...course,
    version: `${course.version}-r2`,
    lessons: course.lessons.map((l, i) => (i === 1 ? { ...l, revision: l.revision + 1 } : l)),
  };
});

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Random writes of every kind the index hears of: roster imports, progress, assignments, deliveries. */
async function writeAtRandom(stores: Stores, c: Course, next: () => number, writes: number): Promise<void> {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const questions = c.lessons.flatMap((l) => l.questions.map((q) => ({ l, q })));
  const versions = [c.version, course.version, 'an-older-version'];
  for (let i = 0; i < writes; i++) {
    const n = Math.floor(next() * 40);
    const key = `p${n}@contoso.example`;
    const aad = `aad-${Math.floor(next() * 45)}`;
    const kind = next();
    if (kind < 0.15) {
      const withAad = next() < 0.85;
      await stores.roster.put({
        key,
        email: key,
        name: `Person ${n}`,
        department: pick(DEPARTMENTS),
        role: pick(['Clerk', 'Lead', '']),
        ...(withAad ? { aadObjectId: aad.toUpperCase() } : {}),
        active: next() < 0.85,
        source: 'csv',
        updatedAt: '2026-11-01T00:00:00Z',
      });
    } else if (kind < 0.3) {
      await stores.progress.openLesson(aad, pick(c.lessons).id, '2026-11-02T00:00:00Z', 1 + Math.floor(next() * 2));
    } else if (kind < 0.55) {
      const { l, q } = pick(questions);
      const choice = pick(q.choices);
      await stores.progress.recordAnswer(aad, {
        questionId: q.id,
        choiceId: choice.id,
        correct: choice.correct,
        at: '2026-11-03T00:00:00Z',
        version: c.version,
        revision: l.revision - (next() < 0.2 ? 1 : 0) || 1,
      });
    } else if (kind < 0.58) {
      await complete(stores, c, aad);
    } else if (kind < 0.62) {
      await stores.progress.recordAcknowledgement(aad, {
        version: pick(versions),
        at: `2026-11-0${1 + Math.floor(next() * 9)}T00:00:00Z`,
        correct: 1,
        total: 2,
        ...(next() < 0.5 ? { revisions: { [c.lessons[1]?.id ?? '']: 1 } } : {}),
      });
    } else if (kind < 0.65) {
      await stores.progress.setLanguage(aad, pick(['en', 'nl'] as const), '2026-11-04T00:00:00Z');
    } else if (kind < 0.8) {
      const reach = next();
      await stores.assignments.update(key, (a) => ({
        ...a,
        key,
        ...(next() < 0.7 ? { due: pick(DAYS), campaignId: 'c1' } : {}),
        ...(reach < 0.5 ? { reach: { ok: reach < 0.25, reason: '403 Blocked', at: '2026-11-05T00:00:00Z' } } : {}),
      }));
    } else if (kind < 0.9) {
      const sendId = pick(['c1', 'c2']);
      const delivery: Delivery = {
        id: `${sendId}/${key}`,
        sendId,
        kind: 'campaign',
        campaignId: sendId,
        memberKey: key,
        state: 'pending',
        attempts: 0,
        updatedAt: '2026-11-05T00:00:00Z',
      };
      await stores.deliveries.add([delivery, { ...delivery, id: `r1/${key}`, sendId: 'r1', kind: 'reminder' }]);
    } else {
      const state = pick(STATES);
      await stores.deliveries.update(`${pick(['c1', 'c2'])}/${key}`, (d) => ({
        ...d,
        state,
        ...(state === 'unreachable' || state === 'failed'
          ? { reason: '403 Blocked', problem: 'blocked' as const }
          : {}),
      }));
    }
  }
}

/** Every lesson opened and question answered at its revision, and this version acknowledged. */
async function complete(stores: Stores, c: Course, userId: string): Promise<void> {
  const at = '2026-11-06T00:00:00Z';
  for (const l of c.lessons) {
    await stores.progress.openLesson(userId, l.id, at, l.revision);
    for (const q of l.questions) {
      const choice = q.choices.find((x) => x.correct);
      await stores.progress.recordAnswer(userId, {
        questionId: q.id,
        choiceId: choice?.id ?? '',
        correct: true,
        at,
        version: c.version,
        revision: l.revision,
      });
    }
  }
  await stores.progress.recordAcknowledgement(userId, { version: c.version, at, correct: 1, total: 1 });
}

/** Every HR figure, from the index and from whole tables, on each of the days. */
async function expectSameFigures(stores: Stores, c: Course, index: CoverageIndex): Promise<void> {
  for (const day of DAYS) {
    const clock = { now: () => new Date(`${day}T12:00:00Z`) };
    const scanned = new CoverageService(c, stores, clock, ZONE);
    const coverage = await scanned.coverage();
    expect(await new CoverageService(c, stores, clock, ZONE, index).coverage()).toEqual(coverage);
    const fromTables = new UnderstandingService(c, stores);
    const fromIndex = new UnderstandingService(c, stores, index);
    for (const department of [undefined, 'Sales', 'Finance', '(none)', 'Nobody']) {
      expect(await fromIndex.understanding(department)).toEqual(await fromTables.understanding(department));
    }
    for (const id of ['c1', 'c2']) {
      expect(await new CampaignService(c, stores, clock, ZONE, index).status(id)).toEqual(
        await new CampaignService(c, stores, clock, ZONE).status(id),
      );
    }
    // The reports, the export's rows and the cards' first few come from the index's order: the same people in the same
    // order.
    const indexed = new CoverageService(c, stores, clock, ZONE, index);
    const filters = [
      { includeInactive: true },
      {},
      { status: 'not-started' as const },
      { status: 'completed' as const, includeInactive: true },
      { department: 'Finance' },
      { department: '(none)', status: 'in-progress' as const },
    ];
    for (const filter of filters) expect(await indexed.reports(filter)).toEqual(await scanned.reports(filter));
    for (const status of ['not-started', 'in-progress', 'needs-reacknowledge', 'completed'] as const) {
      expect(await indexed.firstReports(status, 3)).toEqual(await scanned.firstReports(status, 3));
    }
  }
}

describe('the coverage index', () => {
  it('gives the figures a full scan gives after a random mix of writes, a restart on a revised course, and more writes', async () => {
    const raw = memoryStores();
    for (const id of ['c1', 'c2'])
      await raw.campaigns.create({
        id,
        createdBy: 'hr',
        createdAt: `2026-10-0${id === 'c1' ? 1 : 2}T00:00:00Z`,
        audience: { kind: 'everyone' },
        due: '2026-11-10',
        recipients: 40,
      });
    const next = random(13);
    const index = new CoverageIndex(course);
    const stores = indexedStores(raw, index);
    // Some writes before the index is built: it starts from what the store holds.
    await writeAtRandom(stores, course, next, 150);
    const built = index.refresh(stores);
    // Writes while it is built are not lost; a campaign confirmed again adds nothing it had.
    await stores.deliveries.add((await raw.deliveries.forSend('c1')).map((d) => ({ ...d, state: 'pending' as const })));
    await writeAtRandom(stores, course, next, 100);
    await built;
    await writeAtRandom(stores, course, next, 400);
    await expectSameFigures(stores, course, index);

    // A new release raises a lesson's revision: the index built at start-up counts on the new course.
    const after = new CoverageIndex(revised);
    const restarted = indexedStores(raw, after);
    await after.refresh(restarted);
    await expectSameFigures(restarted, revised, after);
    await writeAtRandom(restarted, revised, next, 500);
    await expectSameFigures(restarted, revised, after);
    const { overall } = await new CoverageService(
      revised,
      restarted,
      { now: () => new Date('2026-11-20T12:00:00Z') },
      ZONE,
      after,
    ).coverage();
    // The mix reaches every state, so the comparison covers each of them.
    expect(
      Math.min(
        overall.notStarted,
        overall.inProgress,
        overall.reacknowledge,
        overall.completed,
        overall.overdue,
        overall.unreachable,
      ),
    ).toBeGreaterThan(0);
  });

  it('takes in writes another instance made when refreshed', async () => {
    const raw = memoryStores();
    const index = new CoverageIndex(course);
    const stores = indexedStores(raw, index);
    await index.refresh(stores);
    // Written past this instance, as another instance on the same store would.
    await writeAtRandom(raw, course, random(7), 300);
    const clock = { now: () => new Date('2026-11-20T12:00:00Z') };
    const before = await new CoverageService(course, stores, clock, ZONE, index).coverage();
    expect(before.overall.active).toBe(0);
    await index.refresh(stores);
    await expectSameFigures(stores, course, index);
  });

  it('keeps the latest record of a person when two writes of them finish out of order', async () => {
    const raw = memoryStores();
    const index = new CoverageIndex(course);
    await index.refresh(raw);
    // The first write is durable first, but the news of it comes last, as a slow disk can make it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: Stores = {
      ...raw,
      roster: {
        get: (k) => raw.roster.get(k),
        byAadObjectId: (id) => raw.roster.byAadObjectId(id),
        list: () => raw.roster.list(),
        scan: (pick) => raw.roster.scan(pick),
        put: async (m) => {
          await raw.roster.put(m);
          if (m.department === 'Sales') await held;
        },
      },
      assignments: {
        get: (k) => raw.assignments.get(k),
        scan: (pick) => raw.assignments.scan(pick),
        update: async (k, change) => {
          const a = await raw.assignments.update(k, change);
          if (a?.due === '2026-11-01') await held;
          return a;
        },
      },
    };
    const stores = indexedStores(slow, index);
    const ann = {
      key: 'ann@contoso.example',
      email: 'ann@contoso.example',
      name: 'Ann',
      role: '',
      active: true,
      source: 'csv' as const,
      updatedAt: '2026-11-01T00:00:00Z',
    };
    const first = stores.roster.put({ ...ann, department: 'Sales' });
    const due = stores.assignments.update(ann.key, () => ({ key: ann.key, campaignId: 'c1', due: '2026-11-01' }));
    await stores.roster.put({ ...ann, department: 'Finance' });
    await stores.assignments.update(ann.key, (a) => ({ ...a, key: ann.key, campaignId: 'c1', due: '2026-12-01' }));
    release();
    await Promise.all([first, due]);
    const coverage = await new CoverageService(
      course,
      stores,
      { now: () => new Date('2026-11-20T12:00:00Z') },
      ZONE,
      index,
    ).coverage();
    expect(coverage.byDepartment.map((d) => d.name)).toEqual(['Finance']);
    expect(coverage.overall.overdue).toBe(0);
    await expectSameFigures(stores, course, index);
  });

  it('lists the first few who have not started, and the export, without reading every member', async () => {
    const raw = memoryStores();
    const index = new CoverageIndex(course);
    const stores = indexedStores(raw, index);
    await index.refresh(stores);
    await writeAtRandom(stores, course, random(5), 300);
    let scans = 0;
    let reads = 0;
    const counted: Stores = {
      ...stores,
      roster: {
        ...stores.roster,
        scan: (pick) => (scans++, stores.roster.scan(pick)),
        get: (key) => (reads++, stores.roster.get(key)),
      },
      progress: { ...stores.progress, scan: (pick) => (scans++, stores.progress.scan(pick)) },
      assignments: { ...stores.assignments, scan: (pick) => (scans++, stores.assignments.scan(pick)) },
    };
    const coverage = new CoverageService(course, counted, { now: () => new Date('2026-11-20T12:00:00Z') }, ZONE, index);
    const first = await coverage.firstReports('not-started', 2);
    expect(first.reports).toHaveLength(2);
    expect(first.total).toBe((await coverage.coverage()).overall.notStarted);
    const rows = coverage.reportRows({ includeInactive: true });
    await rows.next();
    await rows.return(undefined);
    expect({ scans, reads }).toEqual({ scans: 0, reads: 3 });
  });
});
