import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignRequest } from '../../../src/domain/campaigns/campaignOutcomes.js';
import { CampaignService, type CampaignStores } from '../../../src/domain/campaigns/campaignService.js';
import type { Clock } from '../../../src/domain/time/clock.js';
import type { Course } from '../../../src/domain/course/course.js';
import { deliveryId } from '../../../src/domain/campaigns/delivery.js';
import type { Stores } from '../../../src/storage/stores.js';
import { openLowdbStores } from '../../../src/storage/lowdb/stores.js';
import { memoryStores } from '../../../src/storage/memory.js';
import { completeCourseInStore, loadCourse, rosterKey, rosterMember } from '../../support/hrFixtures.js';
import { useTempDirs } from '../../support/tempDirs.js';

const ZONE = 'Europe/Amsterdam';
/** Monday 2 November 2026, 10:00 in Amsterdam. */
const NOW = '2026-11-02T09:00:00Z';
const tempDir = useTempDirs('campaigns');

let course: Course;
beforeAll(async () => {
  course = await loadCourse();
});

/**
 * Ann and Eve completed the course, Bob opened one lesson, Cas has not started, Dee has no Entra
 * object id (so the bot cannot know she finished); Fay left the company.
 */
async function seed(stores: Stores): Promise<void> {
  for (const m of [
    rosterMember('Ann', { department: 'Sales', aad: 'a1' }),
    rosterMember('Bob', { department: 'Sales', aad: 'b1' }),
    rosterMember('Cas', { department: 'Office', aad: 'c1' }),
    rosterMember('Dee', { department: 'Office' }),
    rosterMember('Eve', { department: 'Facilities, Cleaning', aad: 'e1' }),
    rosterMember('Fay', { department: 'Archive', aad: 'f1', active: false }),
  ]) {
    await stores.roster.put(m);
  }
  await completeCourseInStore(stores, course, 'a1');
  await completeCourseInStore(stores, course, 'e1');
  const first = course.lessons[0];
  if (!first) throw new Error('the course has no lessons');
  await stores.progress.openLesson('b1', first.id, '2026-10-21T10:00:00Z');
}

function setup(stores: Stores = memoryStores(), at = NOW) {
  const clock = {
    time: new Date(at),
    now() {
      return this.time;
    },
  };
  return { stores, clock, service: new CampaignService(course, stores, clock, ZONE) };
}

/** A campaign request; those who completed are included unless `includeCompleted` says otherwise. */
function request(overrides: Partial<CampaignRequest> = {}): CampaignRequest {
  return {
    id: 'preview-1',
    createdBy: 'hr-1',
    audience: 'everyone',
    departments: undefined,
    due: '2026-11-20',
    note: undefined,
    includeCompleted: 'yes',
    ...overrides,
  };
}

async function nothingWritten(stores: Stores): Promise<void> {
  expect(await stores.campaigns.list()).toEqual([]);
  expect(await stores.deliveries.open()).toEqual([]);
  expect(await stores.assignments.scan((a) => a.key)).toEqual([]);
}

