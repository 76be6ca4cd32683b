import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../../../src/domain/campaigns/campaignService.js';
import type { Course } from '../../../src/domain/course/course.js';
import { ReminderService, reminderSendId } from '../../../src/domain/campaigns/reminderService.js';
import type { Stores } from '../../../src/storage/stores.js';
import { openLowdbStores } from '../../../src/storage/lowdb/stores.js';
import { memoryStores } from '../../../src/storage/memory.js';
import { completeCourseInStore, loadCourse, rosterKey, rosterMember } from '../../support/hrFixtures.js';
import { useTempDirs } from '../../support/tempDirs.js';

const ZONE = 'Europe/Amsterdam';
const tempDir = useTempDirs('reminders');

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

/** Those who still have to do the course once the campaign has reached everyone. */
const OPEN = ['Bob', 'Cas', 'Dee'].map(rosterKey);

/**
 * A campaign to everyone (those who completed included) sent at `sentAt` and due on `due`: Ann completed the course,
 * Bob started
 * it, Cas did not, Dee has no Entra object id; Fay left; Gus joined after the campaign.
 */
async function world(options: { sentAt: string; due: string; daysBefore?: number; stores?: Stores }) {
  const stores = options.stores ?? memoryStores();
  const clock = {
    time: new Date(options.sentAt),
    now() {
      return this.time;
    },
  };
  for (const m of [
    rosterMember('Ann', { aad: 'a1' }),
    rosterMember('Bob', { aad: 'b1' }),
    rosterMember('Cas', { aad: 'c1' }),
    rosterMember('Dee'),
    rosterMember('Fay', { aad: 'f1', active: false }),
  ]) {
    await stores.roster.put(m);
  }
  await completeCourseInStore(stores, course, 'a1');
  const first = course.lessons[0];
  if (!first) throw new Error('the course has no lessons');
  await stores.progress.openLesson('b1', first.id, '2026-10-21T10:00:00Z');
  const sent = await new CampaignService(course, stores, clock, ZONE).send({
    id: 'campaign-1',
    createdBy: 'hr-1',
    audience: 'everyone',
    departments: undefined,
    due: options.due,
    note: undefined,
    // Ann, who completed, is reached too: HR included those who completed.
    includeCompleted: 'yes',
  });
  expect(sent).toMatchObject({ kind: 'created', recipients: 4 });
  // Fay had been reached by a campaign before she left; Gus joined after this one.
  await stores.assignments.update(rosterKey('Fay'), () => ({
    key: rosterKey('Fay'),
    due: options.due,
    campaignId: 'campaign-1',
  }));
  await stores.roster.put(rosterMember('Gus', { aad: 'g1' }));
  const reminders = new ReminderService(course, stores, clock, ZONE, { daysBefore: options.daysBefore ?? 3 });
  /** Moves the clock to an instant given in UTC (Amsterdam is UTC+1 in November, UTC+2 in summer time). */
  const at = (utc: string) => {
    clock.time = new Date(utc);
  };
  return { stores, clock, reminders, at };
}

async function remindedIn(stores: Stores, day: string): Promise<string[]> {
  return (await stores.deliveries.forSend(reminderSendId(day))).map((d) => d.memberKey).sort();
}

