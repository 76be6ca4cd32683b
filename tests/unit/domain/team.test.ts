import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../../../src/domain/campaigns/campaignService.js';
import { ReminderService, reminderSendId } from '../../../src/domain/campaigns/reminderService.js';
import type { Course } from '../../../src/domain/course/course.js';
import type { Member } from '../../../src/domain/roster/roster.js';
import { TeamService } from '../../../src/domain/team/teamService.js';
import { teamStatus } from '../../../src/domain/team/teamStatus.js';
import { memoryStores } from '../../../src/storage/memory.js';
import { completeCourseInStore, loadCourse, rosterKey, rosterMember } from '../../support/hrFixtures.js';

const ZONE = 'Europe/Amsterdam';
const MANAGER_ID = '6d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

const report = (name: string, manager: string, options: Parameters<typeof rosterMember>[1] = {}): Member => ({
  ...rosterMember(name, options),
  manager,
});

/**
 * Mia manages, by Entra object id: Ann (completed), Bob (in progress), Cas (not started), Dee (re-acknowledge),
 * Eli (in progress, overdue); by e-mail: Fay (not started, joined after the campaign). Gus left; Hal is someone else's.
 */
async function world() {
  const stores = memoryStores();
  const clock = { time: new Date('2026-11-02T09:00:00Z'), now: () => clock.time };
  const members = [
    report('Ann', MANAGER_ID, { aad: 'a1' }),
    report('Bob', MANAGER_ID, { aad: 'b1' }),
    report('Cas', MANAGER_ID, { aad: 'c1' }),
    report('Dee', MANAGER_ID, { aad: 'd1' }),
    report('Eli', MANAGER_ID, { aad: 'e1' }),
    report('Gus', MANAGER_ID, { aad: 'g1', active: false }),
    report('Hal', 'someone.else@contoso.example', { aad: 'h1' }),
  ];
  for (const m of members) await stores.roster.put(m);
  await completeCourseInStore(stores, course, 'a1');
  const first = course.lessons[0]!;
  for (const id of ['b1', 'e1']) await stores.progress.openLesson(id, first.id, '2026-10-21T10:00:00Z');
  const old = { version: 'older', at: '2026-01-10T10:00:00Z', correct: 20, total: 26 };
  await stores.progress.recordAcknowledgement('d1', old);
  const campaigns = new CampaignService(course, stores, clock, ZONE);
  const sent = await campaigns.send({
    id: 'campaign-1',
    createdBy: 'hr-1',
    audience: 'everyone',
    departments: undefined,
    due: '2026-12-01',
    note: undefined,
    includeCompleted: 'yes',
  });
  expect(sent).toMatchObject({ kind: 'created' });
  await stores.assignments.update(rosterKey('Eli'), (a) => a && { ...a, due: '2026-11-01' });
  await stores.roster.put(report('Fay', 'mia@contoso.example', { aad: 'f1' }));
  const reminders = new ReminderService(course, stores, clock, ZONE, { daysBefore: 3 });
  const team = new TeamService(course, stores, reminders, clock, ZONE);
  return { stores, clock, team };
}

describe("a manager's team", () => {
  it('lists the active direct reports by id or e-mail, those who need action first, with their due date', async () => {
    const { team } = await world();
    expect(await team.team([MANAGER_ID, 'mia@contoso.example'])).toEqual([
      { key: rosterKey('Eli'), name: 'Eli', status: 'overdue', due: '2026-11-01' },
      { key: rosterKey('Cas'), name: 'Cas', status: 'not-started', due: '2026-12-01' },
      { key: rosterKey('Fay'), name: 'Fay', status: 'not-started' },
      { key: rosterKey('Dee'), name: 'Dee', status: 'needs-reacknowledge', due: '2026-12-01' },
      { key: rosterKey('Bob'), name: 'Bob', status: 'in-progress', due: '2026-12-01' },
      { key: rosterKey('Ann'), name: 'Ann', status: 'completed' },
    ]);
    expect((await team.team(['MIA@contoso.example'])).map((r) => r.name)).toEqual(['Fay']);
    expect(await team.hasReports([MANAGER_ID.toUpperCase()])).toBe(true);
    expect(await team.hasReports(['ann@contoso.example', 'a1'])).toBe(false);
    expect(await team.team(['hal@contoso.example'])).toEqual([]);
  });

  it('calls a report overdue only after the due date and while they have not completed', () => {
    expect(teamStatus('in-progress', '2026-11-01', '2026-11-02')).toBe('overdue');
    expect(teamStatus('not-started', '2026-11-02', '2026-11-02')).toBe('not-started');
    expect(teamStatus('needs-reacknowledge', '2026-10-01', '2026-11-02')).toBe('overdue');
    expect(teamStatus('completed', '2026-10-01', '2026-11-02')).toBe('completed');
    expect(teamStatus('not-started', undefined, '2027-01-01')).toBe('not-started');
  });

  it('reminds those reached by a campaign who have not finished, at most once in 3 days, sharing HR reminders', async () => {
    const { stores, clock, team } = await world();
    clock.time = new Date('2026-11-05T09:00:00Z'); // Thursday 10:00 in Amsterdam, 3 days after the campaign
    const ids = [MANAGER_ID, 'mia@contoso.example'];
    expect(await team.remind(ids)).toEqual({
      kind: 'sent',
      sendId: reminderSendId('2026-11-05'),
      recipients: 4,
      skippedRecent: 0,
      notAsked: 1,
    });
    const reminded = (await stores.deliveries.forSend(reminderSendId('2026-11-05'))).map((d) => d.memberKey);
    expect(reminded.sort()).toEqual(['Bob', 'Cas', 'Dee', 'Eli'].map(rosterKey));
    clock.time = new Date('2026-11-06T09:00:00Z');
    expect(await team.remind(ids)).toMatchObject({ kind: 'sent', recipients: 0, skippedRecent: 4 });
    clock.time = new Date('2026-11-07T11:00:00Z'); // Saturday
    expect(await team.remind(ids)).toMatchObject({ kind: 'outside-hours' });
    expect(await team.remind(['hal@contoso.example'])).toEqual({ kind: 'nobody', notAsked: 0 });
  });

  it('shows a report whose acknowledgement lapsed as renewal due, when acknowledgements lapse', async () => {
    const { stores, clock } = await world();
    const reminders = new ReminderService(course, stores, clock, ZONE, { daysBefore: 3 });
    const yearly = new TeamService(course, stores, reminders, clock, ZONE, { months: 12, timeZone: ZONE });
    const ann = async () => (await yearly.team([MANAGER_ID])).find((r) => r.name === 'Ann')?.status;
    expect(await ann()).toBe('completed');
    // Her acknowledgement (2 November 2026) lapses on 2 November 2027; the renewal is due 14 days later.
    clock.time = new Date('2027-11-03T09:00:00Z');
    expect(await ann()).toBe('renewal-due');
    clock.time = new Date('2027-11-17T09:00:00Z');
    expect(await ann()).toBe('overdue');
  });
});
