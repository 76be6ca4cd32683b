import type { CueWords } from './cueWords.js';

/** What a guesser may read of a question: its texts, filled with the language's default names. */
export interface CueQuestion {
  /** The scenario, or '' when the question has none. */
  readonly scenario: string;
  readonly prompt: string;
  readonly choices: readonly string[];
  /** The lesson's body and takeaway: only the lesson-echo guesser (and the voter) reads them. */
  readonly lesson: string;
  /** The contact's name as filled in, a consulting cue of its own. */
  readonly contactName: string;
}

/** A test-wise reader following one surface cue: the choices (indexes) it would pick between. */
export interface Guesser {
  readonly name: string;
  readonly pick: (question: CueQuestion, words: CueWords) => readonly number[];
}

/** What a guesser earns on a question: the chance that picking at random among its picks is right. */
export function credit(picked: readonly number[], correct: number): number {
  return picked.includes(correct) ? 1 / picked.length : 0;
}

/** The lower-case words of a text; apostrophes inside a word stay ("don't"), quotation marks go. */
export function wordsOf(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/’/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? []
  );
}

/** Whether a cue-list entry (see CueWords) occurs in the words. */
export function hasCue(words: readonly string[], entry: string): boolean {
  const parts = wordsOrMarks(entry);
  const at = (w: number, p: number): boolean => {
    const part = parts[p];
    if (part === undefined) return true;
    if (part === '…') {
      for (let skip = 1; skip <= 4 && w + skip <= words.length; skip += 1) if (at(w + skip, p + 1)) return true;
      return false;
    }
    const word = words[w];
    if (word === undefined) return false;
    const fits = part.endsWith('*') ? word.startsWith(part.slice(0, -1)) : word === part;
    return fits && at(w + 1, p + 1);
  };
  return words.some((_, w) => at(w, 0));
}

function wordsOrMarks(entry: string): string[] {
  return entry
    .toLowerCase()
    .split(/\s+/)
    .filter((p) => p !== '');
}

function countCues(text: string, entries: readonly string[]): number {
  const words = wordsOf(text);
  return entries.filter((e) => hasCue(words, e)).length;
}

const all = (q: CueQuestion): number[] => q.choices.map((_, i) => i);

/** The choices with the highest score; every choice when all score the same. */
function best(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  return scores.flatMap((s, i) => (Math.abs(s - top) < 1e-9 ? [i] : []));
}

/** The choices that show a cue, when fewer do than do not (a minority stands out); else every choice. */
function minority(q: CueQuestion, shows: (text: string) => boolean): number[] {
  const picked = all(q).filter((i) => shows(q.choices[i] ?? ''));
  return picked.length > 0 && picked.length < q.choices.length - picked.length ? picked : all(q);
}

/** The choice at a rank by length (0 = longest; past the end = shortest), ties included. */
function byLength(rank: number): (q: CueQuestion) => number[] {
  return (q) => {
    const lengths = q.choices.map((c) => c.length);
    const sorted = [...lengths].sort((a, b) => b - a);
    const length = sorted[Math.min(rank, sorted.length - 1)];
    return all(q).filter((i) => lengths[i] === length);
  };
}

const absoluteWords = (q: CueQuestion, w: CueWords): number[] => q.choices.map((c) => countCues(c, w.absolute));

const cautious: Guesser['pick'] = (q, w) => minority(q, (c) => countCues(c, w.cautious) > 0);

const consulting: Guesser['pick'] = (q, w) => {
  const entries = q.contactName === '' ? w.consulting : [...w.consulting, q.contactName];
  return minority(q, (c) => countCues(c, entries) > 0);
};

/** The one choice whose first word differs when all the others (at least two) open alike. */
const oddFirstWord = (q: CueQuestion): number[] => {
  const firsts = q.choices.map((c) => wordsOf(c)[0] ?? '');
  const odd = all(q).filter((i) => {
    const others = firsts.filter((_, j) => j !== i);
    return others.length >= 2 && others.every((f) => f === others[0]) && firsts[i] !== others[0];
  });
  return odd.length === 1 ? odd : all(q);
};

/** The one "no" among "yes"es, or the one "yes" among "no"s. */
const oddPolarity: Guesser['pick'] = (q, w) => {
  const no = q.choices.map((c) => {
    const words = wordsOf(c);
    return !w.affirmation.includes(words[0] ?? '') && w.negation.some((e) => hasCue(words, e));
  });
  const noes = no.filter(Boolean).length;
  if (noes === 1) return all(q).filter((i) => no[i]);
  if (noes === q.choices.length - 1) return all(q).filter((i) => !no[i]);
  return all(q);
};

