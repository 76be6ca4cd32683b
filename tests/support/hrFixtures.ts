import type { Course } from '../../src/domain/course/course.js';
import type { Member } from '../../src/domain/roster/roster.js';
import type { Stores } from '../../src/storage/stores.js';
import { shippedContent } from './shippedContent.js';

/** The real English course, with the organisation texts configuration falls back to. */
export async function loadCourse(): Promise<Course> {
  return (await shippedContent()).courses.en;
}

/** The roster key of the test person called `name`. */
export const rosterKey = (name: string): string => `${name.toLowerCase()}@contoso.example`;

/** An active CSV roster member called `name`, a Staff member of Office unless told otherwise. */
export function rosterMember(
  name: string,
  options: { department?: string; role?: string; aad?: string; active?: boolean } = {},
): Member {
  return {
    key: rosterKey(name),
    name,
    email: `${name}@contoso.example`,
    department: options.department ?? 'Office',
    role: options.role ?? 'Staff',
    ...(options.aad ? { aadObjectId: options.aad } : {}),
    active: options.active ?? true,
    source: 'csv',
    updatedAt: '2026-10-01T08:00:00Z',
  };
}

/**
 * Every lesson opened, every question answered right and the current version acknowledged, through the store;
 * at 20 October 2026, 12:00 in Amsterdam unless told otherwise.
 */
export async function completeCourseInStore(
  stores: Pick<Stores, 'progress'>,
  course: Course,
  userId: string,
  at = '2026-10-20T10:00:00Z',
): Promise<void> {
  for (const lesson of course.lessons) {
    await stores.progress.openLesson(userId, lesson.id, at, lesson.revision);
    for (const question of lesson.questions) {
      const choice = question.choices.find((c) => c.correct);
      if (!choice) throw new Error(`${question.id} has no correct choice`);
      const { version } = course;
      const { revision } = lesson;
      const answer = { questionId: question.id, choiceId: choice.id, correct: true, at, version, revision };
      await stores.progress.recordAnswer(userId, answer);
    }
  }
  const total = course.lessons.reduce((n, l) => n + l.questions.length, 0);
  const revisions = Object.fromEntries(course.lessons.map((l) => [l.id, l.revision]));
  const ack = { version: course.version, at, correct: total, total, revisions };
  await stores.progress.recordAcknowledgement(userId, ack);
}
