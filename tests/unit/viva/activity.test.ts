import { describe, expect, it } from 'vitest';
import type { CourseEvent } from '../../../src/domain/course/events.js';
import { vivaChanges, type VivaAssignment, type VivaRecord } from '../../../src/domain/viva/activity.js';

const USER = 'a1';
const QUESTIONS = 9;
const campaign: VivaAssignment = {
  source: 'c1',
  due: '2026-12-18',
  at: '2026-11-02T09:00:00Z',
  version: 'v1',
  language: 'nl',
};
const answered = (questionId: string, version = 'v1'): CourseEvent => ({
  id: `e-${questionId}-${version}`,
  type: 'answered',
  userId: USER,
  at: '2026-11-03T09:00:00Z',
  version,
  questionId,
  choiceId: 'a',
  correct: true,
});
const acknowledged = (version = 'v1'): CourseEvent => ({
  id: `ack-${version}`,
  type: 'acknowledged',
  userId: USER,
  at: '2026-11-04T09:00:00Z',
  version,
  correct: 9,
  total: 9,
});

function apply(record: VivaRecord | undefined, ...changes: ((r: VivaRecord | undefined) => VivaRecord | undefined)[]) {
  for (const change of changes) record = change(record) ?? record;
  return record;
}

describe('a person’s course activity in Viva Learning', () => {
  it('counts each first-try question once, the acknowledgement as the last step; one state waits per activity', () => {
    const record = apply(
      undefined,
      (r) => vivaChanges.assign(USER, r, campaign, QUESTIONS),
      (r) => vivaChanges.event(r, answered('q1'), 'en', QUESTIONS),
      (r) => vivaChanges.event(r, answered('q1'), 'en', QUESTIONS),
      (r) => vivaChanges.event(r, answered('q2'), 'en', QUESTIONS),
    );
    expect(record?.entries).toHaveLength(1);
    expect(record?.entries[0]).toMatchObject({ kind: 'assignment', percent: 20, due: '2026-12-18', language: 'nl' });
    const done = vivaChanges.event(record, acknowledged(), 'en', QUESTIONS);
    expect(done?.entries[0]).toMatchObject({ percent: 100, completedAt: '2026-11-04T09:00:00Z' });
    // Nothing after completion on the same version changes it.
    expect(vivaChanges.event(done, answered('q3'), 'en', QUESTIONS)).toBeUndefined();
    expect(vivaChanges.assign(USER, done, campaign, QUESTIONS)).toBeUndefined();
  });

  it('a campaign carries what was done on the same version; a renewal asks for the acknowledgement again', () => {
    const self = apply(
      undefined,
      (r) => vivaChanges.event(r, answered('q1'), 'en', QUESTIONS),
      (r) => vivaChanges.event(r, acknowledged(), 'en', QUESTIONS),
    );
    expect(self?.current).toMatchObject({ kind: 'self', completedAt: '2026-11-04T09:00:00Z' });
    const assigned = vivaChanges.assign(USER, self, campaign, QUESTIONS);
    expect(assigned?.current).toMatchObject({ kind: 'assignment', completedAt: '2026-11-04T09:00:00Z' });
    expect(assigned?.current?.externalId).not.toBe(self?.current?.externalId);
    const renewal = vivaChanges.assign(USER, assigned, { ...campaign, source: 'renewal:2027-11-04' }, QUESTIONS);
    expect(renewal?.current).toMatchObject({ kind: 'assignment', answered: [] });
    expect(renewal?.current?.completedAt).toBeUndefined();
    expect(renewal?.entries.map((e) => e.percent)).toEqual([100, 100, 0]);
  });

  it('a new version opens a new activity of the same kind and due date; the same inputs give the same ids', () => {
    const first = apply(
      undefined,
      (r) => vivaChanges.assign(USER, r, campaign, QUESTIONS),
      (r) => vivaChanges.event(r, acknowledged(), 'en', QUESTIONS),
    );
    const next = vivaChanges.event(first, answered('q1', 'v2'), 'en', QUESTIONS);
    expect(next?.current).toMatchObject({ kind: 'assignment', version: 'v2', due: '2026-12-18', answered: ['q1'] });
    expect(next?.current?.externalId).not.toBe(first?.current?.externalId);
    const again = vivaChanges.event(first, answered('q1', 'v2'), 'en', QUESTIONS);
    expect(again?.current?.externalId).toBe(next?.current?.externalId);
  });

  it('keeps Graph’s id while its activity is current or waiting, and only then', () => {
    const record = vivaChanges.event(undefined, answered('q1'), 'en', QUESTIONS);
    const entry = record?.entries[0];
    if (!record || !entry) throw new Error('no entry');
    const sent = vivaChanges.delivered(record, entry.id, entry.externalId, 'g1');
    expect(sent).toMatchObject({ entries: [], created: { [entry.externalId]: 'g1' } });
    expect(vivaChanges.delivered(sent, entry.id, entry.externalId, 'g1')).toBeUndefined();
    const moved = vivaChanges.assign(USER, sent, campaign, QUESTIONS);
    const next = moved?.entries[0];
    if (!next) throw new Error('no entry');
    expect(vivaChanges.delivered(moved, next.id, next.externalId, 'g2')?.created).toEqual({ [next.externalId]: 'g2' });
  });
});