describe('the audience', () => {
  it('lists the departments of the active roster with their head counts, by name', async () => {
    const { stores, service } = setup();
    await seed(stores);
    expect(await service.departments()).toEqual([
      { name: 'Facilities, Cleaning', active: 1 },
      { name: 'Office', active: 2 },
      { name: 'Sales', active: 2 },
    ]);
  });

  it('previews everyone, chosen departments, or only those who have not finished', async () => {
    const { stores, service } = setup();
    await seed(stores);

    const everyone = await service.preview(request());
    expect(everyone).toMatchObject({
      kind: 'ok',
      recipients: 5,
      campaign: {
        id: 'preview-1',
        createdBy: 'hr-1',
        createdAt: new Date(NOW).toISOString(),
        audience: { kind: 'everyone' },
        due: '2026-11-20',
        recipients: 5,
      },
      byDepartment: [
        { name: 'Facilities, Cleaning', count: 1 },
        { name: 'Office', count: 2 },
        { name: 'Sales', count: 2 },
      ],
    });

    // A name with a comma in it is one department.
    const chosen = await service.preview(
      request({ audience: 'departments', departments: ['Office', 'Facilities, Cleaning'] }),
    );
    expect(chosen).toMatchObject({
      kind: 'ok',
      recipients: 3,
      campaign: { audience: { kind: 'departments', departments: ['Facilities, Cleaning', 'Office'] } },
    });
    expect(
      await service.preview(request({ audience: 'departments', departments: ['Sales', ' Sales '] })),
    ).toMatchObject({
      kind: 'ok',
      recipients: 2,
      byDepartment: [{ name: 'Sales', count: 2 }],
    });

    const notFinished = await service.preview(request({ audience: 'not-finished' }));
    expect(notFinished).toMatchObject({
      kind: 'ok',
      recipients: 3,
      byDepartment: [
        { name: 'Office', count: 2, people: ['Cas', 'Dee'] },
        { name: 'Sales', count: 1, people: ['Bob'] },
      ],
    });
    await nothingWritten(stores);
  });

  it('leaves out who completed the current version unless HR includes them, and says how many', async () => {
    const { stores, service } = setup();
    await seed(stores);
    const everyone = await service.preview(request({ includeCompleted: undefined }));
    expect(everyone).toMatchObject({
      kind: 'ok',
      recipients: 3,
      leftOut: 2,
      campaign: { audience: { kind: 'everyone', leaveOutCompleted: true } },
    });
    const sales = await service.preview(
      request({ audience: 'departments', departments: ['Sales'], includeCompleted: 'no' }),
    );
    expect(sales).toMatchObject({
      kind: 'ok',
      recipients: 1,
      leftOut: 1,
      byDepartment: [{ name: 'Sales', people: ['Bob'] }],
    });
    expect(await service.preview(request())).toMatchObject({ kind: 'ok', recipients: 5, leftOut: 0 });
    // Everyone in Facilities, Cleaning finished: nobody to send to, and why.
    const cleaning = request({
      audience: 'departments',
      departments: ['Facilities, Cleaning'],
      includeCompleted: undefined,
    });
    expect(await service.preview(cleaning)).toEqual({ kind: 'invalid', field: 'no-recipients', leftOut: 1 });

    expect(await service.send(request({ includeCompleted: undefined }))).toMatchObject({
      kind: 'created',
      recipients: 3,
    });
    const reached = await stores.deliveries.forSend('preview-1');
    expect(reached.map((d) => d.memberKey).sort()).toEqual(['Bob', 'Cas', 'Dee'].map(rosterKey).sort());
  });

  it('refuses unknown departments by name, including those of people who left', async () => {
    const { stores, service } = setup();
    await seed(stores);
    expect(
      await service.preview(request({ audience: 'departments', departments: ['Sales', 'Marketing', 'Archive'] })),
    ).toEqual({
      kind: 'invalid',
      field: 'departments',
      unknown: ['Marketing', 'Archive'],
    });
    for (const departments of [undefined, '', ' , ', [], [42], 'x'.repeat(20_000)]) {
      expect(await service.preview(request({ audience: 'departments', departments }))).toEqual({
        kind: 'invalid',
        field: 'departments',
      });
    }
    expect(await service.send(request({ audience: 'departments', departments: ['Marketing'] }))).toMatchObject({
      kind: 'invalid',
      field: 'departments',
    });
    await nothingWritten(stores);
  });

  it('refuses an audience that is not one of the three', async () => {
    const { stores, service } = setup();
    await seed(stores);
    for (const audience of [undefined, 'all', ['everyone'], 'Everyone']) {
      expect(await service.preview(request({ audience }))).toEqual({ kind: 'invalid', field: 'audience' });
    }
  });

  it('says when the roster is empty, or when everyone in the audience has finished', async () => {
    const { stores, service } = setup();
    expect(await service.preview(request())).toEqual({ kind: 'invalid', field: 'roster-empty' });
    await stores.roster.put(rosterMember('Fay', { department: 'Archive', active: false }));
    expect(await service.send(request())).toEqual({ kind: 'invalid', field: 'roster-empty' });

    await stores.roster.put(rosterMember('Ann', { department: 'Sales', aad: 'a1' }));
    await completeCourseInStore(stores, course, 'a1');
    expect(await service.send(request({ audience: 'not-finished' }))).toEqual({
      kind: 'invalid',
      field: 'no-recipients',
    });
    await nothingWritten(stores);
  });
});

