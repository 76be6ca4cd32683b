import type { Course } from '../course/course.js';
import { answerOf, type Progress } from '../course/progress.js';

export const NOT_ANSWERED = 0;
export const WRONG = 1;
export const RIGHT = 2;

/** First-try answers to the questions that cover one policy id. */
export interface GuidelineUnderstanding {
  readonly id: string;
  readonly correct: number;
  readonly answered: number;
  /** People who answered at least one of its questions. */
  readonly people: number;
}

/** How the course's questions map to policy ids, and how a person's first tries are read. */
export class FirstTries {
  private readonly places: readonly { readonly lesson: Course['lessons'][number]; readonly id: string }[];
  /** Policy ids in the order the course first covers them, each with the indexes of its questions. */
  readonly guidelines: ReadonlyMap<string, readonly number[]>;

  constructor(course: Course) {
    const questions = course.lessons.flatMap((l) => l.questions);
    this.places = course.lessons.flatMap((lesson) => lesson.questions.map((q) => ({ lesson, id: q.id })));
    const guidelines = new Map<string, number[]>();
    questions.forEach((q, i) => {
      for (const id of q.covers) guidelines.set(id, [...(guidelines.get(id) ?? []), i]);
    });
    this.guidelines = guidelines;
  }

  /**
   * The first answer to each question of the course, as NOT_ANSWERED, WRONG or RIGHT; an answer
   * given on an older revision of the question's lesson counts as not answered (it measured another question).
   */
  of(p: Readonly<Progress>): Uint8Array {
    return Uint8Array.from(this.places, ({ lesson, id }) => {
      const answer = answerOf(p, lesson, id);
      return answer === undefined ? NOT_ANSWERED : answer.correct ? RIGHT : WRONG;
    });
  }
}

/** Whether any question was answered. */
export function answeredAny(answers: Uint8Array): boolean {
  return answers.some((a) => a !== NOT_ANSWERED);
}

/**
 * Running first-try sums per policy id over a group of people: what `tally` over the same people
 * gives, kept up to date one person at a time.
 */
export class GuidelineSums {
  /** People in the group who answered at least one question. */
  answerers = 0;
  private readonly correct: Int32Array;
  private readonly answered: Int32Array;
  private readonly people: Int32Array;

  constructor(private readonly guidelines: ReadonlyMap<string, readonly number[]>) {
    this.correct = new Int32Array(guidelines.size);
    this.answered = new Int32Array(guidelines.size);
    this.people = new Int32Array(guidelines.size);
  }

  /** Adds (sign 1) or takes away (sign -1) one person who answered at least one question. */
  add(answers: Uint8Array, sign: 1 | -1): void {
    this.answerers += sign;
    let g = 0;
    for (const questions of this.guidelines.values()) {
      const one = tally('', questions, [answers]);
      this.correct[g] = (this.correct[g] ?? 0) + sign * one.correct;
      this.answered[g] = (this.answered[g] ?? 0) + sign * one.answered;
      this.people[g] = (this.people[g] ?? 0) + sign * one.people;
      g += 1;
    }
  }

  /** Adds another group's sums to these. */
  merge(other: GuidelineSums): void {
    this.answerers += other.answerers;
    for (let g = 0; g < this.guidelines.size; g++) {
      this.correct[g] = (this.correct[g] ?? 0) + (other.correct[g] ?? 0);
      this.answered[g] = (this.answered[g] ?? 0) + (other.answered[g] ?? 0);
      this.people[g] = (this.people[g] ?? 0) + (other.people[g] ?? 0);
    }
  }

  figures(): GuidelineUnderstanding[] {
    return [...this.guidelines.keys()].map((id, g) => ({
      id,
      correct: this.correct[g] ?? 0,
      answered: this.answered[g] ?? 0,
      people: this.people[g] ?? 0,
    }));
  }
}

/** First-try figures of one policy id over these answers. */
function tally(id: string, questions: readonly number[], people: readonly Uint8Array[]): GuidelineUnderstanding {
  let correct = 0;
  let answered = 0;
  let answering = 0;
  for (const answers of people) {
    let any = false;
    for (const q of questions) {
      if (answers[q] === NOT_ANSWERED) continue;
      any = true;
      answered += 1;
      if (answers[q] === RIGHT) correct += 1;
    }
    if (any) answering += 1;
  }
  return { id, correct, answered, people: answering };
}
