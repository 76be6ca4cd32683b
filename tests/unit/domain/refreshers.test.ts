import { beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../../src/domain/course/course.js';
import { choiceOrder } from '../../../src/domain/course/shuffle.js';
import { CoverageIndex } from '../../../src/domain/figures/coverageIndex.js';
import { RefresherService } from '../../../src/domain/refreshers/refresherService.js';
import { addDays } from '../../../src/domain/time/calendar.js';
import { memoryStores } from '../../../src/storage/memory.js';
import type { Stores } from '../../../src/storage/stores.js';
import { completeCourseInStore, loadCourse, rosterKey, rosterMember } from '../../support/hrFixtures.js';

const ZONE = 'Europe/Amsterdam';
/** Monday 2 November 2026, 10:00 in Amsterdam: Anna completes the course. */
const COMPLETED = '2026-11-02T09:00:00Z';

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

/** A clock the test moves. */
function clockAt(start: string): { now(): Date; set(at: string): void } {
  let t = new Date(start);
  return { now: () => new Date(t), set: (at) => (t = new Date(at)) };
}

interface World {
  stores: Stores;
  clock: ReturnType<typeof clockAt>;
  refreshers: RefresherService;
  /** Refresher deliveries added so far, by day. */
  sent(): Promise<string[]>;
}

/** Anna (Entra id a1, on the roster) completed the course on COMPLETED, with her first answer to `missed` wrong. */
async function world(options: { missed?: string; intervals?: number[] } = {}): Promise<World> {
  const stores = memoryStores();
  const clock = clockAt(COMPLETED);
  await stores.roster.put(rosterMember('Anna', { aad: 'a1' }));
  if (options.missed) {
    // The store keeps the first answer: this one wrong, then right in the review round.
    const lesson = course.lessons.find((l) => l.questions.some((q) => q.id === options.missed));
    const question = lesson?.questions.find((q) => q.id === options.missed);
    const at = '2026-10-20T10:00:00Z';
    const pick = (correct: boolean) => question?.choices.find((c) => c.correct === correct)?.id ?? '';
    const { version } = course;
    const first = {
      questionId: options.missed,
      choiceId: pick(false),
      correct: false,
      at,
      version,
      revision: lesson?.revision,
    };
    await stores.progress.recordAnswer('a1', first);
    await stores.progress.recordReview('a1', 1, {
      questionId: options.missed,
      choiceId: pick(true),
      correct: true,
      at,
      version: course.version,
    });
  }
  await completeCourseInStore(stores, course, 'a1');
  return build(stores, clock, options.intervals);
}

async function build(stores: Stores, clock: ReturnType<typeof clockAt>, intervals = [3, 10, 30, 90]): Promise<World> {
  const refreshers = new RefresherService(course, stores, clock, { intervals, timeZone: ZONE });
  await refreshers.enrol('a1', COMPLETED);
  const sent = async () =>
    (await stores.deliveries.open())
      .filter((d) => d.kind === 'refresher')
      .map((d) => d.sendId)
      .sort();
  return { stores, clock, refreshers, sent };
}

/** Answers Anna's open refresher, right or wrong; returns the question it asked. */
async function answerOpen(w: World, correct: boolean): Promise<string> {
  const open = await w.refreshers.current('a1');
  if (!open) throw new Error('no open refresher');
  const choice = open.place.question.choices.find((c) => c.correct === correct);
  const outcome = await w.refreshers.answer('a1', open.n, open.place.question.id, choice?.id ?? '');
  expect(outcome.kind).toBe('recorded');
  return open.place.question.id;
}

describe('refreshers after completion', () => {
  it('are first due 3 days after completion, and go out only in office hours', async () => {
    const w = await world();
    w.clock.set('2026-11-04T10:00:00Z'); // Wednesday: 2 days after
    expect(await w.refreshers.sendDue()).toBe(0);
    w.clock.set('2026-11-05T06:30:00Z'); // Thursday 07:30 in Amsterdam: before office hours
    expect(await w.refreshers.sendDue()).toBe(0);
    w.clock.set('2026-11-05T09:00:00Z'); // Thursday 10:00
    expect(await w.refreshers.sendDue()).toBe(1);
    expect(await w.sent()).toEqual(['refresher:2026-11-05']);
    const [delivery] = await w.stores.deliveries.forSend('refresher:2026-11-05');
    expect(delivery).toMatchObject({ kind: 'refresher', memberKey: rosterKey('Anna'), state: 'pending' });
    expect(await w.refreshers.sendDue()).toBe(0);
  });

  it('wait for Monday when they fall due at the weekend', async () => {
    const w = await world({ intervals: [5, 10] }); // due Saturday 7 November
    w.clock.set('2026-11-07T10:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
    w.clock.set('2026-11-09T08:00:00Z'); // Monday 09:00
    expect(await w.refreshers.sendDue()).toBe(1);
  });

  it('ask a question missed on the first try first, with its choices in another order than on the first try', async () => {
    const missed = course.lessons[5]?.questions[0]?.id ?? '';
    const w = await world({ missed });
    w.clock.set('2026-11-05T09:00:00Z');
    await w.refreshers.sendDue();
    const open = await w.refreshers.current('a1');
    expect(open?.place.question.id).toBe(missed);
    const ids = open?.place.question.choices.map((c) => c.id) ?? [];
    expect(open?.order).not.toEqual(choiceOrder(ids, 'a1', missed));
    expect([...(open?.order ?? [])].sort()).toEqual([...ids].sort());
  });

  it('move a question up a box after a right answer and back to the first after a wrong one', async () => {
    const w = await world();
    w.clock.set('2026-11-05T09:00:00Z');
    await w.refreshers.sendDue();
    const first = await answerOpen(w, true);
    expect((await w.stores.refreshers.get('a1'))?.cards[first]).toEqual({ box: 1, due: '2026-11-15' });
    // Next refresher: next week at the earliest, another question (the first is not due for 10 days).
    w.clock.set('2026-11-06T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
    w.clock.set('2026-11-09T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(1);
    const second = await answerOpen(w, false);
    expect(second).not.toBe(first);
    expect((await w.stores.refreshers.get('a1'))?.cards[second]).toEqual({ box: 0, due: '2026-11-12' });
    // Right twice: 10 days, then 30.
    const r = await w.stores.refreshers.get('a1');
    await w.stores.refreshers.update('a1', () => ({
      ...(r as NonNullable<typeof r>),
      issued: { n: 3, questionId: first, day: '2026-11-16', at: '2026-11-16T09:00:00Z' },
      week: '2026-11-16',
    }));
    w.clock.set('2026-11-16T09:00:00Z');
    await answerOpen(w, true);
    expect((await w.stores.refreshers.get('a1'))?.cards[first]).toEqual({ box: 2, due: '2026-12-16' });
  });

  it('bring a question answered wrong back before the ones answered right', async () => {
    const w = await world({ intervals: [3, 10, 30, 90] });
    // Every question seen once and answered right (due in 10 days), but one answered wrong (due in 3).
    const ids = course.lessons.flatMap((l) => l.questions.map((q) => q.id));
    const wrong = ids[7] as string;
    await w.stores.refreshers.update(
      'a1',
      (r) =>
        r && {
          ...r,
          cards: Object.fromEntries(
            ids.map((id) => [id, id === wrong ? { box: 0, due: '2026-11-12' } : { box: 1, due: '2026-11-19' }]),
          ),
          due: '2026-11-12',
        },
    );
    await w.stores.refreshers.file('2026-11-12', 'a1');
    w.clock.set('2026-11-12T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(1);
    expect((await w.refreshers.current('a1'))?.place.question.id).toBe(wrong);
  });

  it('stop for someone who opted out, and come back when they ask for one', async () => {
    const w = await world();
    expect(await w.refreshers.stop('a1')).toBe(true);
    expect(await w.refreshers.stop('a1')).toBe(false);
    w.clock.set('2026-11-05T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
    w.clock.set('2026-11-16T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
    expect(await w.sent()).toEqual([]);
    const asked = await w.refreshers.askNow('a1');
    expect(asked.kind).toBe('asked');
    expect((await w.stores.refreshers.get('a1'))?.optedOut).toBeUndefined();
  });

  it('go out at most once a week: one asked for on Monday means none that week', async () => {
    const w = await world();
    w.clock.set('2026-11-02T14:00:00Z'); // the day of completion, Monday
    expect((await w.refreshers.askNow('a1')).kind).toBe('asked');
    await answerOpen(w, true);
    w.clock.set('2026-11-05T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
    w.clock.set('2026-11-09T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(1);
    w.clock.set('2026-11-12T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
  });

  it('come less and less often to someone who leaves them unanswered (2, 4, then 8 weeks), and weekly again after an answer', async () => {
    const w = await world();
    let day = '2026-11-03';
    /** A due round at 10:00 in Amsterdam (winter time) each day up to `last`. */
    const roundsUntil = async (last: string) => {
      for (; day <= last; day = addDays(day, 1)) {
        w.clock.set(`${day}T09:00:00Z`);
        await w.refreshers.sendDue();
      }
    };
    await roundsUntil('2027-04-10');
    expect(await w.sent()).toEqual([
      'refresher:2026-11-05',
      'refresher:2026-11-16',
      'refresher:2026-12-14',
      'refresher:2027-02-08',
      'refresher:2027-04-05',
    ]);
    await answerOpen(w, true);
    await roundsUntil('2027-04-13');
    await answerOpen(w, false);
    await roundsUntil('2027-04-20');
    expect((await w.sent()).slice(5)).toEqual(['refresher:2027-04-12', 'refresher:2027-04-19']);
  });

  it('never go out in a week with a campaign message or a reminder', async () => {
    const w = await world();
    await w.stores.campaigns.create({
      id: 'c1',
      createdBy: 'hr',
      createdAt: '2026-11-03T10:00:00Z',
      audience: { kind: 'everyone' },
      due: '2026-12-01',
      recipients: 1,
    });
    await w.stores.assignments.update(rosterKey('Anna'), () => ({
      key: rosterKey('Anna'),
      campaignId: 'c1',
      due: '2026-12-01',
    }));
    w.clock.set('2026-11-05T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
    // The next week a reminder went out on Monday.
    await w.stores.assignments.update(rosterKey('Anna'), (a) => a && { ...a, lastReminderAt: '2026-11-09T08:00:00Z' });
    w.clock.set('2026-11-10T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(0);
    w.clock.set('2026-11-16T09:00:00Z');
    expect(await w.refreshers.sendDue()).toBe(1);
    expect(await w.sent()).toEqual(['refresher:2026-11-16']);
  });

  it('take one answer each: a repeated submit changes nothing, and the scored first try never changes', async () => {
    const w = await world();
    const before = await w.stores.progress.get('a1');
    w.clock.set('2026-11-05T09:00:00Z');
    await w.refreshers.sendDue();
    const open = await w.refreshers.current('a1');
    const question = open?.place.question;
    const wrong = question?.choices.find((c) => !c.correct)?.id ?? '';
    const right = question?.choices.find((c) => c.correct)?.id ?? '';
    expect((await w.refreshers.answer('a1', open?.n ?? 0, question?.id ?? '', wrong)).kind).toBe('recorded');
    const stored = await w.stores.refreshers.get('a1');
    const again = await w.refreshers.answer('a1', open?.n ?? 0, question?.id ?? '', right);
    expect(again).toMatchObject({ kind: 'replayed', answer: { choiceId: wrong, correct: false } });
    expect(await w.stores.refreshers.get('a1')).toEqual(stored);
    expect((await w.refreshers.retention()).answered).toBe(1);
    expect(await w.stores.progress.get('a1')).toEqual(before);
    expect((await w.refreshers.answer('a1', 7, question?.id ?? '', right)).kind).toBe('stale');
  });

  it('are not asked of someone who has not completed the course', async () => {
    const w = await world();
    expect((await w.refreshers.askNow('someone-else')).kind).toBe('not-completed');
  });
});

describe('finding who is due', () => {
  it('reads only the employees due, not everyone with refreshers', async () => {
    const w = await world();
    // 300 more completed on later days; none of them is due on 5 November.
    for (let i = 0; i < 300; i++)
      await w.refreshers.enrol(`u${i}`, `2026-11-${String(3 + (i % 20)).padStart(2, '0')}T09:00:00Z`);
    let reads = 0;
    const { refreshers } = w.stores;
    const counting = {
      ...w.stores,
      refreshers: Object.assign(Object.create(refreshers), { get: (id: string) => ((reads += 1), refreshers.get(id)) }),
    };
    const service = new RefresherService(course, counting, w.clock, { intervals: [3, 10, 30, 90], timeZone: ZONE });
    w.clock.set('2026-11-05T09:00:00Z');
    expect(await service.sendDue()).toBe(1);
    expect(reads).toBe(1);
  });

  it('enrols at start-up everyone who completed the course before refreshers, once', async () => {
    const stores = memoryStores();
    await completeCourseInStore(stores, course, 'b1');
    await stores.progress.openLesson('c1', course.lessons[0]?.id ?? '', '2026-10-20T10:00:00Z');
    const service = new RefresherService(course, stores, clockAt(COMPLETED), { intervals: [3, 10], timeZone: ZONE });
    expect(await service.enrolCompleted()).toBe(1);
    expect(await service.enrolCompleted()).toBe(0);
    expect(await stores.refreshers.get('b1')).toMatchObject({ start: '2026-10-20', due: '2026-10-23' });
    expect(await stores.refreshers.get('c1')).toBeUndefined();
  });

  it("takes whom to enrol from HR's figures when there are figures, without reading progress whole", async () => {
    const stores = memoryStores();
    await completeCourseInStore(stores, course, 'b1');
    await stores.progress.openLesson('c1', course.lessons[0]?.id ?? '', '2026-10-20T10:00:00Z');
    const index = new CoverageIndex(course);
    await index.refresh(stores);
    const progress = {
      get: (userId: string) => stores.progress.get(userId),
      scan: () => Promise.reject(new Error('progress read whole')),
    };
    const refreshers = Object.assign(Object.create(stores.refreshers) as Stores['refreshers'], {
      userIds: () => Promise.resolve(known),
    });
    let known: string[] = [];
    const figures = { ...stores, progress, refreshers, completions: index };
    const service = new RefresherService(course, figures, clockAt(COMPLETED), { intervals: [3, 10], timeZone: ZONE });
    expect(await service.enrolCompleted()).toBe(1);
    expect(await stores.refreshers.get('b1')).toMatchObject({ start: '2026-10-20', due: '2026-10-23' });
    expect(await stores.refreshers.get('c1')).toBeUndefined();
    known = ['b1'];
    expect(await service.enrolCompleted()).toBe(0);
  });
});

describe('retention', () => {
  it('is the first-try correct rate of the last 90 days, overall and per lesson, each from 5 answers', async () => {
    const w = await world();
    const [l1, l2] = course.lessons;
    for (const correct of [true, true, true, false])
      await w.stores.refreshers.count('2026-11-05', l1?.id ?? '', correct);
    await w.stores.refreshers.count('2026-08-01', l1?.id ?? '', false); // more than 90 days before
    w.clock.set('2026-11-05T09:00:00Z');
    expect(await w.refreshers.retention()).toEqual({ answered: 4, correct: 3, lessons: [], withheld: 1 });
    await w.stores.refreshers.count('2026-08-08', l1?.id ?? '', true); // the 90th day back
    await w.stores.refreshers.count('2026-11-04', l2?.id ?? '', false);
    expect(await w.refreshers.retention()).toEqual({
      answered: 6,
      correct: 4,
      lessons: [{ lessonId: l1?.id, answered: 5, correct: 4 }],
      withheld: 1,
    });
  });
});