describe('automatic reminders', () => {
  it('go out once in the days before the due date, then once when it has passed', async () => {
    // Sent Monday 9 November, due Friday 20 November; reminders 3 days before.
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-20' });

    at('2026-11-16T09:00:00Z'); // Monday 10:00: four days before
    expect(await reminders.dueAutomatic()).toBeUndefined();

    at('2026-11-17T09:00:00Z'); // Tuesday 10:00: three days before
    expect(await reminders.dueAutomatic()).toEqual({ sendId: 'reminder:2026-11-17', recipients: 3, overdue: 0 });
    const deliveries = await stores.deliveries.forSend('reminder:2026-11-17');
    expect(deliveries.map((d) => d.memberKey).sort()).toEqual(OPEN);
    for (const d of deliveries)
      expect(d).toMatchObject({ kind: 'reminder', campaignId: 'campaign-1', state: 'pending', attempts: 0 });
    expect(await stores.assignments.get(rosterKey('Bob'))).toMatchObject({
      lastReminderAt: '2026-11-17T09:00:00.000Z',
    });

    at('2026-11-17T09:00:30Z');
    expect(await reminders.dueAutomatic()).toBeUndefined();
    at('2026-11-17T14:00:00Z');
    expect(await reminders.dueAutomatic()).toBeUndefined();
    at('2026-11-20T09:00:00Z'); // Friday, the due date: three days after the reminder, but it was this window's one
    expect(await reminders.dueAutomatic()).toBeUndefined();

    at('2026-11-23T09:00:00Z'); // Monday after: overdue
    expect(await reminders.dueAutomatic()).toEqual({ sendId: 'reminder:2026-11-23', recipients: 3, overdue: 3 });
    expect(await remindedIn(stores, '2026-11-23')).toEqual(OPEN);
    expect(await stores.assignments.get(rosterKey('Cas'))).toMatchObject({ overdueRemindedFor: '2026-11-20' });

    for (const later of ['2026-11-26T09:00:00Z', '2026-11-30T09:00:00Z', '2026-12-15T09:00:00Z']) {
      at(later);
      expect(await reminders.dueAutomatic()).toBeUndefined();
    }
    expect(await stores.deliveries.open()).toHaveLength(4 + 3 + 3);
  });

  it("before any campaign, do not read every employee's progress each minute (a stall for everyone talking to the bot)", async () => {
    const stores = memoryStores();
    let scans = 0;
    const scan = stores.progress.scan.bind(stores.progress);
    stores.progress.scan = (pick) => {
      scans += 1;
      return scan(pick);
    };
    await stores.roster.put(rosterMember('Bob', { aad: 'b1' }));
    await stores.progress.openLesson('b1', course.lessons[0]?.id ?? '', '2026-11-16T08:00:00Z');
    const reminders = new ReminderService(course, stores, { now: () => new Date('2026-11-17T09:00:00Z') }, ZONE, {
      daysBefore: 3,
    });
    expect(await reminders.dueAutomatic()).toBeUndefined();
    expect(scans).toBe(0);
  });

  it("after a day's round, do not read every employee's progress again that day until a new campaign starts", async () => {
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-20' });
    let scans = 0;
    const scan = stores.progress.scan.bind(stores.progress);
    stores.progress.scan = (pick) => {
      scans += 1;
      return scan(pick);
    };
    at('2026-11-17T08:00:00Z');
    expect(await reminders.dueAutomatic()).toMatchObject({ recipients: 3 });
    const afterFirst = scans;
    at('2026-11-17T08:01:00Z');
    expect(await reminders.dueAutomatic()).toBeUndefined();
    at('2026-11-17T15:00:00Z');
    expect(await reminders.dueAutomatic()).toBeUndefined();
    expect(scans).toBe(afterFirst);
    // Gus joined after the first campaign: a second one that day reaches him, and the round looks again.
    await new CampaignService(course, stores, { now: () => new Date('2026-11-17T15:01:00Z') }, ZONE).send({
      id: 'campaign-2',
      createdBy: 'hr-1',
      audience: 'everyone',
      departments: undefined,
      due: '2026-11-19',
      note: undefined,
    });
    at('2026-11-17T15:02:00Z');
    await reminders.dueAutomatic();
    expect(scans).toBeGreaterThan(afterFirst);
  });

  it('leave out who completed the course since', async () => {
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-20' });
    await completeCourseInStore(stores, course, 'c1');
    at('2026-11-17T09:00:00Z');
    expect(await reminders.dueAutomatic()).toMatchObject({ recipients: 2 });
    expect(await remindedIn(stores, '2026-11-17')).toEqual([rosterKey('Bob'), rosterKey('Dee')]);
  });

  it('wait for office hours: not at the weekend, not at 20:00, and catch up on Monday at 09:00', async () => {
    // Due Tuesday 24 November: the window opens on Saturday.
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-24' });
    for (const closed of [
      '2026-11-21T10:00:00Z',
      '2026-11-22T13:00:00Z',
      '2026-11-20T19:00:00Z',
      '2026-11-23T07:59:00Z',
      '2026-11-23T16:00:00Z',
    ]) {
      at(closed);
      expect(await reminders.dueAutomatic()).toBeUndefined();
    }
    at('2026-11-23T19:00:00Z'); // Monday 20:00 in Amsterdam
    expect(await reminders.dueAutomatic()).toBeUndefined();
    expect(await stores.deliveries.open()).toHaveLength(4);

    at('2026-11-23T08:00:00Z'); // Monday 09:00 in Amsterdam
    expect(await reminders.dueAutomatic()).toMatchObject({ sendId: 'reminder:2026-11-23', recipients: 3 });
  });

  it('follow Amsterdam time across the change from summer to winter time', async () => {
    // Summer time ends on Sunday 25 October 2026: 09:00 is 07:00 UTC on Friday and 08:00 UTC on Monday.
    const { reminders, at } = await world({ sentAt: '2026-10-12T08:00:00Z', due: '2026-10-27' });
    at('2026-10-23T15:30:00Z'); // Friday 17:30 summer time: closed (16:30 if the offset were fixed at +1)
    expect(await reminders.dueAutomatic()).toBeUndefined();
    at('2026-10-26T07:30:00Z'); // Monday 08:30 winter time: closed (09:30 if the offset had stayed +2)
    expect(await reminders.dueAutomatic()).toBeUndefined();
    at('2026-10-26T08:00:00Z'); // Monday 09:00 winter time
    expect(await reminders.dueAutomatic()).toMatchObject({ sendId: 'reminder:2026-10-26', recipients: 3 });
  });

  it('remind no one twice within three days: the overdue reminder waits', async () => {
    // Due Monday 23 November, reminded on the day itself.
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-23', daysBefore: 0 });
    at('2026-11-20T09:00:00Z');
    expect(await reminders.dueAutomatic()).toBeUndefined();
    at('2026-11-23T09:00:00Z');
    expect(await reminders.dueAutomatic()).toEqual({ sendId: 'reminder:2026-11-23', recipients: 3, overdue: 0 });
    for (const tooSoon of ['2026-11-24T09:00:00Z', '2026-11-25T15:00:00Z']) {
      at(tooSoon);
      expect(await reminders.dueAutomatic()).toBeUndefined();
    }
    at('2026-11-26T09:00:00Z');
    expect(await reminders.dueAutomatic()).toEqual({ sendId: 'reminder:2026-11-26', recipients: 3, overdue: 3 });
    expect(await stores.deliveries.open()).toHaveLength(4 + 3 + 3);
  });

  it('count the campaign message itself: a campaign sent inside the window gets no reminder before its due date', async () => {
    const { stores, reminders, at } = await world({ sentAt: '2026-11-18T09:00:00Z', due: '2026-11-20' });
    for (const day of ['2026-11-18T14:00:00Z', '2026-11-19T09:00:00Z', '2026-11-20T09:00:00Z']) {
      at(day);
      expect(await reminders.dueAutomatic()).toBeUndefined();
    }
    at('2026-11-23T09:00:00Z');
    expect(await reminders.dueAutomatic()).toMatchObject({ recipients: 3, overdue: 3 });
    expect(await stores.deliveries.open()).toHaveLength(4 + 3);
  });

  it('stopped between adding the deliveries and marking people, are finished that day without a second message', async () => {
    const { stores, clock, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-20' });
    at('2026-11-17T09:00:00Z');
    const real = stores.assignments;
    const killed = new ReminderService(
      course,
      {
        ...stores,
        assignments: {
          scan: (pick) => real.scan(pick),
          update: async () => {
            throw new Error('process killed');
          },
        },
      },
      clock,
      ZONE,
      { daysBefore: 3 },
    );
    await expect(killed.dueAutomatic()).rejects.toThrow('process killed');
    const written = await stores.deliveries.forSend('reminder:2026-11-17');
    expect(written).toHaveLength(3);
    for (const d of written)
      await stores.deliveries.update(d.id, (current) => ({ ...current, state: 'sent', attempts: 1 }));

    at('2026-11-17T10:00:00Z');
    const restarted = new ReminderService(course, stores, clock, ZONE, { daysBefore: 3 });
    expect(await restarted.dueAutomatic()).toMatchObject({ recipients: 3 });
    const after = await stores.deliveries.forSend('reminder:2026-11-17');
    expect(after.map((d) => d.state)).toEqual(['sent', 'sent', 'sent']);
    expect(await stores.assignments.get(rosterKey('Dee'))).toMatchObject({
      lastReminderAt: '2026-11-17T10:00:00.000Z',
    });
    expect(await restarted.dueAutomatic()).toBeUndefined();
  });
});

describe('reminders sent by HR', () => {
  it('reach everyone reached by a campaign and not finished, and skip who was messaged in the last three days', async () => {
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-20' });
    at('2026-11-09T13:00:00Z'); // the campaign went out this morning
    expect(await reminders.manual()).toEqual({
      kind: 'sent',
      sendId: 'reminder:2026-11-09',
      recipients: 0,
      skippedRecent: 3,
    });

    at('2026-11-12T09:00:00Z'); // Thursday
    expect(await reminders.manual()).toEqual({
      kind: 'sent',
      sendId: 'reminder:2026-11-12',
      recipients: 3,
      skippedRecent: 0,
    });
    expect(await remindedIn(stores, '2026-11-12')).toEqual(OPEN);
    at('2026-11-12T14:00:00Z');
    expect(await reminders.manual()).toEqual({
      kind: 'sent',
      sendId: 'reminder:2026-11-12',
      recipients: 0,
      skippedRecent: 3,
    });
    expect(await remindedIn(stores, '2026-11-12')).toEqual(OPEN);

    // The automatic reminder's window opens on Tuesday 17th, after HR's reminder: it still goes out.
    at('2026-11-13T09:00:00Z');
    expect(await reminders.dueAutomatic()).toBeUndefined();
    at('2026-11-17T09:00:00Z');
    expect(await reminders.dueAutomatic()).toMatchObject({ recipients: 3 });

    // Three calendar days in Amsterdam: not on Thursday, from Friday morning on.
    at('2026-11-19T15:59:00Z');
    expect(await reminders.manual()).toEqual({
      kind: 'sent',
      sendId: 'reminder:2026-11-19',
      recipients: 0,
      skippedRecent: 3,
    });
    at('2026-11-20T08:00:00Z');
    expect(await reminders.manual()).toEqual({
      kind: 'sent',
      sendId: 'reminder:2026-11-20',
      recipients: 3,
      skippedRecent: 0,
    });
    expect(await remindedIn(stores, '2026-11-20')).toEqual(OPEN);
  });

  it('marks the overdue reminder as given when HR reminds someone past the due date', async () => {
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-13', daysBefore: 0 });
    at('2026-11-16T09:00:00Z');
    expect(await reminders.manual()).toMatchObject({ kind: 'sent', recipients: 3 });
    expect(await stores.assignments.get(rosterKey('Bob'))).toMatchObject({ overdueRemindedFor: '2026-11-13' });
    at('2026-11-19T09:00:00Z');
    expect(await reminders.dueAutomatic()).toBeUndefined();
  });

  it('outside office hours, say when they open, in Amsterdam time across summer time', async () => {
    const { stores, reminders, at } = await world({ sentAt: '2026-10-12T08:00:00Z', due: '2026-11-20' });
    at('2026-10-23T15:30:00Z'); // Friday 17:30 summer time
    expect(await reminders.manual()).toEqual({ kind: 'outside-hours', nextOpening: '2026-10-26T08:00:00.000Z' });
    at('2026-11-14T10:00:00Z'); // Saturday
    expect(await reminders.manual()).toEqual({ kind: 'outside-hours', nextOpening: '2026-11-16T08:00:00.000Z' });
    at('2026-11-16T07:20:00Z'); // Monday 08:20
    expect(await reminders.manual()).toEqual({ kind: 'outside-hours', nextOpening: '2026-11-16T08:00:00.000Z' });
    expect(await stores.deliveries.open()).toHaveLength(4);
  });

  it('say when there is nobody to remind', async () => {
    const stores = memoryStores();
    const clock = { now: () => new Date('2026-11-12T09:00:00Z') };
    const reminders = new ReminderService(course, stores, clock, ZONE, { daysBefore: 3 });
    await stores.roster.put(rosterMember('Ann', { aad: 'a1' }));
    expect(await reminders.manual()).toEqual({ kind: 'nobody' });

    const done = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-20' });
    for (const id of ['b1', 'c1']) await completeCourseInStore(done.stores, course, id);
    await done.stores.roster.put({ ...rosterMember('Dee'), active: false });
    done.at('2026-11-12T09:00:00Z');
    expect(await done.reminders.manual()).toEqual({ kind: 'nobody' });
  });

  it('sent at the same time as the automatic round, reach each person once', async () => {
    const { stores, reminders, at } = await world({ sentAt: '2026-11-09T09:00:00Z', due: '2026-11-20' });
    at('2026-11-17T09:00:00Z');
    const [automatic, manual] = await Promise.all([reminders.dueAutomatic(), reminders.manual()]);
    expect((automatic?.recipients ?? 0) + (manual.kind === 'sent' ? manual.recipients : 0)).toBe(3);
    expect(await remindedIn(stores, '2026-11-17')).toEqual(OPEN);
  });
});

describe('on the embedded store', () => {
  it('reminds once, also after a restart', async () => {
    const file = path.join(await tempDir(), 'postwise.json');
    const first = await world({
      sentAt: '2026-11-09T09:00:00Z',
      due: '2026-11-20',
      stores: await openLowdbStores(file, new Date('2026-11-09T09:00:00Z'), 4),
    });
    first.at('2026-11-17T09:00:00Z');
    expect(await first.reminders.dueAutomatic()).toMatchObject({ recipients: 3 });
    await first.stores.close();

    const stores = await openLowdbStores(file, new Date('2026-11-09T09:00:00Z'), 4);
    try {
      const reminders = new ReminderService(course, stores, { now: () => new Date('2026-11-17T11:00:00Z') }, ZONE, {
        daysBefore: 3,
      });
      expect(await reminders.dueAutomatic()).toBeUndefined();
      expect(await reminders.manual()).toEqual({
        kind: 'sent',
        sendId: 'reminder:2026-11-17',
        recipients: 0,
        skippedRecent: 3,
      });
      expect(await remindedIn(stores, '2026-11-17')).toEqual(OPEN);
    } finally {
      await stores.close();
    }
  });
});
