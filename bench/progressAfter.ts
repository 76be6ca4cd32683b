import type { Course } from '../src/domain/course/course.js';
import type { Answer, Progress } from '../src/domain/course/progress.js';
import { coursePath, pickChoice } from './coursePath.js';

/** What the store would hold after `stepsDone` steps of the course path, answered by `random`. */
export function progressAfter(
  now: Date,
  course: Course,
  userId: string,
  stepsDone: number,
  random: () => number,
  version: string,
): Progress {
  const lessonsOpened: string[] = [];
  const answers: Record<string, Answer> = {};
  const acknowledgements: Progress['acknowledgements'][number][] = [];
  let at = now.getTime() - 20 * 86_400_000 + Math.floor(random() * 15 * 86_400_000);
  const next = () => new Date((at += 30_000 + Math.floor(random() * 120_000))).toISOString();
  for (const step of coursePath(course).slice(0, stepsDone)) {
    if (step.kind === 'open') lessonsOpened.push(step.lessonId);
    else if (step.kind === 'answer') {
      const choiceId = pickChoice(step, random);
      answers[step.questionId] = {
        questionId: step.questionId,
        choiceId,
        correct: choiceId === step.correctChoice,
        at: next(),
        version: course.version,
      };
    } else {
      const values = Object.values(answers);
      acknowledgements.push({
        version,
        at: next(),
        correct: values.filter((a) => a.correct).length,
        total: values.length,
      });
    }
  }
  return {
    userId,
    lessonsOpened,
    answers,
    acknowledgements,
    lastActivityAt: new Date(at).toISOString(),
    ...(random() < 0.15 ? { language: 'nl' as const } : {}),
  };
}
