import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Assignment } from '../../../src/domain/campaigns/assignment.js';
import type { Course } from '../../../src/domain/course/course.js';
import {
  completedShare,
  CoverageService,
  NO_GROUP,
  type Counts,
} from '../../../src/domain/coverage/coverageService.js';
import type { Stores } from '../../../src/storage/stores.js';
import { openLowdbStores } from '../../../src/storage/lowdb/stores.js';
import { memoryStores } from '../../../src/storage/memory.js';
import { loadCourse, rosterMember } from '../../support/hrFixtures.js';
import { useTempDirs } from '../../support/tempDirs.js';

const ZONE = 'Europe/Amsterdam';
const NOW = new Date('2026-11-10T10:00:00Z');
const tempDir = useTempDirs('coverage');

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

type Progress = 'none' | 'language-only' | 'one-lesson' | 'all-but-ack' | 'old-version' | 'completed';

interface Person {
  readonly name: string;
  readonly department: string;
  readonly role: string;
  readonly aad?: string;
  readonly active?: boolean;
  readonly progress: Progress;
  readonly assignment?: Omit<Assignment, 'key'>;
}

const blocked = { ok: false, reason: '403 ConversationBlockedByUser', at: '2026-11-03T09:00:00Z' };

// The hand-computed roster: today is 2026-11-10 in Amsterdam.
const PEOPLE: readonly Person[] = [
  {
    name: 'Ann',
    department: 'Sales',
    role: 'Account manager',
    aad: 'a1',
    progress: 'completed',
    assignment: { due: '2026-11-01' },
  },
  { name: 'Bob', department: 'Sales', role: 'Account manager', aad: 'a2', progress: 'one-lesson' },
  {
    name: 'Cem',
    department: 'Sales',
    role: 'Sales director',
    aad: 'a3',
    progress: 'none',
    assignment: { due: '2026-11-09' },
  },
  { name: 'Dia', department: 'Facilities', role: 'Office manager', aad: 'a4', progress: 'completed' },
  {
    name: 'Eva',
    department: 'Facilities',
    role: 'Receptionist',
    aad: 'a5',
    progress: 'one-lesson',
    assignment: { due: '2026-11-20', reach: blocked },
  },
  { name: 'Fay', department: 'Facilities', role: 'Receptionist', progress: 'none' },
  { name: 'Gus', department: 'Facilities', role: 'Office manager', aad: 'a7', progress: 'old-version' },
  {
    name: 'Hal',
    department: 'Finance',
    role: 'Controller',
    aad: 'a8',
    progress: 'completed',
    assignment: { due: '2026-11-01' },
  },
  {
    name: 'Ivy',
    department: 'Finance',
    role: 'Office manager',
    aad: 'a9',
    progress: 'all-but-ack',
    assignment: { due: '2026-11-10' },
  },
  { name: 'Jan', department: '', role: ' ', aad: 'a10', progress: 'language-only' },
  {
    name: 'Kim',
    department: 'Sales',
    role: 'Account manager',
    aad: 'a11',
    active: false,
    progress: 'completed',
    assignment: { due: '2026-11-01', reach: blocked },
  },
  {
    name: 'Leo',
    department: 'Finance',
    role: 'Controller',
    aad: 'a12',
    progress: 'none',
    assignment: { due: '2026-11-05', reach: blocked },
  },
];

const counts = (
  active: number,
  notStarted: number,
  inProgress: number,
  completed: number,
  overdue = 0,
  unreachable = 0,
  reacknowledge = 0,
): Counts => ({
  active,
  notStarted,
  inProgress,
  reacknowledge,
  completed,
  overdue,
  unreachable,
});

async function walk(stores: Stores, userId: string, progress: Progress): Promise<void> {
  const at = '2026-11-04T09:00:00.000Z';
  if (progress === 'none') return;
  if (progress === 'language-only') {
    await stores.progress.setLanguage(userId, 'nl', at);
    return;
  }
  const lessons = progress === 'one-lesson' ? course.lessons.slice(0, 1) : course.lessons;
  let first = true;
  for (const lesson of lessons) {
    await stores.progress.openLesson(userId, lesson.id, at, lesson.revision);
    if (progress === 'one-lesson') return;
    for (const q of lesson.questions) {
      const right = q.choices.find((c) => c.correct);
      const wrong = q.choices.find((c) => !c.correct);
      const choice = first ? wrong : right;
      first = false;
      const answer = {
        questionId: q.id,
        choiceId: choice?.id ?? '',
        correct: choice?.correct ?? false,
        at,
        revision: lesson.revision,
      };
      await stores.progress.recordAnswer(userId, { ...answer, version: course.version });
    }
  }
  if (progress === 'all-but-ack') return;
  const version = progress === 'old-version' ? 'an-older-version' : course.version;
  const revisions = Object.fromEntries(course.lessons.map((l) => [l.id, l.revision]));
  await stores.progress.recordAcknowledgement(userId, {
    version,
    at: '2026-11-05T12:00:00.000Z',
    correct: 1,
    total: 1,
    revisions,
  });
}