describe('the due date and the note', () => {
  it('takes a real date from tomorrow to a year ahead, in the organisation’s time zone', async () => {
    const { stores, service, clock } = setup();
    await seed(stores);
    for (const due of [
      '2026-11-01',
      '2026-11-02',
      '2026-02-30',
      '2026-13-01',
      '20-11-2026',
      '2026-11-20T00:00:00Z',
      20261120,
      undefined,
      '2028-01-01',
    ]) {
      expect(await service.preview(request({ due }))).toEqual({ kind: 'invalid', field: 'due' });
    }
    expect(await service.preview(request({ due: '2026-11-03' }))).toMatchObject({
      kind: 'ok',
      campaign: { due: '2026-11-03' },
    });
    expect(await service.preview(request({ due: '2027-11-02' }))).toMatchObject({ kind: 'ok' });

    // 23:30 UTC on Monday is already Tuesday in Amsterdam: Tuesday is today there, not tomorrow.
    clock.time = new Date('2026-11-02T23:30:00Z');
    expect(await service.send(request({ due: '2026-11-03' }))).toEqual({ kind: 'invalid', field: 'due' });
    await nothingWritten(stores);
    expect(await service.preview(request({ due: '2026-11-04' }))).toMatchObject({ kind: 'ok' });
  });

  it('keeps the note without control characters, and refuses one that is too long or not text', async () => {
    const { stores, service } = setup();
    await seed(stores);
    const noted = await service.preview(
      request({ note: '  Please finish\u0007 by Friday\u202e\r\n\r\n\r\n\r\nThanks\tall  ' }),
    );
    expect(noted).toMatchObject({ kind: 'ok', campaign: { note: 'Please finish by Friday\n\nThanks all' } });
    const blank = await service.preview(request({ note: ' \u0000 ' }));
    expect(blank.kind === 'ok' && 'note' in blank.campaign).toBe(false);
    expect(await service.preview(request({ note: 'x'.repeat(500) }))).toMatchObject({ kind: 'ok' });
    expect(await service.preview(request({ note: 'x'.repeat(501) }))).toEqual({ kind: 'invalid', field: 'note' });
    expect(await service.preview(request({ note: { text: 'hi' } }))).toEqual({ kind: 'invalid', field: 'note' });
    expect(await service.send(request({ note: 42 }))).toEqual({ kind: 'invalid', field: 'note' });
    await nothingWritten(stores);
  });

  it('refuses a card id that could not be a campaign id', async () => {
    const { stores, service } = setup();
    await seed(stores);
    for (const id of ['', 'a/b', 'reminder:2026-11-02', 'x'.repeat(101)]) {
      expect(await service.send(request({ id }))).toEqual({ kind: 'invalid', field: 'id' });
    }
    await nothingWritten(stores);
  });
});

describe('sending', () => {
  it('makes one pending delivery per recipient and sets their due date, keeping what the worker and reminders wrote', async () => {
    const { stores, service } = setup();
    await seed(stores);
    const reach = { ok: false, reason: '403 ConversationBlockedByUser', at: '2026-10-01T09:00:00Z' };
    await stores.assignments.update(rosterKey('Bob'), () => ({
      key: rosterKey('Bob'),
      due: '2026-10-10',
      campaignId: 'old',
      reach,
      lastReminderAt: '2026-10-09T09:00:00Z',
    }));

    const sent = await service.send(request({ audience: 'not-finished', note: 'Before the audit, please.' }));
    expect(sent).toMatchObject({
      kind: 'created',
      recipients: 3,
      campaign: { id: 'preview-1', recipients: 3, note: 'Before the audit, please.' },
    });

    const deliveries = await stores.deliveries.forSend('preview-1');
    expect(deliveries.map((d) => d.memberKey).sort()).toEqual([rosterKey('Bob'), rosterKey('Cas'), rosterKey('Dee')]);
    for (const d of deliveries) {
      expect(d).toMatchObject({
        id: deliveryId('preview-1', d.memberKey),
        kind: 'campaign',
        campaignId: 'preview-1',
        state: 'pending',
        attempts: 0,
      });
    }
    expect(await stores.assignments.get(rosterKey('Bob'))).toEqual({
      key: rosterKey('Bob'),
      due: '2026-11-20',
      campaignId: 'preview-1',
      reach,
      lastReminderAt: '2026-10-09T09:00:00Z',
    });
    expect(await stores.assignments.get(rosterKey('Cas'))).toEqual({
      key: rosterKey('Cas'),
      due: '2026-11-20',
      campaignId: 'preview-1',
    });
    expect(await stores.assignments.get(rosterKey('Ann'))).toBeUndefined();
    expect(await service.latest()).toMatchObject({ id: 'preview-1' });
  });

  it('confirmed twice, is one campaign with one delivery per person, even if the roster changed in between', async () => {
    const { stores, service, clock } = setup();
    await seed(stores);
    const first = await service.send(request());
    expect(first).toMatchObject({ kind: 'created', recipients: 5 });

    await stores.roster.put(rosterMember('Gus', { department: 'Sales', aad: 'g1' }));
    clock.time = new Date('2026-11-02T09:05:00Z');
    const again = await service.send(request({ audience: 'not-finished', due: '2026-12-01' }));
    expect(again).toEqual({
      kind: 'replayed',
      campaign: first.kind === 'created' ? first.campaign : undefined,
      recipients: 5,
    });

    expect(await stores.campaigns.list()).toHaveLength(1);
    expect((await stores.deliveries.forSend('preview-1')).map((d) => d.memberKey).sort()).toEqual(
      ['Ann', 'Bob', 'Cas', 'Dee', 'Eve'].map(rosterKey),
    );
    expect(await stores.assignments.get(rosterKey('Gus'))).toBeUndefined();
    expect(await stores.assignments.get(rosterKey('Ann'))).toMatchObject({ due: '2026-11-20' });
  });

  it('confirmed twice at the same moment, is still one campaign with one delivery per person', async () => {
    const { stores, service } = setup();
    await seed(stores);
    const outcomes = await Promise.all([service.send(request()), service.send(request())]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['created', 'replayed']);
    expect(await stores.campaigns.list()).toHaveLength(1);
    expect(await stores.deliveries.forSend('preview-1')).toHaveLength(5);
  });

  it('a later campaign moves its recipients to its own due date', async () => {
    const { stores, service, clock } = setup();
    await seed(stores);
    await service.send(request());
    clock.time = new Date('2026-11-09T09:00:00Z');
    await service.send(
      request({ id: 'preview-2', audience: 'departments', departments: ['Office'], due: '2026-11-27' }),
    );
    expect(await stores.assignments.get(rosterKey('Cas'))).toMatchObject({
      due: '2026-11-27',
      campaignId: 'preview-2',
    });
    expect(await stores.assignments.get(rosterKey('Bob'))).toMatchObject({
      due: '2026-11-20',
      campaignId: 'preview-1',
    });
    expect(await service.latest()).toMatchObject({ id: 'preview-2' });
    expect(await stores.deliveries.open()).toHaveLength(7);
  });
});

