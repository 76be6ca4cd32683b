import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../../src/config.js';
import type { Course } from '../../../src/domain/course/course.js';
import { memberStatus } from '../../../src/domain/course/progress.js';
import { lapseDay, type Validity } from '../../../src/domain/course/validity.js';
import { CoverageIndex } from '../../../src/domain/figures/coverageIndex.js';
import { renewalQuestions, RENEWAL_QUESTIONS } from '../../../src/domain/renewal/renewal.js';
import { RenewalService } from '../../../src/domain/renewal/renewalService.js';
import { FirstTries } from '../../../src/domain/understanding/firstTries.js';
import { memoryStores } from '../../../src/storage/memory.js';
import type { Stores } from '../../../src/storage/stores.js';
import { handClock } from '../../support/handClock.js';
import { completeCourseInStore, loadCourse, rosterMember } from '../../support/hrFixtures.js';

const ZONE = 'Europe/Amsterdam';
const YEARLY: Validity = { months: 12, timeZone: ZONE };
/** completeCourseInStore acknowledges on 20 October 2026, 12:00 in Amsterdam. */
const ACKNOWLEDGED = '2026-10-20';

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

async function completed(stores: Stores, userId = 'a1'): Promise<void> {
  await stores.roster.put(rosterMember('Anna', { aad: userId }));
  await completeCourseInStore(stores, course, userId);
}

/** Walks the renewal through: start, every question right on the first attempt but the first one. */
async function renew(service: RenewalService, userId: string): Promise<string> {
  const summary = await service.step(userId);
  if (summary?.kind !== 'summary') throw new Error(`expected the summary, got ${summary?.kind}`);
  let step = await service.start(userId, summary.lapse);
  let wrongOnce = true;
  while (step?.kind === 'question') {
    const choice = step.place.question.choices.find((c) => c.correct !== wrongOnce);
    wrongOnce = false;
    const outcome = await service.answer(userId, step.lapse, step.place.question.id, step.attempt, choice?.id ?? '');
    expect(outcome.kind).toBe('recorded');
    step = await service.step(userId);
  }
  expect(step?.kind).toBe('acknowledge');
  const ack = await service.acknowledge(userId, summary.lapse);
  expect(ack.kind).toBe('acknowledged');
  return summary.lapse;
}

describe('an acknowledgement with POSTWISE_ACKNOWLEDGEMENT_MONTHS', () => {
  it('lapses on the same day N months later in the organisation calendar, the month end when shorter', () => {
    expect(lapseDay('2026-10-20T10:00:00Z', YEARLY)).toBe('2027-10-20');
    // 23:30 UTC on 31 January is 1 February in Amsterdam.
    expect(lapseDay('2026-01-31T23:30:00Z', { months: 1, timeZone: ZONE })).toBe('2026-03-01');
    expect(lapseDay('2026-01-31T10:00:00Z', { months: 1, timeZone: ZONE })).toBe('2026-02-28');
  });

  it('makes a completed person renewal due exactly from the lapse day, and never without the setting', async () => {
    const stores = memoryStores();
    await completed(stores);
    const p = await stores.progress.get('a1');
    expect(memberStatus(course, p, { validity: YEARLY, today: '2027-10-19' })).toBe('completed');
    expect(memberStatus(course, p, { validity: YEARLY, today: '2027-10-20' })).toBe('renewal-due');
    expect(memberStatus(course, p, { validity: undefined, today: '2031-01-01' })).toBe('completed');
  });

  it('refuses a setting that is not a whole number of months, naming the variable', () => {
    for (const bad of ['twelve', '0', '1.5', '-3', '121']) {
      const env = { POSTWISE_ACKNOWLEDGEMENT_MONTHS: bad };
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/POSTWISE_ACKNOWLEDGEMENT_MONTHS/);
    }
    expect(loadConfig({}).acknowledgementMonths).toBeUndefined();
    expect(loadConfig({ POSTWISE_ACKNOWLEDGEMENT_MONTHS: '12' }).acknowledgementMonths).toBe(12);
  });
});

describe('the renewal questions', () => {
  it('put questions missed on the first try or in the latest refresher first, the same for the same renewal', async () => {
    const stores = memoryStores();
    await completed(stores);
    const p = await stores.progress.get('a1');
    if (!p) throw new Error('no progress');
    const ids = course.lessons.flatMap((l) => l.questions.map((q) => q.id));
    const [missedFirst, missedRefresher] = [ids[7] ?? '', ids[12] ?? ''];
    const withMiss = { ...p, answers: { ...p.answers, [missedFirst]: { ...p.answers[missedFirst]!, correct: false } } };
    const refreshers = {
      userId: 'a1',
      start: ACKNOWLEDGED,
      due: '2026-11-01',
      cards: { [missedRefresher]: { box: 0, due: '2026-11-01' }, [ids[3] ?? '']: { box: 2, due: '2026-12-01' } },
      answers: [],
    };
    const picked = renewalQuestions(course, withMiss, refreshers, '2027-10-20');
    expect(picked).toHaveLength(RENEWAL_QUESTIONS);
    expect(new Set(picked.slice(0, 2))).toEqual(new Set([missedFirst, missedRefresher]));
    expect(renewalQuestions(course, withMiss, refreshers, '2027-10-20')).toEqual(picked);
    // Without misses, another person and another renewal get questions of their own.
    const plain = renewalQuestions(course, p, undefined, '2027-10-20');
    expect(renewalQuestions(course, { ...p, userId: 'b2' }, undefined, '2027-10-20')).not.toEqual(plain);
    expect(renewalQuestions(course, p, undefined, '2028-10-20')).not.toEqual(plain);
  });
});

