import { beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../../src/domain/course/course.js';
import { ENROLMENT_SEND_ID } from '../../../src/domain/enrolment/enrolment.js';
import { EnrolmentService } from '../../../src/domain/enrolment/enrolmentService.js';
import type { RosterRow } from '../../../src/domain/roster/roster.js';
import { RosterService } from '../../../src/domain/roster/rosterService.js';
import { memoryStores } from '../../../src/storage/memory.js';
import { completeCourseInStore, loadCourse, rosterKey } from '../../support/hrFixtures.js';
import { handClock } from '../../support/handClock.js';

const ZONE = 'Europe/Amsterdam';
const HR = 'hr-1';

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

const row = (name: string, aad?: string): RosterRow => ({
  name,
  email: `${name}@contoso.example`,
  department: 'Office',
  role: 'Staff',
  ...(aad ? { aadObjectId: aad } : {}),
});

/**
 * Ann and Bob are on the roster before HR turns the rule on (Monday 2 November 2026, 10:00 in Amsterdam): sent 3 days
 * after joining, due 14 days later.
 */
async function world() {
  const stores = memoryStores();
  const clock = handClock('2026-10-01T08:00:00Z');
  const roster = new RosterService(stores.roster, clock);
  let rows = [row('Ann', 'a1'), row('Bob', 'b1')];
  await roster.apply(rows, 'csv');
  clock.set('2026-11-02T09:00:00Z');
  const enrolment = new EnrolmentService(course, stores, clock, ZONE);
  expect(await enrolment.change({ kind: 'turn-on', sendAfterDays: '3', dueDays: 14 }, HR)).toMatchObject({
    kind: 'ok',
  });
  clock.set('2026-11-02T09:01:00Z');
  const load = async (next: RosterRow[]) => {
    rows = next;
    await roster.apply(rows, 'csv');
  };
  const sentTo = async () => (await stores.deliveries.forSend(ENROLMENT_SEND_ID)).map((d) => d.memberKey).sort();
  return { stores, clock, roster, enrolment, load, rows: () => rows, sentTo };
}

describe('standing enrolment', () => {
  it('sends a joiner the course after the set days, in office hours, due as HR set', async () => {
    const w = await world();
    w.clock.set('2026-11-02T09:30:00Z');
    await w.load([...w.rows(), row('Cas', 'c1')]);
    for (const day of ['2026-11-02', '2026-11-03', '2026-11-04']) {
      w.clock.set(`${day}T15:00:00Z`);
      expect(await w.enrolment.enrolDue()).toBe(0);
    }
    // Thursday 5 November, 20:00 in Amsterdam: the day has come, office hours have not.
    w.clock.set('2026-11-05T19:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(0);
    w.clock.set('2026-11-06T08:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(1);
    expect(await w.sentTo()).toEqual([rosterKey('Cas')]);
    expect(await w.stores.assignments.get(rosterKey('Cas'))).toMatchObject({
      due: '2026-11-20',
      campaignId: ENROLMENT_SEND_ID,
    });
    // Ann and Bob were on the roster before: HR's campaigns are for them.
    expect(await w.stores.assignments.get(rosterKey('Ann'))).toBeUndefined();
  });

  it('sends nothing twice: not on the next run, nor from another leader', async () => {
    const w = await world();
    await w.load([...w.rows(), row('Cas', 'c1')]);
    w.clock.set('2026-11-05T10:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(1);
    expect(await w.enrolment.enrolDue()).toBe(0);
    const otherLeader = new EnrolmentService(course, w.stores, w.clock, ZONE);
    w.clock.set('2026-11-09T10:00:00Z');
    expect(await otherLeader.enrolDue()).toBe(0);
    expect(await w.sentTo()).toEqual([rosterKey('Cas')]);
  });

  it('treats someone who comes back after being inactive as a joiner', async () => {
    const w = await world();
    await w.load([row('Ann', 'a1')]);
    w.clock.set('2026-11-03T10:00:00Z');
    await w.load([row('Ann', 'a1'), row('Bob', 'b1')]);
    w.clock.set('2026-11-05T10:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(0);
    w.clock.set('2026-11-06T10:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(1);
    expect(await w.sentTo()).toEqual([rosterKey('Bob')]);
  });

  it('leaves out a joiner who already completed the current version', async () => {
    const w = await world();
    await w.load([...w.rows(), row('Dee', 'd1')]);
    await completeCourseInStore(w.stores, course, 'd1');
    w.clock.set('2026-11-09T10:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(0);
    expect((await w.enrolment.state()).waiting).toBe(0);
  });

  it('sends nothing while paused, and what waited once resumed', async () => {
    const w = await world();
    await w.load([...w.rows(), row('Cas', 'c1'), row('Eve', 'e1')]);
    expect(await w.enrolment.change({ kind: 'pause' }, HR)).toMatchObject({ kind: 'ok', rule: { paused: true } });
    w.clock.set('2026-11-09T10:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(0);
    expect(await w.enrolment.state()).toMatchObject({ rule: { paused: true }, sent: 0, waiting: 2 });
    expect(await w.enrolment.change({ kind: 'resume' }, HR)).toMatchObject({ kind: 'ok', rule: { paused: false } });
    expect(await w.enrolment.enrolDue()).toBe(2);
    expect(await w.sentTo()).toEqual([rosterKey('Cas'), rosterKey('Eve')]);
  });

  it('waits for a joiner without an Entra id until their first contact links them', async () => {
    const w = await world();
    await w.load([...w.rows(), row('Fay')]);
    w.clock.set('2026-11-09T10:00:00Z');
    expect(await w.enrolment.enrolDue()).toBe(0);
    expect((await w.enrolment.state()).waiting).toBe(1);
    await w.roster.link('f1', ['fay@contoso.example']);
    expect(await w.enrolment.enrolDue()).toBe(1);
    expect(await w.sentTo()).toEqual([rosterKey('Fay')]);
  });

  it('counts what was sent, and keeps when it was turned on when HR changes the numbers', async () => {
    const w = await world();
    await w.load([...w.rows(), row('Cas', 'c1')]);
    w.clock.set('2026-11-05T10:00:00Z');
    await w.enrolment.enrolDue();
    const [delivery] = await w.stores.deliveries.forSend(ENROLMENT_SEND_ID);
    await w.stores.deliveries.update(delivery?.id ?? '', (d) => ({ ...d, state: 'sent' }));
    expect(await w.enrolment.change({ kind: 'turn-on', sendAfterDays: 1, dueDays: 7 }, HR)).toMatchObject({
      kind: 'ok',
      rule: { sendAfterDays: 1, dueDays: 7, since: '2026-11-02T09:00:00.000Z' },
    });
    expect(await w.enrolment.state()).toMatchObject({ sent: 1, waiting: 0 });
  });

  it.each([
    [{ sendAfterDays: -1, dueDays: 14 }, 'sendAfterDays'],
    [{ sendAfterDays: '2.5', dueDays: 14 }, 'sendAfterDays'],
    [{ sendAfterDays: 3, dueDays: 0 }, 'dueDays'],
    [{ sendAfterDays: 3, dueDays: 366 }, 'dueDays'],
    [{ sendAfterDays: 3, dueDays: { n: 1 } }, 'dueDays'],
  ])('refuses days it cannot use: %o', async (numbers, field) => {
    const stores = memoryStores();
    const enrolment = new EnrolmentService(course, stores, handClock('2026-11-02T09:00:00Z'), ZONE);
    expect(await enrolment.change({ kind: 'turn-on', ...numbers }, HR)).toEqual({ kind: 'invalid', field });
    expect(await enrolment.change({ kind: 'pause' }, HR)).toEqual({ kind: 'not-on' });
    expect((await enrolment.state()).rule).toBeUndefined();
  });
});
