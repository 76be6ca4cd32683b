/** The languages the course is written in. */
export const LANGUAGES = ['en', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Guidelines G1–G20 and protocol items P1–P3 of the policy (see shared/DESIGN.md). */
export const POLICY_IDS: readonly string[] = [...Array.from({ length: 20 }, (_, i) => `G${i + 1}`), 'P1', 'P2', 'P3'];

export interface Choice {
  readonly id: string;
  readonly text: string;
  readonly correct: boolean;
  readonly feedback: string;
}

export interface Question {
  readonly id: string;
  readonly covers: readonly string[];
  readonly scenario?: string;
  readonly prompt: string;
  readonly choices: readonly Choice[];
}

export interface LessonImage {
  readonly url: string;
  readonly alt: string;
}

export interface Lesson {
  readonly id: string;
  /** Raised by the author when the lesson's meaning changes (not for a typo); the policy version follows it. */
  readonly revision: number;
  readonly title: string;
  readonly covers: readonly string[];
  readonly body: string;
  readonly takeaway: string;
  readonly image?: LessonImage;
  readonly questions: readonly Question[];
}

/** The course in one language. All languages share ids, order and correct answers. */
export interface Course {
  readonly language: Language;
  /** Policy version, from the lessons' ids and revisions: the same for every language, recorded with every answer. */
  readonly version: string;
  /** The version as people say it: the policy's date and a number from the content, like "2026-11-30 #417". */
  readonly versionName: string;
  readonly title: string;
  readonly intro: string;
  readonly minutes: number;
  readonly summary: readonly string[];
  readonly lessons: readonly Lesson[];
}

/** Where a question sits in the course. */
export interface QuestionPlace {
  readonly lesson: Lesson;
  readonly lessonIndex: number;
  readonly question: Question;
  readonly questionIndex: number;
}

export function findLesson(course: Course, lessonId: string): { lesson: Lesson; index: number } | undefined {
  const index = course.lessons.findIndex((l) => l.id === lessonId);
  const lesson = course.lessons[index];
  return lesson ? { lesson, index } : undefined;
}

export function findQuestion(course: Course, questionId: string): QuestionPlace | undefined {
  for (const [lessonIndex, lesson] of course.lessons.entries()) {
    const questionIndex = lesson.questions.findIndex((q) => q.id === questionId);
    const question = lesson.questions[questionIndex];
    if (question) return { lesson, lessonIndex, question, questionIndex };
  }
  return undefined;
}

/** The course language for a Teams locale such as "nl-NL"; undefined for other languages. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const prefix = locale?.slice(0, 2).toLowerCase();
  return LANGUAGES.find((l) => l === prefix);
}