async function seed(stores: Stores): Promise<void> {
  for (const p of PEOPLE) {
    const member = rosterMember(p.name, p);
    await stores.roster.put(member);
    if (p.assignment)
      await stores.assignments.update(member.key, () => ({ key: member.key, campaignId: 'c1', ...p.assignment }));
    await walk(stores, p.aad ?? member.key, p.progress);
  }
  // Talked to the bot and finished, but not on the roster: never counted.
  await walk(stores, 'outsider', 'completed');
}

const service = (stores: Stores, now = NOW) => new CoverageService(course, stores, { now: () => now }, ZONE);

const harnesses: Record<string, () => Promise<{ stores: Stores; reopen: () => Promise<Stores> }>> = {
  memory: async () => {
    const stores = memoryStores();
    return { stores, reopen: async () => stores };
  },
  lowdb: async () => {
    const file = path.join(await tempDir(), 'postwise.json');
    const stores = await openLowdbStores(file, NOW, 4);
    return {
      stores,
      reopen: async () => {
        await stores.close();
        return openLowdbStores(file, NOW, 4);
      },
    };
  },
};

describe.each(Object.keys(harnesses))('coverage of a hand-computed roster (%s store)', (name) => {
  const open = async () => {
    const h = await (harnesses[name] as () => Promise<{ stores: Stores; reopen: () => Promise<Stores> }>)();
    await seed(h.stores);
    return h.reopen();
  };

  it('counts the active roster overall, by department and by role', async () => {
    const stores = await open();
    const coverage = await service(stores).coverage();
    expect(coverage.version).toBe(course.version);
    expect(coverage.overall).toEqual(counts(11, 4, 3, 3, 2, 2, 1));
    expect(coverage.byDepartment).toEqual([
      { name: NO_GROUP, counts: counts(1, 1, 0, 0) },
      { name: 'Facilities', counts: counts(4, 1, 1, 1, 0, 1, 1) },
      { name: 'Finance', counts: counts(3, 1, 1, 1, 1, 1) },
      { name: 'Sales', counts: counts(3, 1, 1, 1, 1, 0) },
    ]);
    expect(coverage.byRole).toEqual([
      { name: NO_GROUP, counts: counts(1, 1, 0, 0) },
      { name: 'Account manager', counts: counts(2, 0, 1, 1) },
      { name: 'Controller', counts: counts(2, 1, 0, 1, 1, 1) },
      { name: 'Office manager', counts: counts(3, 0, 1, 1, 0, 0, 1) },
      { name: 'Receptionist', counts: counts(2, 1, 1, 0, 0, 1) },
      { name: 'Sales director', counts: counts(1, 1, 0, 0, 1, 0) },
    ]);
    expect(completedShare(coverage.overall)).toBeCloseTo(3 / 11);
    await stores.close();
  });

  it('lists members with their progress, reach and acknowledged version', async () => {
    const stores = await open();
    const reports = await service(stores).reports();
    expect(reports.map((r) => r.member.name)).toEqual([
      'Jan',
      'Dia',
      'Eva',
      'Fay',
      'Gus',
      'Hal',
      'Ivy',
      'Leo',
      'Ann',
      'Bob',
      'Cem',
    ]);
    const of = (who: string) => reports.find((r) => r.member.name === who);
    const questions = course.lessons.reduce((n, l) => n + l.questions.length, 0);
    expect(of('Ann')).toMatchObject({
      status: 'completed',
      lessonsDone: course.lessons.length,
      lessonsTotal: course.lessons.length,
      correct: questions - 1,
      answered: questions,
      acknowledgedVersion: course.version,
      acknowledgedAt: '2026-11-05T12:00:00.000Z',
      lastActivityAt: '2026-11-05T12:00:00.000Z',
      due: '2026-11-01',
      overdue: false,
    });
    expect(of('Ann')?.reachable).toBeUndefined();
    expect(of('Gus')).toMatchObject({
      status: 'needs-reacknowledge',
      lessonsChanged: 0,
      lessonsDone: course.lessons.length,
      acknowledgedVersion: 'an-older-version',
    });
    expect(of('Eva')).toMatchObject({
      status: 'in-progress',
      lessonsDone: 0,
      reachable: false,
      unreachableReason: '403 ConversationBlockedByUser',
      overdue: false,
    });
    expect(of('Cem')).toMatchObject({ status: 'not-started', overdue: true, lessonsDone: 0, answered: 0 });
    expect(of('Fay')).toMatchObject({ status: 'not-started', lessonsDone: 0 });
    expect(of('Jan')?.status).toBe('not-started');
    await stores.close();
  });

  it('sees progress made since it last counted', async () => {
    const stores = await open();
    const coverage = service(stores);
    expect((await coverage.coverage()).overall).toEqual(counts(11, 4, 3, 3, 2, 2, 1));
    expect((await coverage.reports({ department: 'Finance' })).find((r) => r.member.name === 'Ivy')?.status).toBe(
      'in-progress',
    );
    await stores.progress.recordAcknowledgement('a9', {
      version: course.version,
      at: '2026-11-10T09:00:00.000Z',
      correct: 1,
      total: 1,
    });
    await stores.progress.openLesson('a3', course.lessons[0]?.id ?? '', '2026-11-10T09:30:00.000Z');
    await stores.assignments.update('leo@contoso.example', (a) =>
      a ? { ...a, reach: { ok: true, at: '2026-11-10T09:00:00Z' } } : undefined,
    );
    const after = await coverage.coverage();
    expect(after.overall).toEqual(counts(11, 3, 3, 4, 2, 1, 1));
    expect(after.byDepartment.find((d) => d.name === 'Finance')?.counts).toEqual(counts(3, 1, 0, 2, 1, 0));
    expect((await coverage.reports({ department: 'Finance' })).find((r) => r.member.name === 'Ivy')).toMatchObject({
      status: 'completed',
      acknowledgedVersion: course.version,
    });
    await stores.close();
  });

  it('filters by status and department, and lists people who left only when asked', async () => {
    const stores = await open();
    const coverage = service(stores);
    expect((await coverage.reports({ status: 'not-started' })).map((r) => r.member.name)).toEqual([
      'Jan',
      'Fay',
      'Leo',
      'Cem',
    ]);
    expect((await coverage.reports({ department: 'Facilities' })).map((r) => r.member.name)).toEqual([
      'Dia',
      'Eva',
      'Fay',
      'Gus',
    ]);
    expect((await coverage.reports({ department: NO_GROUP })).map((r) => r.member.name)).toEqual(['Jan']);
    expect((await coverage.reports({ department: 'Sales', status: 'completed' })).map((r) => r.member.name)).toEqual([
      'Ann',
    ]);
    expect(await coverage.reports({ department: 'Marketing' })).toEqual([]);
    const everyone = await coverage.reports({ includeInactive: true });
    expect(everyone).toHaveLength(12);
    expect(everyone.at(-1)).toMatchObject({ member: { name: 'Kim', active: false }, status: 'completed' });
    await stores.close();
  });
});

