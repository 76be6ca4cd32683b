import { describe, expect, it } from 'vitest';
import type { Course, Question } from '../../../src/domain/course/course.js';
import { CourseService } from '../../../src/domain/course/courseService.js';
import {
  emptyProgress,
  memberStatus,
  nextStep,
  type Answer,
  type Progress,
} from '../../../src/domain/course/progress.js';
import { choiceOrder, shuffled } from '../../../src/domain/course/shuffle.js';
import { memoryStores } from '../../../src/storage/memory.js';

const IDS = ['a', 'b', 'c'];

describe('the order of choices', () => {
  it('is a permutation, the same every time for the same employee, question and attempt', () => {
    for (let u = 0; u < 50; u++) {
      const order = choiceOrder(['a', 'b', 'c', 'd'], `user-${u}`, 'q1');
      expect([...order].sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(choiceOrder(['a', 'b', 'c', 'd'], `user-${u}`, 'q1')).toEqual(order);
      expect(choiceOrder(['a', 'b', 'c', 'd'], `user-${u}`, 'q1', 3)).toEqual(
        choiceOrder(['a', 'b', 'c', 'd'], `user-${u}`, 'q1', 3),
      );
    }
  });

  it('puts a given choice in every position about as often, across employees and across questions', () => {
    const byUser = [0, 0, 0];
    const byQuestion = [0, 0, 0];
    for (let i = 0; i < 600; i++) {
      byUser[choiceOrder(IDS, `5f0c1d2e-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`, 'q1').indexOf('b')]! += 1;
      byQuestion[choiceOrder(IDS, 'one-user', `question-${i}`).indexOf('b')]! += 1;
    }
    for (const count of [...byUser, ...byQuestion]) expect(count).toBeGreaterThan(140);
  });

  it('changes on each review attempt', () => {
    for (let u = 0; u < 30; u++) {
      for (let attempt = 1; attempt < 8; attempt++) {
        expect(choiceOrder(IDS, `user-${u}`, 'q1', attempt)).not.toEqual(
          choiceOrder(IDS, `user-${u}`, 'q1', attempt - 1),
        );
      }
    }
  });

  it('shuffles any list by a seed, leaving the list itself alone', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(shuffled(items, 'seed')).toEqual(shuffled(items, 'seed'));
    expect(shuffled(items, 'seed')).not.toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(shuffled([], 'seed')).toEqual([]);
  });
});

const question = (id: string, correct: string): Question => ({
  id,
  covers: ['G1'],
  prompt: `${id}?`,
  choices: IDS.map((c) => ({ id: c, text: c, correct: c === correct, feedback: `because ${c}` })),
});

const course: Course = {
  language: 'en',
  version: 'v2',
  versionName: '2026-11-30 #2',
  title: 'Test course',
  intro: 'intro',
  minutes: 5,
  summary: ['one'],
  lessons: [
    {
      id: 'l1',
      revision: 1,
      title: 'L1',
      covers: ['G1'],
      body: 'b',
      takeaway: 'first point',
      questions: [question('q1', 'b'), question('q2', 'a')],
    },
    {
      id: 'l2',
      revision: 1,
      title: 'L2',
      covers: ['G1'],
      body: 'b',
      takeaway: 'second point',
      questions: [question('q3', 'c')],
    },
  ],
};

const answer = (questionId: string, correct: boolean, at = '2026-11-02T09:00:00.000Z'): Answer => ({
  questionId,
  choiceId: correct ? 'x' : 'y',
  correct,
  at,
  version: 'v2',
});

/** Every lesson opened and every question answered, q1 and q3 wrong. */
const allWrongButOne: Progress = {
  ...emptyProgress('u'),
  lessonsOpened: ['l1', 'l2'],
  answers: { q1: answer('q1', false), q2: answer('q2', true), q3: answer('q3', false) },
};

describe('the review round', () => {
  it('asks each missed question in course order, with its lesson, reshuffled, until it is answered correctly', () => {
    const first = nextStep(course, allWrongButOne);
    expect(first).toMatchObject({
      kind: 'review',
      question: { id: 'q1' },
      lesson: { takeaway: 'first point' },
      attempt: 1,
      left: 2,
    });
    const again = nextStep(course, { ...allWrongButOne, reviews: { q1: [answer('q1', false)] } });
    expect(again).toMatchObject({ kind: 'review', question: { id: 'q1' }, attempt: 2, left: 2 });
    if (first.kind !== 'review' || again.kind !== 'review') throw new Error('no review');
    expect(again.order).not.toEqual(first.order);
    const next = nextStep(course, { ...allWrongButOne, reviews: { q1: [answer('q1', false), answer('q1', true)] } });
    expect(next).toMatchObject({
      kind: 'review',
      question: { id: 'q3' },
      lesson: { takeaway: 'second point' },
      attempt: 1,
      left: 1,
    });
    expect(
      nextStep(course, { ...allWrongButOne, reviews: { q1: [answer('q1', true)], q3: [answer('q3', true)] } }),
    ).toEqual({ kind: 'acknowledge' });
  });

  it('leaves a completion acknowledged before reviews existed complete', () => {
    const old = {
      ...allWrongButOne,
      acknowledgements: [{ version: 'v2', at: '2026-11-02T10:00:00.000Z', correct: 1, total: 3 }],
    };
    expect(nextStep(course, old)).toMatchObject({ kind: 'complete' });
    expect(memberStatus(course, old)).toBe('completed');
    expect(memberStatus(course, allWrongButOne)).toBe('in-progress');
  });

  it('recovers the events of review attempts stored without them, and the completion they led to', async () => {
    const stores = memoryStores();
    const service = new CourseService({ en: course, nl: course }, stores.progress, stores.events, {
      now: () => new Date('2026-11-02T12:00:00Z'),
    });
    for (const [q, correct] of [
      ['q1', false],
      ['q2', true],
      ['q3', true],
    ] as const)
      await stores.progress.recordAnswer('u', answer(q, correct, `2026-11-02T09:0${q.at(-1)}:00.000Z`));
    await stores.progress.recordReview('u', 1, answer('q1', false, '2026-11-02T09:05:00.000Z'));
    await stores.progress.recordReview('u', 2, answer('q1', true, '2026-11-02T09:06:00.000Z'));
    expect(await service.recoverEvents()).toBe(6);
    expect(await service.recoverEvents()).toBe(0);
    const events = await stores.events.list();
    expect(events.map((e) => e.id)).toEqual([
      'u/answered/q1',
      'u/answered/q2',
      'u/answered/q3',
      'u/reviewed/q1/1',
      'u/reviewed/q1/2',
      'u/completed/v2',
    ]);
    expect(events.find((e) => e.type === 'completed')).toMatchObject({
      at: '2026-11-02T09:06:00.000Z',
      correct: 2,
      total: 3,
    });
  });
});
