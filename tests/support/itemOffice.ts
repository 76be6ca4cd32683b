import { randomUUID } from 'node:crypto';
import type { Course, Question } from '../../src/domain/course/course.js';
import type { ProgressStore } from '../../src/domain/course/ports.js';

export const right = (q: Question): string => q.choices.find((c) => c.correct)?.id ?? '';
export const wrong = (q: Question): string[] => q.choices.filter((c) => !c.correct).map((c) => c.id);

/**
 * The four questions the office answers, looked up in the course: q1 has four choices (the last
 * wrong one is never picked), q2 and q3 any others with three or more, q4 a fourth answered by five.
 */
export function officeQuestions(course: Course): [Question, Question, Question, Question] {
  const all = course.lessons.flatMap((l) => l.questions);
  const q1 = all.find((q) => q.choices.length === 4) as Question;
  const [q2, q3, q4] = all.filter((q) => q !== q1 && q.choices.length >= 3) as [Question, Question, Question];
  return [q1, q2, q3, q4];
}

/** First tries on these questions (the lessons' current revisions), through the store. */
export async function answerFirst(
  store: Pick<ProgressStore, 'recordAnswer'>,
  course: Course,
  userId: string,
  picks: [Question, string][],
): Promise<void> {
  for (const [q, choiceId] of picks) {
    const correct = choiceId === right(q);
    const at = '2026-11-01T09:00:00.000Z';
    const revision = course.lessons.find((l) => l.questions.includes(q))?.revision;
    await store.recordAnswer(userId, { questionId: q.id, choiceId, correct, at, version: course.version, revision });
  }
}

/**
 * The office of tests/unit/items.test.ts in a real course, with right (✓), first (w1) and second (w2) wrong choices:
 * 9 × q1 ✓ q2 ✓ q3 ✓ (five also q4 ✓); 4 × q1 ✓ q2 w1 q3 ✓; 3 × q1 w1 q2 ✓ q3 ✓; 3 × q1 w2 q2 w2 q3 ✓;
 * 1 × q1 w1 q2 ✓ q3 w1; 1 × q1 ✓ only. By hand there: q2 20 answered, 65 % right, discrimination
 * 0.036; q1 21, 67 %, 0.257, shares 67/19/14/0 %; q3 20, 95 %, 0.096; q4 5, too few.
 */
export async function seedOffice(
  store: Pick<ProgressStore, 'recordAnswer'>,
  course: Course,
): Promise<[Question, Question, Question, Question]> {
  const [q1, q2, q3, q4] = officeQuestions(course);
  const [r1, r2, r3, r4] = [right(q1), right(q2), right(q3), right(q4)];
  const [a1 = '', b1 = ''] = wrong(q1);
  const [a2 = '', b2 = ''] = wrong(q2);
  const [a3 = ''] = wrong(q3);
  const group = async (count: number, picks: [Question, string][]) => {
    for (let i = 0; i < count; i++) await answerFirst(store, course, randomUUID(), picks);
  };
  await group(5, [
    [q1, r1],
    [q2, r2],
    [q3, r3],
    [q4, r4],
  ]);
  await group(4, [
    [q1, r1],
    [q2, r2],
    [q3, r3],
  ]);
  await group(4, [
    [q1, r1],
    [q2, a2],
    [q3, r3],
  ]);
  await group(3, [
    [q1, a1],
    [q2, r2],
    [q3, r3],
  ]);
  await group(3, [
    [q1, b1],
    [q2, b2],
    [q3, r3],
  ]);
  await group(1, [
    [q1, a1],
    [q2, r2],
    [q3, a3],
  ]);
  await group(1, [[q1, r1]]);
  return [q1, q2, q3, q4];
}
