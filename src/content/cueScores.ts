import type { CueWords } from './cueWords.js';
import { credit, GUESSERS, type CueQuestion } from './guessers.js';

/** How far above chance a guesser may score, as a share of the number of questions. */
export const CUE_MARGIN = 0.1;

/** One question as the guessers see it, with where it is for messages and its right choice. */
export interface CueItem {
  /** File and question id: `01-why-everyone.json always-an-employee`. */
  readonly label: string;
  readonly question: CueQuestion;
  /** Index of the right choice. */
  readonly correct: number;
}

/** A question on which a guesser's cue pointed at the right choice, among `among` picks. */
export interface CueHit {
  readonly label: string;
  readonly among: number;
}

export interface GuesserScore {
  readonly name: string;
  /** Total credit: the number of questions it gets right on average, breaking ties at random. */
  readonly score: number;
  readonly hits: readonly CueHit[];
}

/** How every guesser does on one language's questions, against chance and the limit. */
export interface CueScores {
  readonly questions: number;
  /** What picking at random scores: the sum of 1 / number of choices. */
  readonly chance: number;
  /** The most any guesser may score: chance plus CUE_MARGIN of the questions. */
  readonly limit: number;
  readonly guessers: readonly GuesserScore[];
}

/** Runs every guesser on the questions. */
export function scoreCues(items: readonly CueItem[], words: CueWords): CueScores {
  const chance = items.reduce((sum, item) => sum + 1 / item.question.choices.length, 0);
  const guessers = GUESSERS.map(({ name, pick }) => {
    let score = 0;
    const hits: CueHit[] = [];
    for (const { label, question, correct } of items) {
      const picked = pick(question, words);
      score += credit(picked, correct);
      const singled = picked.includes(correct) && picked.length < question.choices.length;
      if (singled) hits.push({ label, among: picked.length });
    }
    return { name, score, hits };
  });
  return { questions: items.length, chance, limit: chance + CUE_MARGIN * items.length, guessers };
}

/** A hit as authors read it: the question, and "(1 of 2)" when the cue left a tie. */
export function describeHit(hit: CueHit): string {
  return hit.among === 1 ? hit.label : `${hit.label} (1 of ${hit.among})`;
}

/** A figure with one decimal, or two when one would not tell it from the limit it is compared with. */
export function figure(value: number, limit?: number): string {
  const short = value.toFixed(1);
  return limit !== undefined && short === limit.toFixed(1) && Math.abs(value - limit) > 1e-9 ? value.toFixed(2) : short;
}
