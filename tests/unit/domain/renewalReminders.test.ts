import { beforeAll, describe, expect, it } from 'vitest';
import { ReminderService, reminderSendId } from '../../../src/domain/campaigns/reminderService.js';
import type { Course } from '../../../src/domain/course/course.js';
import type { Validity } from '../../../src/domain/course/validity.js';
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
 * Anna and Bert acknowledged on 20 October 2026 (completeCourseInStore); with a yearly validity both lapse on
 * Wednesday 20 October 2027, and the renewal message goes out that morning, due Wednesday 3 November.
 */
async function lapsed(withSetting = true) {
  const stores = memoryStores();
  for (const [name, aad] of [
    ['Anna', 'a1'],
    ['Bert', 'b1'],
  ] as const) {
    await stores.roster.put(rosterMember(name, { aad }));
    await completeCourseInStore(stores, course, aad);
  }
  const clock = handClock('2027-10-20T07:00:00Z');
  const renewals = new RenewalService(course, stores, clock, YEARLY);
  expect(await renewals.sendDue()).toBe(2);
  const reminders = new ReminderService(course, stores, clock, ZONE, {
    daysBefore: 3,
    ...(withSetting ? { validity: YEARLY } : {}),
  });
  return { stores, clock, renewals, reminders };
}

async function remindedOn(stores: ReturnType<typeof memoryStores>, day: string): Promise<string[]> {
  return (await stores.deliveries.forSend(reminderSendId(day))).map((d) => d.memberKey).sort();
}

describe('reminders of a renewal', () => {
  it('go out once in the days before its due date and once when it has passed, without a campaign', async () => {
    const { stores, clock, reminders } = await lapsed();
    for (const day of ['2027-10-20T12:00:00Z', '2027-10-25T09:00:00Z', '2027-10-29T09:00:00Z']) {
      clock.set(day);
      expect(await reminders.dueAutomatic()).toBeUndefined();
    }
    clock.set('2027-11-01T09:00:00Z'); // Monday: the window opened on Sunday
    expect(await reminders.dueAutomatic()).toEqual({ sendId: 'reminder:2027-11-01', recipients: 2, overdue: 0 });
    const sent = await stores.deliveries.forSend('reminder:2027-11-01');
    expect(sent.map((d) => d.memberKey).sort()).toEqual([rosterKey('Anna'), rosterKey('Bert')]);
    for (const d of sent) {
      expect(d.kind).toBe('reminder');
      expect(d.campaignId).toBeUndefined();
    }
    clock.set('2027-11-03T09:00:00Z'); // the due date itself: not overdue yet
    expect(await reminders.dueAutomatic()).toBeUndefined();
    clock.set('2027-11-04T09:00:00Z');
    expect(await reminders.dueAutomatic()).toEqual({ sendId: 'reminder:2027-11-04', recipients: 2, overdue: 2 });
    expect(await stores.assignments.get(rosterKey('Anna'))).toMatchObject({ overdueRemindedFor: '2027-11-03' });
    for (const later of ['2027-11-08T09:00:00Z', '2027-12-01T09:00:00Z']) {
      clock.set(later);
      expect(await reminders.dueAutomatic()).toBeUndefined();
    }
  });

  it('leave out who renewed since, and nobody is reminded of a renewal without the setting', async () => {
    const { stores, clock, renewals, reminders } = await lapsed();
    const step = await renewals.start('a1', '2027-10-20');
    let next = step;
    while (next?.kind === 'question') {
      const right = next.place.question.choices.find((c) => c.correct)?.id ?? '';
      await renewals.answer('a1', next.lapse, next.place.question.id, next.attempt, right);
      next = await renewals.step('a1');
    }
    expect((await renewals.acknowledge('a1', '2027-10-20')).kind).toBe('acknowledged');
    clock.set('2027-11-01T09:00:00Z');
    expect(await reminders.dueAutomatic()).toMatchObject({ recipients: 1 });
    expect(await remindedOn(stores, '2027-11-01')).toEqual([rosterKey('Bert')]);

    const without = await lapsed(false);
    without.clock.set('2027-11-01T09:00:00Z');
    expect(await without.reminders.dueAutomatic()).toBeUndefined();
    expect(await without.reminders.manual()).toEqual({ kind: 'nobody' });
  });

  it("by HR keep three days' distance from the renewal message, like a campaign's", async () => {
    const { stores, clock, reminders } = await lapsed();
    clock.set('2027-10-22T09:00:00Z'); // Friday: two days after the renewal message
    expect(await reminders.manual()).toEqual({
      kind: 'sent',
      sendId: 'reminder:2027-10-22',
      recipients: 0,
      skippedRecent: 2,
    });
    clock.set('2027-10-25T09:00:00Z'); // Monday
    expect(await reminders.manual()).toEqual({
      kind: 'sent',
      sendId: 'reminder:2027-10-25',
      recipients: 2,
      skippedRecent: 0,
    });
    expect(await remindedOn(stores, '2027-10-25')).toEqual([rosterKey('Anna'), rosterKey('Bert')]);
  });

  it('follow the renewal, not an earlier campaign: the renewal takes the campaign id off the assignment', async () => {
    const stores = memoryStores();
    await stores.roster.put(rosterMember('Anna', { aad: 'a1' }));
    await completeCourseInStore(stores, course, 'a1');
    await stores.assignments.update(rosterKey('Anna'), () => ({
      key: rosterKey('Anna'),
      due: '2026-10-30',
      campaignId: 'campaign-1',
    }));
    const clock = handClock('2027-10-20T07:00:00Z');
    expect(await new RenewalService(course, stores, clock, YEARLY).sendDue()).toBe(1);
    const assignment = await stores.assignments.get(rosterKey('Anna'));
    expect(assignment).toMatchObject({ due: '2027-11-03', renewal: '2027-10-20' });
    expect(assignment?.campaignId).toBeUndefined();
  });
});
