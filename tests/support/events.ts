import type { CourseEvent } from '../../src/domain/course/events.js';

/** An `answered` event with the given id, for tests of the event log. */
export const answeredEvent = (id: string, userId: string): CourseEvent => ({
  id,
  type: 'answered',
  userId,
  at: '2026-11-02T09:05:00.000Z',
  version: 'v1',
  questionId: 'q1',
  choiceId: 'a',
  correct: true,
});
