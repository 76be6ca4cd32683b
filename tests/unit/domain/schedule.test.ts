import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../../../src/domain/campaigns/campaignService.js';
import { ScheduleService, type ScheduleRequest } from '../../../src/domain/campaigns/scheduleService.js';
import type { Course } from '../../../src/domain/course/course.js';
import { localInstant } from '../../../src/domain/time/localTime.js';
import { memoryStores } from '../../../src/storage/memory.js';
import type { Stores } from '../../../src/storage/stores.js';
import { handClock } from '../../support/handClock.js';
import { completeCourseInStore, loadCourse, rosterMember } from '../../support/hrFixtures.js';

const ZONE = 'Europe/Amsterdam';

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

/** Ann finished the course; Bob has not started. */
async function seeded(): Promise<Stores> {
  const stores = memoryStores();
  await stores.roster.put(rosterMember('Ann', { aad: 'a1' }));
  await stores.roster.put(rosterMember('Bob', { aad: 'b1' }));
  await completeCourseInStore(stores, course, 'a1');
  return stores;
}

/** A campaign service and a schedule service over the stores, as one instance of the bot has them. */
function instance(stores: Stores, clock: ReturnType<typeof handClock>) {
  const campaigns = new CampaignService(course, stores, clock, ZONE);
  return { campaigns, schedules: new ScheduleService(campaigns, stores.schedules, clock, ZONE) };
}

/** Everyone who has not finished, from Tuesday 3 November 2026 at 10:00 in Amsterdam, due 1 December. */
function request(overrides: Partial<ScheduleRequest> = {}): ScheduleRequest {
  const base = { id: 'card-1', createdBy: 'hr-1', audience: 'everyone', departments: undefined, note: 'Thanks' };
  return { ...base, due: '2026-12-01', date: '2026-11-03', time: '10:00', ...overrides };
}

const recipients = async (stores: Stores, id = 'card-1') =>
  (await stores.deliveries.forSend(id)).map((d) => d.memberKey).sort();

describe('a scheduled campaign', () => {
  it('starts at its time, not before, and only once', async () => {
    const stores = await seeded();
    const clock = handClock('2026-11-02T09:00:00Z'); // Monday 10:00
    const { schedules } = instance(stores, clock);
    const outcome = await schedules.schedule(request());
    expect(outcome).toMatchObject({ kind: 'scheduled', schedule: { at: '2026-11-03T09:00:00.000Z' } });
    expect(await schedules.schedule(request())).toMatchObject({ kind: 'replayed' });

    clock.set('2026-11-03T08:59:00Z');
    expect(await schedules.startDue()).toBe(0);
    expect(await stores.campaigns.list()).toEqual([]);
    clock.set('2026-11-03T09:00:00Z');
    expect(await schedules.startDue()).toBe(1);
    expect(await schedules.startDue()).toBe(0);
    expect(await recipients(stores)).toEqual(['bob@contoso.example']);
    const [campaign] = await stores.campaigns.list();
    expect(campaign).toMatchObject({
      id: 'card-1',
      due: '2026-12-01',
      note: 'Thanks',
      createdAt: '2026-11-03T09:00:00.000Z',
    });
    expect(await stores.schedules.get('card-1')).toMatchObject({ state: 'started', recipients: 1 });
    expect(await schedules.listed()).toEqual([]);
  });

  it('works out its audience when it starts: someone who joined meanwhile gets it, someone who finished does not', async () => {
    const stores = await seeded();
    const clock = handClock('2026-11-02T09:00:00Z');
    const { schedules } = instance(stores, clock);
    await schedules.schedule(request());
    await stores.roster.put(rosterMember('Cas', { aad: 'c1' }));
    await completeCourseInStore(stores, course, 'b1');
    clock.set('2026-11-03T09:30:00Z');
    expect(await schedules.startDue()).toBe(1);
    expect(await recipients(stores)).toEqual(['cas@contoso.example']);
  });

  it('waits for office hours when its time passed while nothing ran', async () => {
    const stores = await seeded();
    const clock = handClock('2026-11-02T09:00:00Z');
    const { schedules } = instance(stores, clock);
    await schedules.schedule(request({ date: '2026-11-06', time: '16:45' })); // Friday
    clock.set('2026-11-07T10:00:00Z'); // Saturday
    expect(await schedules.startDue()).toBe(0);
    clock.set('2026-11-09T08:00:00Z'); // Monday 09:00
    expect(await schedules.startDue()).toBe(1);
  });

  it('never starts once cancelled, and a cancel after the start changes nothing', async () => {
    const stores = await seeded();
    const clock = handClock('2026-11-02T09:00:00Z');
    const { schedules } = instance(stores, clock);
    await schedules.schedule(request());
    await schedules.schedule(request({ id: 'card-2', date: '2026-11-04' }));
    expect((await schedules.listed()).map((s) => s.id)).toEqual(['card-1', 'card-2']);
    expect(await schedules.cancel('card-1')).toMatchObject({ kind: 'cancelled' });
    expect(await schedules.cancel('card-1')).toMatchObject({ kind: 'already-cancelled' });
    expect((await schedules.listed()).map((s) => s.id)).toEqual(['card-2']);
    clock.set('2026-11-05T09:00:00Z');
    expect(await schedules.startDue()).toBe(1);
    expect((await stores.campaigns.list()).map((c) => c.id)).toEqual(['card-2']);
    expect(await schedules.cancel('card-2')).toMatchObject({ kind: 'started' });
    expect(await stores.schedules.get('card-2')).toMatchObject({ state: 'started' });
    expect(await schedules.cancel('card-9')).toEqual({ kind: 'unknown' });
  });

  it('is finished once, by two instances at the same moment, after the one that started it was killed', async () => {
    const stores = await seeded();
    await stores.roster.put(rosterMember('Cas', { aad: 'c1' }));
    const clock = handClock('2026-11-02T09:00:00Z');
    const first = instance(stores, clock);
    await first.schedules.schedule(request());
    await first.schedules.schedule(request({ id: 'card-2', audience: 'not-finished', time: '10:15' }));
    clock.set('2026-11-03T09:30:00Z');
    // The first instance claims both and is killed as it writes the first deliveries.
    const killed = new CampaignService(
      course,
      {
        ...stores,
        deliveries: { add: () => Promise.reject(new Error('kill -9')), forSend: (id) => stores.deliveries.forSend(id) },
      },
      clock,
      ZONE,
    );
    await expect(new ScheduleService(killed, stores.schedules, clock, ZONE).startDue()).rejects.toThrow('kill -9');
    expect(await stores.schedules.get('card-1')).toMatchObject({ state: 'starting' });
    expect(await stores.campaigns.list()).toHaveLength(1);
    const second = instance(stores, clock);
    const third = instance(stores, clock);
    const counts = await Promise.all([second.schedules.startDue(), third.schedules.startDue()]);
    expect(counts.reduce((a, b) => a + b)).toBe(2);
    expect(await recipients(stores)).toEqual(['bob@contoso.example', 'cas@contoso.example']);
    expect(await recipients(stores, 'card-2')).toEqual(['bob@contoso.example', 'cas@contoso.example']);
    expect(await stores.campaigns.list()).toHaveLength(2);
    expect(await first.schedules.startDue()).toBe(0);
  });

  it('fails visibly when nobody is left in its audience at its time', async () => {
    const stores = await seeded();
    const clock = handClock('2026-11-02T09:00:00Z');
    const { schedules } = instance(stores, clock);
    await schedules.schedule(request());
    await completeCourseInStore(stores, course, 'b1');
    clock.set('2026-11-03T09:00:00Z');
    expect(await schedules.startDue()).toBe(0);
    expect(await schedules.listed()).toMatchObject([{ id: 'card-1', state: 'failed', failed: 'no-recipients' }]);
    clock.set('2026-11-11T09:00:00Z');
    expect(await schedules.listed()).toEqual([]);
  });
});