describe('overdue', () => {
  it('compares the due date with today in the organisation time zone, not in UTC', async () => {
    const stores = memoryStores();
    await seed(stores);
    // 23:30 UTC on the 9th is already the 10th in Amsterdam: Cem, due on the 9th, is overdue there.
    const lateEvening = new Date('2026-11-09T23:30:00Z');
    const cem = async (zone: string) =>
      (
        await new CoverageService(course, stores, { now: () => lateEvening }, zone).reports({ department: 'Sales' })
      ).find((r) => r.member.name === 'Cem');
    expect((await cem(ZONE))?.overdue).toBe(true);
    expect((await cem('UTC'))?.overdue).toBe(false);
    expect((await service(stores, lateEvening).coverage()).overall.overdue).toBe(2);
  });

  it('counts nobody when the roster is empty', async () => {
    const coverage = await service(memoryStores()).coverage();
    expect(coverage.overall).toEqual(counts(0, 0, 0, 0));
    expect(coverage.byDepartment).toEqual([]);
    expect(completedShare(coverage.overall)).toBe(0);
  });
});

describe('mastered at', () => {
  it('is when the last question missed on the first try was answered right in a review, and empty until every question is', async () => {
    const stores = memoryStores();
    await stores.roster.put(rosterMember('Mia', { aad: 'm1' }));
    const questions = course.lessons.flatMap((l) => l.questions);
    const revisionOf = (id: string) => course.lessons.find((l) => l.questions.some((q) => q.id === id))?.revision;
    const [missed, alsoMissed] = questions;
    for (const [i, q] of questions.entries()) {
      const miss = q === missed || q === alsoMissed;
      const choice = q.choices.find((c) => c.correct === !miss);
      const at = `2026-11-0${1 + (i % 3)}T09:00:00.000Z`;
      const answer = { questionId: q.id, choiceId: choice?.id ?? '', correct: !miss, at, revision: revisionOf(q.id) };
      await stores.progress.recordAnswer('m1', { ...answer, version: course.version });
    }
    const mia = async () => (await service(stores).reports()).find((r) => r.member.name === 'Mia');
    expect(await mia()).toMatchObject({
      correct: questions.length - 2,
      answered: questions.length,
      masteredAt: undefined,
    });

    const review = (q: typeof missed, correct: boolean, at: string) =>
      stores.progress.recordReview('m1', 1, {
        questionId: q?.id ?? '',
        choiceId: q?.choices.find((c) => c.correct === correct)?.id ?? '',
        correct,
        at,
        version: course.version,
      });
    await review(missed, true, '2026-11-06T10:00:00.000Z');
    await review(alsoMissed, false, '2026-11-05T10:00:00.000Z');
    expect((await mia())?.masteredAt).toBeUndefined();
    await stores.progress.recordReview('m1', 2, {
      questionId: alsoMissed?.id ?? '',
      choiceId: alsoMissed?.choices.find((c) => c.correct)?.id ?? '',
      correct: true,
      at: '2026-11-05T11:00:00.000Z',
      version: course.version,
    });
    // The later of the two review times, not the last first-try time (the 3rd) nor the last attempt.
    expect((await mia())?.masteredAt).toBe('2026-11-06T10:00:00.000Z');
  });
});
