import type { Course } from '../course/course.js';
import { answerOf, type Progress } from '../course/progress.js';

/** A question of the course as item analysis reads it. */
export interface Item {
  readonly id: string;
  readonly lessonId: string;
  readonly choiceIds: readonly string[];
  /** Per choice, whether it is right. */
  readonly correct: readonly boolean[];
}

/** NOT_TRIED, or a choice's index plus one. */
export const NOT_TRIED = 0;

/** The course's questions, and how a person's first tries on their lessons' current revisions are read. */
export class ItemTries {
  readonly items: readonly Item[];
  /** Where each question's choice counts start in a flat array of every choice. */
  readonly offsets: readonly number[];
  readonly choices: number;
  private readonly places: readonly { readonly lesson: Course['lessons'][number]; readonly item: Item }[];

  constructor(course: Course) {
    this.places = course.lessons.flatMap((lesson) =>
      lesson.questions.map((q) => {
        const choiceIds = q.choices.map((c) => c.id);
        return { lesson, item: { id: q.id, lessonId: lesson.id, choiceIds, correct: q.choices.map((c) => c.correct) } };
      }),
    );
    this.items = this.places.map((p) => p.item);
    let next = 0;
    this.offsets = this.items.map((item) => ((next += item.choiceIds.length), next - item.choiceIds.length));
    this.choices = next;
  }

  /** Per question, the choice picked on the first try (index plus one) or NOT_TRIED; earlier revisions do not count. */
  of(p: Readonly<Progress>): Uint8Array {
    return Uint8Array.from(this.places, ({ lesson, item }) => {
      const answer = answerOf(p, lesson, item.id);
      const index = answer ? item.choiceIds.indexOf(answer.choiceId) : -1;
      return index < 0 ? NOT_TRIED : index + 1;
    });
  }

  isRight(question: number, tried: number): boolean {
    return tried !== NOT_TRIED && this.items[question]?.correct[tried - 1] === true;
  }
}

/**
 * Running first-try sums per question over a set of people: answerers, right answers and picks
 * per choice, and for discrimination, over those who also answered another question, the sums of
 * the question's score x (0 or 1) and the rest score y (share right of their other questions).
 */
export class ItemSums {
  readonly answerers: Int32Array;
  readonly right: Int32Array;
  readonly picks: Int32Array;
  /** n, Σx, Σy, Σxy and Σy² over the people who answered the question and at least one other. */
  readonly n: Int32Array;
  readonly x: Int32Array;
  readonly y: Float64Array;
  readonly xy: Float64Array;
  readonly yy: Float64Array;

  constructor(readonly tries: ItemTries) {
    const count = tries.items.length;
    this.answerers = new Int32Array(count);
    this.right = new Int32Array(count);
    this.picks = new Int32Array(tries.choices);
    this.n = new Int32Array(count);
    this.x = new Int32Array(count);
    this.y = new Float64Array(count);
    this.xy = new Float64Array(count);
    this.yy = new Float64Array(count);
  }

  /** Adds (sign 1) or takes away (sign -1) one person's first tries, as ItemTries.of reads them. */
  add(tried: Uint8Array, sign: 1 | -1): void {
    let answered = 0;
    let right = 0;
    tried.forEach((t, q) => {
      if (t === NOT_TRIED) return;
      answered += 1;
      if (this.tries.isRight(q, t)) right += 1;
    });
    tried.forEach((t, q) => {
      if (t === NOT_TRIED) return;
      const x = this.tries.isRight(q, t) ? 1 : 0;
      this.answerers[q] = (this.answerers[q] ?? 0) + sign;
      this.right[q] = (this.right[q] ?? 0) + sign * x;
      const choice = (this.tries.offsets[q] ?? 0) + t - 1;
      this.picks[choice] = (this.picks[choice] ?? 0) + sign;
      if (answered < 2) return;
      const y = (right - x) / (answered - 1);
      this.n[q] = (this.n[q] ?? 0) + sign;
      this.x[q] = (this.x[q] ?? 0) + sign * x;
      this.y[q] = (this.y[q] ?? 0) + sign * y;
      this.xy[q] = (this.xy[q] ?? 0) + sign * x * y;
      this.yy[q] = (this.yy[q] ?? 0) + sign * y * y;
    });
  }
}

/** Whether any question was tried. */
export function triedAny(tried: Uint8Array): boolean {
  return tried.some((t) => t !== NOT_TRIED);
}

/**
 * Everyone's first tries, kept up to date one progress record at a time: the caller keeps each
 * person's tries (HR's figures keep them in a shared typed array) and hands them back on the next change.
 */
export class ItemTally {
  readonly sums: ItemSums;

  constructor(tries: ItemTries) {
    this.sums = new ItemSums(tries);
  }

  /** Counts a person's first tries `now` in place of `before` (their last ones, if any). */
  change(before: Uint8Array | undefined, now: Uint8Array): void {
    if (before && before.length === now.length && before.every((t, q) => t === now[q])) return;
    if (before && triedAny(before)) this.sums.add(before, -1);
    if (triedAny(now)) this.sums.add(now, 1);
  }
}
