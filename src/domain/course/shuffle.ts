/**
 * The order an employee sees a question's choices in: shuffled per employee, question and
 * attempt, and the same every time it is asked again (on resume, in either language, since
 * languages share choice ids). Attempt 0 is the first try; review attempts count from 1, and
 * each shows an order different from the attempt before.
 */
export function choiceOrder(choiceIds: readonly string[], userId: string, questionId: string, attempt = 0): string[] {
  let order = shuffled(choiceIds, `${userId}\n${questionId}\n0`);
  for (let n = 1; n <= attempt; n++) {
    const next = shuffled(choiceIds, `${userId}\n${questionId}\n${n}`);
    order = sameOrder(next, order) ? [...next.slice(1), ...next.slice(0, 1)] : next;
  }
  return order;
}

/** A Fisher–Yates shuffle driven by a PRNG seeded from `seed`: the same seed, the same order. */
export function shuffled<T>(items: readonly T[], seed: string): T[] {
  const random = seededRandom(fnv1a(seed));
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length > 1 && a.every((id, i) => id === b[i]);
}

/** 32-bit FNV-1a hash of the string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