describe('scheduling refuses', () => {
  it.each([
    ['a malformed time', { time: '25:00' }, 'time'],
    ['a date that does not exist', { date: '2026-02-30' }, 'time'],
    ['a time already past', { date: '2026-11-02', time: '09:30' }, 'past'],
    ['a time before office hours', { time: '08:45' }, 'outside-hours'],
    ['a time after office hours', { time: '17:00' }, 'outside-hours'],
    ['a Saturday', { date: '2026-11-07' }, 'outside-hours'],
    ['a due date on the start day', { date: '2026-11-30', due: '2026-11-30' }, 'due-before-start'],
    ['a due date before the start', { date: '2026-12-02', due: '2026-12-01' }, 'due-before-start'],
  ])('%s, and stores nothing', async (_, overrides, reason) => {
    const stores = await seeded();
    const { schedules } = instance(stores, handClock('2026-11-02T09:00:00Z'));
    expect(await schedules.schedule(request(overrides))).toEqual({ kind: 'refused', reason });
    expect(await stores.schedules.list()).toEqual([]);
  });

  it('what Send would refuse, and a preview that was already sent', async () => {
    const stores = await seeded();
    const { schedules, campaigns } = instance(stores, handClock('2026-11-02T09:00:00Z'));
    expect(await schedules.schedule(request({ due: '2026-11-02' }))).toEqual({ kind: 'invalid', field: 'due' });
    await campaigns.send(request());
    expect(await schedules.schedule(request())).toEqual({ kind: 'sent' });
    expect(await stores.schedules.list()).toEqual([]);
  });
});

describe('a wall-clock time in the organisation time zone', () => {
  it('is the instant a clock there shows, in winter and summer, and nothing in the hour summer time skips', () => {
    expect(localInstant('2026-11-03', '10:00', ZONE)?.toISOString()).toBe('2026-11-03T09:00:00.000Z');
    expect(localInstant('2026-07-01', '10:00', ZONE)?.toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(localInstant('2026-03-29', '02:30', ZONE)).toBeUndefined();
    expect(localInstant('2026-10-25', '03:30', ZONE)?.toISOString()).toBe('2026-10-25T02:30:00.000Z');
    expect(localInstant('2026-11-03', '10:00', 'America/New_York')?.toISOString()).toBe('2026-11-03T15:00:00.000Z');
  });
});