/** The real stores, except that one write stops part-way through, as when the process is killed there. */
function killedDuring(stores: Stores, where: 'deliveries' | 'assignments', after: number): CampaignStores {
  const killed = () => new Error('process killed');
  if (where === 'deliveries') {
    const real = stores.deliveries;
    return {
      ...stores,
      deliveries: {
        add: async (deliveries) => {
          await real.add(deliveries.slice(0, after));
          throw killed();
        },
        forSend: (sendId) => real.forSend(sendId),
      },
    };
  }
  const real = stores.assignments;
  let writes = 0;
  return {
    ...stores,
    assignments: {
      get: (k) => real.get(k),
      update: async (k, change) => {
        writes += 1;
        if (writes > after) throw killed();
        return real.update(k, change);
      },
      scan: (pick) => real.scan(pick),
    },
  };
}

describe('a send stopped part-way', () => {
  it.each(['deliveries', 'assignments'] as const)(
    'killed while writing %s, is finished by confirming again, once per person',
    async (where) => {
      const stores = memoryStores();
      const clock: Clock = { now: () => new Date(NOW) };
      await seed(stores);
      const crashing = new CampaignService(course, killedDuring(stores, where, 2), clock, ZONE);
      await expect(crashing.send(request())).rejects.toThrow('process killed');
      expect(await stores.campaigns.get('preview-1')).toMatchObject({ recipients: 5 });
      expect((await stores.deliveries.forSend('preview-1')).length).toBe(where === 'deliveries' ? 2 : 0);
      // The worker may already have sent the deliveries that were written.
      const written = await stores.deliveries.forSend('preview-1');
      for (const d of written)
        await stores.deliveries.update(d.id, (current) => ({ ...current, state: 'sent', attempts: 1 }));

      const restarted = new CampaignService(course, stores, clock, ZONE);
      expect(await restarted.send(request())).toMatchObject({ kind: 'replayed', recipients: 5 });
      const deliveries = await stores.deliveries.forSend('preview-1');
      expect(deliveries.map((d) => d.memberKey).sort()).toEqual(['Ann', 'Bob', 'Cas', 'Dee', 'Eve'].map(rosterKey));
      expect(deliveries.filter((d) => d.state === 'sent')).toHaveLength(written.length);
      for (const name of ['Ann', 'Bob', 'Cas', 'Dee', 'Eve']) {
        expect(await stores.assignments.get(rosterKey(name))).toMatchObject({
          due: '2026-11-20',
          campaignId: 'preview-1',
        });
      }
      expect(await restarted.send(request())).toMatchObject({ kind: 'replayed', recipients: 5 });
      expect(await stores.deliveries.open()).toHaveLength(5 - written.length);
    },
  );

  it('finished later, leaves out the people a newer campaign has reached since', async () => {
    const stores = memoryStores();
    await seed(stores);
    const early = new CampaignService(
      course,
      killedDuring(stores, 'assignments', 0),
      { now: () => new Date(NOW) },
      ZONE,
    );
    await expect(early.send(request({ audience: 'not-finished' }))).rejects.toThrow('process killed');

    const { service } = setup(stores, '2026-11-03T09:00:00Z');
    await service.send(
      request({ id: 'preview-2', audience: 'departments', departments: ['Office'], due: '2026-11-27' }),
    );
    expect(await service.send(request({ audience: 'not-finished' }))).toMatchObject({
      kind: 'replayed',
      recipients: 1,
    });
    expect((await stores.deliveries.forSend('preview-1')).map((d) => d.memberKey)).toEqual([rosterKey('Bob')]);
    expect(await stores.assignments.get(rosterKey('Cas'))).toMatchObject({
      due: '2026-11-27',
      campaignId: 'preview-2',
    });
  });
});