describe('a renewal', () => {
  it('takes the summary, brings a wrong answer back, and its new acknowledgement makes the person completed again', async () => {
    const stores = memoryStores();
    await completed(stores);
    const clock = handClock('2027-10-21T09:00:00Z');
    const service = new RenewalService(course, stores, clock, YEARLY);
    const status = async () =>
      memberStatus(course, await stores.progress.get('a1'), { validity: YEARLY, today: '2027-10-21' });
    expect(await status()).toBe('renewal-due');
    const lapse = await renew(service, 'a1');
    expect(lapse).toBe('2027-10-20');
    expect(await status()).toBe('completed');
    const p = await stores.progress.get('a1');
    const renewed = p?.acknowledgements.find((a) => a.renews === lapse);
    expect(renewed?.at).toBe('2027-10-21T09:00:00.000Z');
    // The clock starts again: the renewal lapses a year after it.
    expect(memberStatus(course, p, { validity: YEARLY, today: '2028-10-20' })).toBe('completed');
    expect(memberStatus(course, p, { validity: YEARLY, today: '2028-10-21' })).toBe('renewal-due');
    // The wrong answer came back and was answered again; the event log records the renewal.
    const attempts = Object.values(p?.renewal?.attempts ?? {});
    expect(attempts.some((a) => a.length === 2 && a[0]?.correct === false && a[1]?.correct === true)).toBe(true);
    const events = await stores.events.list({ userId: 'a1' });
    expect(events.filter((e) => e.type === 'acknowledged').map((e) => e.id)).toContain(
      `a1/acknowledged/${course.version}/renews-${lapse}`,
    );
    expect(await service.acknowledge('a1', lapse)).toMatchObject({ kind: 'replayed' });
  });

  it('leaves first tries alone: understanding and item figures count the same before and after', async () => {
    const stores = memoryStores();
    await completed(stores);
    const tries = new FirstTries(course);
    const before = tries.of((await stores.progress.get('a1'))!);
    await renew(new RenewalService(course, stores, handClock('2027-10-21T09:00:00Z'), YEARLY), 'a1');
    const after = (await stores.progress.get('a1'))!;
    expect(tries.of(after)).toEqual(before);
    expect(Object.keys(after.answers)).toHaveLength(course.lessons.flatMap((l) => l.questions).length);
    expect(Object.keys(after.reviews ?? {})).toHaveLength(0);
  });

  it('is counted as renewal due on the coverage figures from the lapse day, and overdue 14 days later', async () => {
    const stores = memoryStores();
    await completed(stores);
    const index = new CoverageIndex(course, YEARLY);
    await index.refresh(stores);
    const figures = await index.read();
    expect(figures.coverage('2027-10-19').overall).toMatchObject({ completed: 1, overdue: 0 });
    expect(figures.coverage('2027-10-19').overall.renewalDue).toBeUndefined();
    expect(figures.coverage('2027-10-20').overall).toMatchObject({ completed: 0, renewalDue: 1, overdue: 0 });
    expect(figures.coverage('2027-11-04').overall).toMatchObject({ renewalDue: 1, overdue: 1 });
  });

  it('is sent once per person and lapse, in office hours, with a due date two weeks after the lapse', async () => {
    const stores = memoryStores();
    await completed(stores);
    const clock = handClock('2027-10-23T09:00:00Z'); // a Saturday
    const service = new RenewalService(course, stores, clock, YEARLY);
    expect(await service.sendDue()).toBe(0);
    clock.set('2027-10-25T09:00:00Z');
    expect(await service.sendDue()).toBe(1);
    // Another process (a restart, a new leader) adds nothing.
    expect(await new RenewalService(course, stores, clock, YEARLY).sendDue()).toBe(0);
    const open = (await stores.deliveries.open()).filter((d) => d.kind === 'renewal');
    expect(open.map((d) => d.id)).toEqual([`renew:2027-10-20/${rosterMember('Anna', { aad: 'a1' }).key}`]);
    expect((await stores.assignments.get(rosterMember('Anna', { aad: 'a1' }).key))?.due).toBe('2027-11-03');
  });

  it("reads only the lapsed people's progress when HR's figures name them, and sends the same", async () => {
    const stores = memoryStores();
    await completed(stores);
    await stores.roster.put(rosterMember('Bart', { aad: 'b1' }));
    await completeCourseInStore(stores, course, 'b1');
    await stores.progress.openLesson('c1', course.lessons[0]?.id ?? '', '2026-10-20T10:00:00Z');
    const index = new CoverageIndex(course, YEARLY);
    await index.refresh(stores);
    const reads: string[] = [];
    const progress = Object.assign(Object.create(stores.progress) as Stores['progress'], {
      get: (userId: string) => (reads.push(userId), stores.progress.get(userId)),
      scan: () => Promise.reject(new Error('progress read whole')),
    });
    const clock = handClock('2027-10-19T09:00:00Z');
    const service = new RenewalService(course, { ...stores, progress, completions: index }, clock, YEARLY);
    expect(await service.sendDue()).toBe(0);
    expect(reads).toEqual([]);
    clock.set('2027-10-20T09:00:00Z');
    expect(await service.sendDue()).toBe(2);
    expect(reads.sort()).toEqual(['a1', 'b1']);
  });
});
