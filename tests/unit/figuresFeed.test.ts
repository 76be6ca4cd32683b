import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/domain/campaigns/assignment.js';
import type { Delivery } from '../../src/domain/campaigns/delivery.js';
import type { Progress } from '../../src/domain/course/progress.js';
import type { FiguresFeed } from '../../src/domain/figures/figuresFeed.js';
import type { Member } from '../../src/domain/roster/roster.js';
import { indexedStores } from '../../src/storage/indexedStores.js';
import { openLowdbStores } from '../../src/storage/lowdb/stores.js';
import { memoryStores } from '../../src/storage/memory.js';
import type { Stores } from '../../src/storage/stores.js';
import { useTempDirs } from '../support/tempDirs.js';

type Heard =
  | { readonly kind: 'progress'; readonly record: Readonly<Progress> }
  | { readonly kind: 'member'; readonly record: Readonly<Member> }
  | { readonly kind: 'assignment'; readonly record: Readonly<Assignment> }
  | { readonly kind: 'delivery'; readonly record: Readonly<Delivery> }
  | { readonly kind: 'deliveries'; readonly record: readonly Readonly<Delivery>[] };

/** What HR's figures heard through their feed, in order. */
class HeardWrites implements FiguresFeed {
  readonly heard: Heard[] = [];
  progressWritten(record: Readonly<Progress>): void {
    this.heard.push({ kind: 'progress', record });
  }
  memberPut(record: Readonly<Member>): void {
    this.heard.push({ kind: 'member', record });
  }
  assignmentWritten(record: Readonly<Assignment>): void {
    this.heard.push({ kind: 'assignment', record });
  }
  deliveryWritten(record: Readonly<Delivery>): void {
    this.heard.push({ kind: 'delivery', record });
  }
  deliveriesAdded(record: readonly Readonly<Delivery>[]): void {
    this.heard.push({ kind: 'deliveries', record });
  }
  /** The writes heard since the last call. */
  take(): Heard[] {
    return this.heard.splice(0);
  }
}

const AT = '2026-11-02T09:00:00.000Z';
const USER = 'aad-ann';
const member: Member = {
  key: 'ann@contoso.example',
  email: 'ann@contoso.example',
  name: 'Ann',
  department: 'Sales',
  role: 'Clerk',
  aadObjectId: 'AAD-ANN',
  active: true,
  source: 'csv',
  updatedAt: AT,
};
const delivery: Delivery = {
  id: 'c1/ann@contoso.example',
  sendId: 'c1',
  kind: 'campaign',
  campaignId: 'c1',
  memberKey: member.key,
  state: 'pending',
  attempts: 0,
  updatedAt: AT,
};
const answer = { questionId: 'q1', choiceId: 'a', correct: false, at: AT, version: 'v1' };

/** One write of each kind the figures count, with the record the store holds once it is done. */
const WRITES: readonly (readonly [string, (s: Stores) => Promise<unknown>, (s: Stores) => Promise<Heard>])[] = [
  [
    'progress.openLesson',
    (s) => s.progress.openLesson(USER, 'l1', AT),
    async (s) => ({ kind: 'progress', record: (await s.progress.get(USER)) as Progress }),
  ],
  [
    'progress.recordAnswer',
    (s) => s.progress.recordAnswer(USER, answer),
    async (s) => ({ kind: 'progress', record: (await s.progress.get(USER)) as Progress }),
  ],
  [
    'progress.recordReview',
    (s) => s.progress.recordReview(USER, 1, { ...answer, choiceId: 'b', correct: true }),
    async (s) => ({ kind: 'progress', record: (await s.progress.get(USER)) as Progress }),
  ],
  [
    'progress.recordAcknowledgement',
    (s) => s.progress.recordAcknowledgement(USER, { version: 'v1', at: AT, correct: 1, total: 2 }),
    async (s) => ({ kind: 'progress', record: (await s.progress.get(USER)) as Progress }),
  ],
  [
    'progress.setLanguage',
    (s) => s.progress.setLanguage(USER, 'nl', AT),
    async (s) => ({ kind: 'progress', record: (await s.progress.get(USER)) as Progress }),
  ],
  [
    'roster.put',
    (s) => s.roster.put(member),
    async (s) => ({ kind: 'member', record: (await s.roster.get(member.key)) as Member }),
  ],
  [
    'assignments.update',
    (s) => s.assignments.update(member.key, (a) => ({ ...a, key: member.key, due: '2026-11-20', campaignId: 'c1' })),
    async (s) => ({ kind: 'assignment', record: (await s.assignments.get(member.key)) as Assignment }),
  ],
  [
    'deliveries.add',
    (s) => s.deliveries.add([delivery]),
    () => Promise.resolve({ kind: 'deliveries', record: [delivery] }),
  ],
  [
    'deliveries.update',
    (s) => s.deliveries.update(delivery.id, (d) => ({ ...d, state: 'sent', attempts: 1 })),
    async (s) => ({ kind: 'delivery', record: (await s.deliveries.get(delivery.id)) as Delivery }),
  ],
];

const tempDir = useTempDirs('feed');
const opened: Stores[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const kinds: Record<string, () => Promise<Stores>> = {
  memory: () => Promise.resolve(memoryStores()),
  lowdb: async () => openLowdbStores(path.join(await tempDir(), 'postwise.json'), new Date(AT), 8),
};

/** The stores with every write the figures hear of failing before it is durable, as a full disk would make it. */
function failingWrites(stores: Stores): Stores {
  const fail = () => Promise.reject(new Error('ENOSPC: no space left on device'));
  return {
    ...stores,
    progress: {
      ...stores.progress,
      openLesson: fail,
      recordAnswer: fail,
      recordReview: fail,
      recordAcknowledgement: fail,
      setLanguage: fail,
    },
    roster: { ...stores.roster, put: fail },
    assignments: { ...stores.assignments, update: fail },
    deliveries: { ...stores.deliveries, add: fail, update: fail },
  };
}

describe.each(Object.keys(kinds))("HR's figures' feed on the %s store", (name) => {
  const open = async () => {
    const raw = await (kinds[name] as () => Promise<Stores>)();
    opened.push(raw);
    return raw;
  };

  it('hears of every durable write of each kind once, with the record the store then holds', async () => {
    const raw = await open();
    const feed = new HeardWrites();
    const stores = indexedStores(raw, feed);
    for (const [write, run, stored] of WRITES) {
      await run(stores);
      expect({ write, heard: feed.take() }).toEqual({ write, heard: [await stored(raw)] });
    }
  });

  it('hears of no write that failed or changed nothing', async () => {
    const raw = await open();
    const feed = new HeardWrites();
    const failing = indexedStores(failingWrites(raw), feed);
    for (const [write, run] of WRITES) await expect(run(failing), write).rejects.toThrow('ENOSPC');
    const stores = indexedStores(raw, feed);
    await expect(
      stores.assignments.update(member.key, () => {
        throw new Error('a change that fails');
      }),
    ).rejects.toThrow('a change that fails');
    expect(await stores.assignments.update(member.key, () => undefined)).toBeUndefined();
    expect(
      await stores.deliveries.update('c9/nobody@contoso.example', (d) => ({ ...d, state: 'sent' })),
    ).toBeUndefined();
    expect(feed.take()).toEqual([]);
    expect(await raw.roster.get(member.key)).toBeUndefined();
  });
});
