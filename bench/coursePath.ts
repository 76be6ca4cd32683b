import type { Course } from '../src/domain/course/course.js';

/** Every bench run seeds and sends the same data. */
export { seededRandom } from '../src/domain/course/shuffle.js';

/** One thing an employee does to move through the course, in course order. */
export type CourseStep =
  | { readonly kind: 'open'; readonly lessonId: string }
  | {
      readonly kind: 'answer';
      readonly questionId: string;
      readonly correctChoice: string;
      readonly wrongChoices: readonly string[];
    }
  | { readonly kind: 'acknowledge'; readonly version: string };

/** Every step from opening the first lesson to acknowledging the policy. */
export function coursePath(course: Course): CourseStep[] {
  const steps: CourseStep[] = [];
  for (const lesson of course.lessons) {
    steps.push({ kind: 'open', lessonId: lesson.id });
    for (const question of lesson.questions) {
      const correct = question.choices.find((c) => c.correct);
      if (!correct) throw new Error(`question ${question.id} has no correct choice`);
      steps.push({
        kind: 'answer',
        questionId: question.id,
        correctChoice: correct.id,
        wrongChoices: question.choices.filter((c) => !c.correct).map((c) => c.id),
      });
    }
  }
  steps.push({ kind: 'acknowledge', version: course.version });
  return steps;
}

/** The choice a simulated employee picks: the right one four times out of five. */
export function pickChoice(step: Extract<CourseStep, { kind: 'answer' }>, random: () => number): string {
  if (random() < 0.8) return step.correctChoice;
  return step.wrongChoices[Math.floor(random() * step.wrongChoices.length)] ?? step.correctChoice;
}
