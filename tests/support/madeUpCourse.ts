import type { Course, Lesson } from '../../src/domain/course/course.js';

/** A made-up question: its id, its choices' ids, and the right one. */
export interface MadeUpQuestion {
  readonly id: string;
  readonly choices: readonly string[];
  readonly right: string;
  /** Stretches every text to this many characters (default: short texts). */
  readonly textLength?: number;
}

/** A made-up lesson, at revision 1 unless told. */
export interface MadeUpLesson {
  readonly id: string;
  readonly revision?: number;
  readonly questions: readonly MadeUpQuestion[];
}

const stretch = (text: string, length?: number) =>
  length === undefined ? text : text.padEnd(length, ' and more words');

/** A course in English made of these lessons, not depending on the shipped content. */
export function madeUpCourse(lessons: readonly MadeUpLesson[], version = 'v-made-up'): Course {
  return {
    language: 'en',
    version,
    versionName: `2026-11-30 #${version}`,
    title: 'Made-up course',
    intro: 'intro',
    minutes: 5,
    summary: ['one', 'two', 'three'],
    lessons: lessons.map((l): Lesson => ({
      id: l.id,
      revision: l.revision ?? 1,
      title: `Lesson ${l.id}`,
      covers: ['G1'],
      body: 'body',
      takeaway: 'takeaway',
      questions: l.questions.map((q) => ({
        id: q.id,
        covers: ['G1'],
        prompt: stretch(`Question ${q.id}?`, q.textLength),
        choices: q.choices.map((c) => ({
          id: c,
          text: stretch(`Choice ${c} of ${q.id}`, q.textLength),
          correct: c === q.right,
          feedback: 'why',
        })),
      })),
    })),
  };
}
