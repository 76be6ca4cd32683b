import { describe, expect, it } from 'vitest';
import type { Course, Lesson } from '../../../src/domain/course/course.js';
import { CourseService } from '../../../src/domain/course/courseService.js';
import {
  changedSince,
  emptyProgress,
  nextStep,
  type Acknowledgement,
  type Answer,
  type Progress,
} from '../../../src/domain/course/progress.js';
import { memoryStores } from '../../../src/storage/memory.js';

const lesson = (id: string, revision: number): Lesson => ({
  id,
  revision,
  title: id.toUpperCase(),
  covers: ['G1'],
  body: 'b',
  takeaway: 't',
  questions: [
    {
      id: `${id}-q`,
      covers: ['G1'],
      prompt: '?',
      choices: [
        { id: 'a', text: 'a', correct: true, feedback: 'f' },
        { id: 'b', text: 'b', correct: false, feedback: 'f' },
      ],
    },
  ],
});

const courseOf = (version: string, ...lessons: Lesson[]): Course => ({
  language: 'en',
  version,
  versionName: version,
  title: 'T',
  intro: 'i',
  minutes: 5,
  summary: ['s'],
  lessons,
});

const acked = (...acknowledgements: Acknowledgement[]): Progress => ({ ...emptyProgress('u'), acknowledgements });
const ack = (at: string, revisions?: Record<string, number>): Acknowledgement => ({
  version: at,
  at,
  correct: 2,
  total: 2,
  revisions,
});

describe('lessons changed since the latest acknowledgement', () => {
  const now = courseOf('v3', lesson('l1', 1), lesson('l2', 3), lesson('l3', 1));

  it('are those whose revision rose or that are new, compared with the latest acknowledgement only', () => {
    const progress = acked(
      ack('2026-11-01T09:00:00.000Z', { l1: 1, l2: 1 }),
      ack('2026-11-20T09:00:00.000Z', { l1: 1, l2: 2 }),
    );
    expect(changedSince(now, progress).map((l) => l.id)).toEqual(['l2', 'l3']);
    expect(changedSince(now, acked(ack('2026-11-20T09:00:00.000Z', { l1: 1, l2: 3, l3: 1 })))).toEqual([]);
  });

  it('count an acknowledgement made before revisions as revision 1 of every lesson', () => {
    expect(changedSince(now, acked(ack('2026-11-01T09:00:00.000Z'))).map((l) => l.id)).toEqual(['l2']);
  });

  it('are none for someone who never acknowledged', () => {
    expect(changedSince(now, emptyProgress('u'))).toEqual([]);
  });

  it('are measured against the revisions an acknowledgement stores as it is made', async () => {
    const stores = memoryStores();
    const before = courseOf('v1', lesson('l1', 1), lesson('l2', 2));
    const service = new CourseService({ en: before, nl: before }, stores.progress, stores.events, {
      now: () => new Date('2026-11-02T12:00:00Z'),
    });
    for (const l of before.lessons) {
      await service.openLesson('u', l.id);
      await service.answer('u', l.questions[0]!.id, 'a');
    }
    const outcome = await service.acknowledge('u', 'v1');
    expect(outcome).toMatchObject({ kind: 'acknowledged', acknowledgement: { revisions: { l1: 1, l2: 2 } } });
    expect((await stores.events.list()).find((e) => e.type === 'acknowledged')).toMatchObject({
      revisions: { l1: 1, l2: 2 },
    });
    const progress = await service.progress('u');
    expect(changedSince(before, progress)).toEqual([]);
    expect(changedSince(courseOf('v2', lesson('l1', 2), lesson('l2', 2)), progress).map((l) => l.id)).toEqual(['l1']);
  });
});

describe('answers to an older revision of a lesson', () => {
  const answer = (questionId: string, correct: boolean, revision?: number): Answer => ({
    questionId,
    choiceId: correct ? 'a' : 'b',
    correct,
    at: '2026-11-02T09:00:00.000Z',
    version: 'v1',
    revision,
  });

  it("count as not given once the lesson's revision rose, and make way for the new first answer, kept in earlier with their reviews", async () => {
    const stores = memoryStores();
    await stores.progress.openLesson('u', 'l1', '2026-11-02T09:00:00.000Z');
    await stores.progress.recordAnswer('u', answer('l1-q', false));
    await stores.progress.recordReview('u', 1, answer('l1-q', true));
    const before = (await stores.progress.get('u'))!;
    expect(nextStep(courseOf('v1', lesson('l1', 1)), before)).toEqual({ kind: 'acknowledge' });
    expect(nextStep(courseOf('v2', lesson('l1', 2)), before)).toMatchObject({ kind: 'lesson', lesson: { id: 'l1' } });

    // Opening and answering at revision 1 again changes nothing; at revision 2 it replaces.
    expect(await stores.progress.openLesson('u', 'l1', '2026-11-03T09:00:00.000Z', 1)).toEqual(before);
    expect((await stores.progress.recordAnswer('u', answer('l1-q', true, 1))).created).toBe(false);
    await stores.progress.openLesson('u', 'l1', '2026-11-03T09:00:00.000Z', 2);
    const saved = await stores.progress.recordAnswer('u', answer('l1-q', true, 2));
    expect(saved.created).toBe(true);
    expect(saved.progress.answers['l1-q']).toMatchObject({ correct: true, revision: 2 });
    expect(saved.progress.reviews?.['l1-q']).toBeUndefined();
    expect(saved.progress.earlier?.['l1-q']).toEqual([answer('l1-q', false), answer('l1-q', true)]);
    expect(nextStep(courseOf('v2', lesson('l1', 2)), saved.progress)).toEqual({ kind: 'acknowledge' });
  });
});
