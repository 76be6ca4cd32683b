import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../src/directory/graph.js';
import { GraphGroups } from '../../src/directory/graphGroups.js';
import { CampaignService } from '../../src/domain/campaigns/campaignService.js';
import { ReminderService } from '../../src/domain/campaigns/reminderService.js';
import { ScheduleService } from '../../src/domain/campaigns/scheduleService.js';
import type { Course } from '../../src/domain/course/course.js';
import { GroupDirectoryUnavailable } from '../../src/domain/groups/ports.js';
import { memoryStores } from '../../src/storage/memory.js';
import { FakeGraph, type FakeGraphUser } from '../support/fakeGraph.js';
import { handClock } from '../support/handClock.js';
import { collectingLog } from '../support/harness.js';
import { loadCourse, rosterKey, rosterMember } from '../support/hrFixtures.js';

const NOW = '2026-11-02T09:00:00Z'; // Monday 10:00 in Amsterdam
const clock = { now: () => new Date(NOW) };
const TEAM = '3c3c3c3c-0000-4000-8000-000000000001';
const NESTED = '3c3c3c3c-0000-4000-8000-000000000002';
const credential = { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) };

function user(name: string, aad: string): FakeGraphUser {
  const mail = `${name}@contoso.example`;
  return {
    id: aad,
    displayName: name,
    mail,
    userPrincipalName: mail,
    department: 'Office',
    jobTitle: 'Staff',
    accountEnabled: true,
    userType: 'Member',
  };
}

let course: Course;
let graph: FakeGraph;
let waits: number[];
let groups: GraphGroups;
let log: ReturnType<typeof collectingLog>;

beforeAll(async () => {
  course = await loadCourse();
});
beforeEach(async () => {
  graph = await FakeGraph.start();
  waits = [];
  log = collectingLog();
  const sleep = async (ms: number) => void waits.push(ms);
  groups = new GraphGroups(
    new GraphClient({ baseUrl: graph.url, credential, sleep, maxRetries: 2, maxWaitMs: 4_000 }),
    log,
  );
  graph.users.push(user('Ann', 'a1'), user('Bob', 'b1'), user('Cas', 'c1'), user('Dee', 'd1'));
  graph.groups.push(
    { id: TEAM, displayName: 'Office team', members: ['a1', NESTED] },
    { id: NESTED, displayName: 'Office team "night"', members: ['b1', 'a1', TEAM] },
  );
});
afterEach(() => graph.close());

describe('Entra groups through Graph', () => {
  it('lists each transitive member once, across nested groups (even in a loop) and pages', async () => {
    graph.pageSize = 1;
    const members = await groups.members(TEAM);
    expect(members.map((m) => m.name).sort()).toEqual(['Ann', 'Bob']);
    expect(graph.requests.filter((r) => r.url.includes('/transitiveMembers/'))).toHaveLength(2);
    expect(graph.requests.every((r) => r.consistencyLevel === 'eventual')).toBe(true);
  });

  it('searches with quotes in the term taken out, and knows an unknown id from a known one', async () => {
    expect((await groups.search('night"')).map((g) => g.name)).toEqual(['Office team "night"']);
    expect(new URL(graph.requests[0]?.url ?? '', graph.url).searchParams.get('$search')).toBe('"displayName:night"');
    expect(await groups.group(TEAM)).toEqual({ id: TEAM, name: 'Office team' });
    expect(await groups.group('3c3c3c3c-0000-4000-8000-00000000ffff')).toBeUndefined();
  });

  it('waits out a short Retry-After and gives up at once on a long one, logging no Graph text', async () => {
    graph.planned.set(0, { throttle: 3 });
    expect(await groups.search('office')).toHaveLength(2);
    expect(waits).toEqual([3_000]);
    graph.planned.set(2, { throttle: 120 });
    await expect(groups.search('office')).rejects.toBeInstanceOf(GroupDirectoryUnavailable);
    expect(waits).toEqual([3_000]);
    expect(log.lines).toEqual([expect.stringContaining('"event":"groups.graph-failed"')]);
    expect(log.lines.join()).not.toContain('Too many requests');
  });
});

describe('a campaign to a group', () => {
  async function seeded() {
    const stores = memoryStores();
    for (const [name, aad] of [
      ['Ann', 'a1'],
      ['Bob', 'b1'],
      ['Cas', 'c1'],
    ] as const) {
      await stores.roster.put(rosterMember(name, { aad }));
    }
    return stores;
  }
  const request = { id: 'group-1', createdBy: 'hr', audience: 'group', group: TEAM, due: '2026-11-20', note: '' };
  const departments = undefined;

  it('stopped part-way, is finished by confirming again, with the group members only', async () => {
    const stores = await seeded();
    const crashing = new CampaignService(
      course,
      {
        ...stores,
        groups,
        deliveries: {
          add: async () => Promise.reject(new Error('process killed')),
          forSend: (id) => stores.deliveries.forSend(id),
        },
      },
      clock,
      'Europe/Amsterdam',
    );
    await expect(crashing.send({ ...request, departments })).rejects.toThrow('process killed');
    const service = new CampaignService(course, { ...stores, groups }, clock, 'Europe/Amsterdam');
    expect(await service.send({ ...request, departments })).toMatchObject({ kind: 'replayed', recipients: 2 });
    const keys = (await stores.deliveries.forSend('group-1')).map((d) => d.memberKey).sort();
    expect(keys).toEqual([rosterKey('Ann'), rosterKey('Bob')]);

    // Reminders go by assignment: those the group campaign reached, not the rest of the roster.
    const thursday = { now: () => new Date('2026-11-05T09:00:00Z') };
    const reminders = new ReminderService(course, stores, thursday, 'Europe/Amsterdam', { daysBefore: 3 });
    expect(await reminders.manual()).toMatchObject({ kind: 'sent', recipients: 2 });
  });

  it('is refused without a directory of groups, as when the roster is not from Graph', async () => {
    const service = new CampaignService(course, await seeded(), clock, 'Europe/Amsterdam');
    expect(await service.preview({ ...request, departments })).toEqual({ kind: 'invalid', field: 'audience' });
  });

  it('scheduled, reaches the group as it is when it starts: someone added to it meanwhile gets it too', async () => {
    const stores = await seeded();
    const later = handClock(NOW);
    const campaigns = new CampaignService(course, { ...stores, groups }, later, 'Europe/Amsterdam');
    const schedules = new ScheduleService(campaigns, stores.schedules, later, 'Europe/Amsterdam');
    const scheduled = await schedules.schedule({ ...request, departments, date: '2026-11-03', time: '10:00' });
    expect(scheduled).toMatchObject({ kind: 'scheduled' });
    const team = graph.groups[0]!;
    graph.groups[0] = { ...team, members: [...team.members, 'c1'] };
    later.set('2026-11-03T09:00:00Z');
    expect(await schedules.startDue()).toBe(1);
    const keys = (await stores.deliveries.forSend('group-1')).map((d) => d.memberKey).sort();
    expect(keys).toEqual([rosterKey('Ann'), rosterKey('Bob'), rosterKey('Cas')]);
    expect((await stores.campaigns.list())[0]?.audience).toMatchObject({ kind: 'group', groupId: TEAM });
  });
});
