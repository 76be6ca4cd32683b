import { beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../../src/domain/course/course.js';
import type { Validity } from '../../../src/domain/course/validity.js';
import { CoverageService } from '../../../src/domain/coverage/coverageService.js';
import { CoverageIndex } from '../../../src/domain/figures/coverageIndex.js';
import { RenewalService } from '../../../src/domain/renewal/renewalService.js';
import { memoryStores } from '../../../src/storage/memory.js';
import { handClock } from '../../support/handClock.js';
import { completeCourseInStore, loadCourse, rosterKey, rosterMember } from '../../support/hrFixtures.js';

const ZONE = 'Europe/Amsterdam';
const YEARLY: Validity = { months: 12, timeZone: ZONE };

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

/**
 * Anna, Bert and Cato acknowledged on 20 October 2026, so all lapse on 20 October 2027; Anna had been reached by a
 * campaign due 30 October 2026; Bert renews on 21 October 2027; Dirk has not started.
 */
async function world() {
  const stores = memoryStores();
  for (const [name, aad] of [
    ['Anna', 'a1'],
    ['Bert', 'b1'],
    ['Cato', 'c1'],
  ] as const) {
    await stores.roster.put(rosterMember(name, { aad }));
    await completeCourseInStore(stores, course, aad);
  }
  await stores.roster.put(rosterMember('Dirk', { aad: 'd1' }));
  await stores.assignments.update(rosterKey('Anna'), () => ({
    key: rosterKey('Anna'),
    due: '2026-10-30',
    campaignId: 'campaign-1',
  }));
  const clock = handClock('2027-10-21T09:00:00Z');
  const renewals = new RenewalService(course, stores, clock, YEARLY);
  const first = await renewals.start('b1', '2027-10-20');
  for (let step = first; step?.kind === 'question'; step = await renewals.step('b1')) {
    const right = step.place.question.choices.find((c) => c.correct)?.id ?? '';
    await renewals.answer('b1', step.lapse, step.place.question.id, step.attempt, right);
  }
  expect((await renewals.acknowledge('b1', '2027-10-20')).kind).toBe('acknowledged');
  const index = new CoverageIndex(course, YEARLY);
  await index.refresh({ ...stores });
  const indexed = new CoverageService(course, stores, clock, ZONE, index, YEARLY);
  const scanned = new CoverageService(course, stores, clock, ZONE, undefined, YEARLY);
  return { clock, indexed, scanned };
}

/** What the people list and the export show: name, status, due date and overdue, in report order. */
async function people(service: CoverageService) {
  return (await service.reports()).map((r) => [r.member.name, r.status, r.due, r.overdue]);
}

describe('renewal due on the people list', () => {
  it('is a state of its own, the same with the coverage index and without, on every day', async () => {
    const { clock, indexed, scanned } = await world();
    const days = ['2027-10-19', '2027-10-21', '2027-11-04', '2027-11-05', '2027-10-19'];
    const seen: Record<string, unknown> = {};
    for (const day of days) {
      clock.set(`${day}T09:00:00Z`);
      const due = await indexed.firstReports('renewal-due', 10);
      const completed = await indexed.firstReports('completed', 10);
      expect(due.reports.map((r) => r.member.name)).toEqual(
        (await scanned.firstReports('renewal-due', 10)).reports.map((r) => r.member.name),
      );
      expect(completed.total).toBe((await scanned.firstReports('completed', 10)).total);
      const coverage = await indexed.coverage();
      expect(await scanned.coverage()).toEqual(coverage);
      expect(due.total).toBe(coverage.overall.renewalDue ?? 0);
      expect(completed.total).toBe(coverage.overall.completed);
      expect(await people(indexed)).toEqual(await people(scanned));
      seen[day] = { due: due.total, completed: completed.total, overdue: coverage.overall.overdue };
    }
    // Before the lapse all three are completed; from it Anna and Cato are renewal due (Bert renewed), overdue
    // after 3 November (their renewal's due date, not Anna's campaign's); and back again.
    expect(seen).toEqual({
      '2027-10-19': { due: 0, completed: 3, overdue: 0 },
      '2027-10-21': { due: 2, completed: 1, overdue: 0 },
      '2027-11-04': { due: 2, completed: 1, overdue: 2 },
      '2027-11-05': { due: 2, completed: 1, overdue: 2 },
    });
    clock.set('2027-11-04T09:00:00Z');
    expect(await people(indexed)).toEqual([
      ['Anna', 'renewal-due', '2027-11-03', true],
      ['Bert', 'completed', undefined, false],
      ['Cato', 'renewal-due', '2027-11-03', true],
      ['Dirk', 'not-started', undefined, false],
    ]);
  });
});