describe('status', () => {
  it('counts deliveries by state and lists who could not be reached, and why', async () => {
    const { stores, service } = setup();
    await seed(stores);
    await service.send(request());
    expect(await service.status('preview-1')).toMatchObject({
      pending: 5,
      sent: 0,
      retrying: 0,
      unreachable: [],
      failed: [],
      unconfirmed: 0,
    });

    const set = (
      name: string,
      state: 'sent' | 'unreachable' | 'failed' | 'retrying' | 'unconfirmed',
      reason?: string,
    ) =>
      stores.deliveries.update(deliveryId('preview-1', rosterKey(name)), (d) => ({
        ...d,
        state,
        ...(reason ? { reason } : {}),
      }));
    await set('Ann', 'sent');
    await set('Bob', 'unreachable', '403 ConversationBlockedByUser');
    await set('Cas', 'failed', '502 after 5 attempts');
    await set('Dee', 'retrying', '429');
    await set('Eve', 'unconfirmed');

    const status = await service.status('preview-1');
    expect(status).toMatchObject({ campaign: { id: 'preview-1' }, pending: 0, sent: 1, retrying: 1, unconfirmed: 1 });
    expect(status?.unreachable).toEqual([
      { member: rosterMember('Bob', { department: 'Sales', aad: 'b1' }), reason: '403 ConversationBlockedByUser' },
    ]);
    expect(status?.failed).toEqual([
      { member: rosterMember('Cas', { department: 'Office', aad: 'c1' }), reason: '502 after 5 attempts' },
    ]);
    expect(await service.status('nope')).toBeUndefined();

    // A card lists the first few: the counts still cover everyone not reached.
    await set('Dee', 'unreachable', '404');
    const listed = await service.status('preview-1', 1);
    expect(listed).toMatchObject({ unreachableCount: 2, failedCount: 1, failed: [] });
    expect(listed?.unreachable.map((u) => u.member.name)).toEqual(['Bob']);
  });
});

describe('on the embedded store', () => {
  it('sends once, and a confirm after a restart finds the same campaign', async () => {
    const file = path.join(await tempDir(), 'postwise.json');
    const first = setup(await openLowdbStores(file, new Date(NOW), 4));
    await seed(first.stores);
    expect(
      await first.service.send(request({ audience: 'departments', departments: ['Sales', 'Office'] })),
    ).toMatchObject({ kind: 'created', recipients: 4 });
    await first.stores.close();

    const second = setup(await openLowdbStores(file, new Date(NOW), 4), '2026-11-02T10:00:00Z');
    try {
      expect(
        await second.service.send(request({ audience: 'departments', departments: ['Sales', 'Office'] })),
      ).toMatchObject({
        kind: 'replayed',
        recipients: 4,
        campaign: { createdAt: new Date(NOW).toISOString() },
      });
      expect(await second.stores.deliveries.open()).toHaveLength(4);
      expect(await second.stores.assignments.get(rosterKey('Dee'))).toMatchObject({
        due: '2026-11-20',
        campaignId: 'preview-1',
      });
      expect(await second.service.status('preview-1')).toMatchObject({ pending: 4 });
    } finally {
      await second.stores.close();
    }
  });
});