/** How many words each choice shares with the others (summed Jaccard overlap). */
const overlap = (q: CueQuestion): number[] => {
  const sets = q.choices.map((c) => new Set(wordsOf(c)));
  const jaccard = (a: Set<string>, b: Set<string>) => {
    const shared = [...a].filter((x) => b.has(x)).length;
    const union = new Set([...a, ...b]).size;
    return union === 0 ? 0 : shared / union;
  };
  return sets.map((a, i) => sets.reduce((sum, b, j) => (i === j ? sum : sum + jaccard(a, b)), 0));
};

/** Words longer than three letters: short ones are mostly "the", "and", "het", "een". */
function contentWords(text: string): Set<string> {
  return new Set(wordsOf(text).filter((w) => w.length > 3));
}

/** How many content words each choice shares with a reference text. */
function echoes(reference: (q: CueQuestion) => string): (q: CueQuestion) => number[] {
  return (q) => {
    const known = contentWords(reference(q));
    return q.choices.map((c) => [...contentWords(c)].filter((w) => known.has(w)).length);
  };
}

const questionEcho = echoes((q) => `${q.scenario} ${q.prompt}`);
const lessonEcho = echoes((q) => q.lesson);

/** One point per cue a choice shows. */
const cuePoints = (q: CueQuestion, w: CueWords): number[] => {
  const points = q.choices.map(() => 0);
  const score = (picked: readonly number[]) => {
    if (picked.length < q.choices.length) for (const i of picked) points[i] = (points[i] ?? 0) + 1;
  };
  q.choices.forEach((c, i) => {
    if (countCues(c, w.absolute) === 0) points[i] = (points[i] ?? 0) + 1;
  });
  score(cautious(q, w));
  score(consulting(q, w));
  const odd = [oddFirstWord(q), oddPolarity(q, w), best(overlap(q).map((o) => -o))];
  score([...new Set(odd.flatMap((picked) => singledOut(picked, q)))]);
  score(best(questionEcho(q)));
  score(best(lessonEcho(q)));
  score([...new Set([...byLength(0)(q), ...byLength(1)(q)])]);
  return points;
};

/** A guesser's picks when they single something out; none when it picked every choice. */
function singledOut(picked: readonly number[], q: CueQuestion): readonly number[] {
  return picked.length < q.choices.length ? picked : [];
}

/** Every choice a guesser does not single out: the reader who has noticed that a cue points away. */
function majority(pick: Guesser['pick']): Guesser['pick'] {
  return (q, w) => {
    const picked = pick(q, w);
    return picked.length < q.choices.length ? all(q).filter((i) => !picked.includes(i)) : all(q);
  };
}

/** A cue each choice shows to some degree, read both ways: the most of it, and the least. */
function both(most: string, least: string, score: (q: CueQuestion, w: CueWords) => number[]): Guesser[] {
  return [
    { name: most, pick: (q, w) => best(score(q, w)) },
    { name: least, pick: (q, w) => best(score(q, w).map((s) => -s)) },
  ];
}

/** A cue that singles a choice out, read both ways: that choice, and every other. */
function either(name: string, pick: Guesser['pick']): Guesser[] {
  return [
    { name, pick },
    { name: `not ${name}`, pick: majority(pick) },
  ];
}

/**
 * Every guesser the content is judged against, each on its own: one per length rank, and each cue
 * read both ways, since a cue that keeps pointing away from the answer gives it away as well.
 */
export const GUESSERS: readonly Guesser[] = [
  { name: 'longest', pick: byLength(0) },
  { name: 'second-longest', pick: byLength(1) },
  { name: 'third-longest', pick: byLength(2) },
  { name: 'shortest', pick: byLength(Number.MAX_SAFE_INTEGER) },
  ...both('most absolute words', 'fewest absolute words', absoluteWords),
  ...either('the cautious one', cautious),
  ...either('the one that asks someone', consulting),
  ...either('odd first word', oddFirstWord),
  ...either('odd yes or no', oddPolarity),
  ...both('most like the others', 'least like the others', overlap),
  ...both('echoes the question most', 'echoes the question least', questionEcho),
  ...both('echoes the lesson most', 'echoes the lesson least', lessonEcho),
  ...both('test-wise voter', 'fewest cues', cuePoints),
];
