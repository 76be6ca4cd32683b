import type { Choice, Question } from './course.js';

export interface Grade {
  readonly choice: Choice;
  readonly correct: boolean;
  readonly correctChoice: Choice;
}

/** Grades one choice; undefined when the choice id is not one of the question's. */
export function grade(question: Question, choiceId: string): Grade | undefined {
  const choice = question.choices.find((c) => c.id === choiceId);
  const correctChoice = question.choices.find((c) => c.correct);
  if (!choice || !correctChoice) return undefined;
  return { choice, correct: choice.correct, correctChoice };
}
