import { describe, expect, it } from 'vitest';
import type { Answer } from '../../../src/domain/course/progress.js';
import { emptyProgress } from '../../../src/domain/course/progress.js';
import { FirstTries, NOT_ANSWERED, RIGHT, WRONG } from '../../../src/domain/understanding/firstTries.js';
import { madeUpCourse } from '../../support/madeUpCourse.js';

const course = madeUpCourse([
  { id: 'l1', revision: 2, questions: [{ id: 'q1', choices: ['a', 'b'], right: 'a' }] },
  { id: 'l2', questions: [{ id: 'q2', choices: ['a', 'b'], right: 'b' }] },
]);

const answer = (questionId: string, choiceId: string, correct: boolean, revision?: number): Answer => ({
  questionId,
  choiceId,
  correct,
  at: '2026-12-01T09:00:00.000Z',
  version: 'v',
  ...(revision === undefined ? {} : { revision }),
});

describe('first tries for the understanding figures', () => {
  it('count an answer given on the lesson’s current revision', () => {
    const p = { ...emptyProgress('u'), answers: { q1: answer('q1', 'a', true, 2), q2: answer('q2', 'a', false) } };
    expect([...new FirstTries(course).of(p)]).toEqual([RIGHT, WRONG]);
  });

  it('leave out an answer given on an older revision: it answered a question that has since changed', () => {
    const p = { ...emptyProgress('u'), answers: { q1: answer('q1', 'a', true, 1), q2: answer('q2', 'b', true) } };
    expect([...new FirstTries(course).of(p)]).toEqual([NOT_ANSWERED, RIGHT]);
  });
});
