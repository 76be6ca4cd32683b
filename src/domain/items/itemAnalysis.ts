import type { ItemSums } from './itemSums.js';

/** No figure for a question with fewer first tries than this: too few to say anything of it. */
export const MIN_ITEM_ANSWERERS = 20;
/** A question more people than this share get right measures little. */
export const EASY_FACILITY = 0.9;
/** A question whose discrimination is below this hardly tells those who understood from those who did not. */
export const LOW_DISCRIMINATION = 0.2;
/** A wrong choice picked by a smaller share than this hardly distracts anyone. */
export const UNUSED_SHARE = 0.05;

/** Why the author should look at a question again. */
export type ItemFlag = 'easy' | 'no-discrimination' | `unused-distractor:${string}`;

export interface ChoiceShare {
  readonly id: string;
  /** The share of the question's answerers that picked it, 0 to 1. */
  readonly share: number;
  readonly correct: boolean;
}

/** A question's figures, from first tries on its lesson's current revision. */
export interface ItemFigures {
  /** Share right, 0 to 1. */
  readonly facility: number;
  /** Point-biserial correlation with the rest of the first-try score; null when either has no variance. */
  readonly discrimination: number | null;
  readonly choices: readonly ChoiceShare[];
  readonly flags: readonly ItemFlag[];
}

/** One question's item analysis; figures only from MIN_ITEM_ANSWERERS answerers on. */
export interface ItemStatistics {
  readonly id: string;
  readonly lessonId: string;
  readonly answerers: number;
  readonly figures?: ItemFigures;
}

/** Variances this close to zero (relative to n²) are rounding left by running sums: no variance. */
const FLAT = 1e-9;

/** Every question: those with figures weakest first (lowest facility, then discrimination), then the rest. */
export function itemStatistics(sums: ItemSums): ItemStatistics[] {
  const all = sums.tries.items.map((item, q): ItemStatistics => {
    const answerers = sums.answerers[q] ?? 0;
    if (answerers < MIN_ITEM_ANSWERERS) return { id: item.id, lessonId: item.lessonId, answerers };
    const facility = (sums.right[q] ?? 0) / answerers;
    const discrimination = correlation(sums, q);
    const offset = sums.tries.offsets[q] ?? 0;
    const choices = item.choiceIds.map((id, c) => ({
      id,
      share: (sums.picks[offset + c] ?? 0) / answerers,
      correct: item.correct[c] === true,
    }));
    const flags: ItemFlag[] = [];
    if (facility > EASY_FACILITY) flags.push('easy');
    if (discrimination !== null && discrimination < LOW_DISCRIMINATION) flags.push('no-discrimination');
    for (const c of choices) if (!c.correct && c.share < UNUSED_SHARE) flags.push(`unused-distractor:${c.id}`);
    return { id: item.id, lessonId: item.lessonId, answerers, figures: { facility, discrimination, choices, flags } };
  });
  const order = new Map(all.map((s, i) => [s, i]));
  return [...all].sort((a, b) => weaker(a, b) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

/** Pearson's r between the question's score and the rest score; null when either side is constant. */
function correlation(sums: ItemSums, q: number): number | null {
  const n = sums.n[q] ?? 0;
  const x = sums.x[q] ?? 0;
  const y = sums.y[q] ?? 0;
  const varianceX = n * x - x * x;
  const varianceY = n * (sums.yy[q] ?? 0) - y * y;
  if (n < 2 || varianceX <= 0 || varianceY <= FLAT * n * n) return null;
  return (n * (sums.xy[q] ?? 0) - x * y) / Math.sqrt(varianceX * varianceY);
}

/** Negative when a is the weaker: figures before none, lower facility, then lower discrimination (none last). */
function weaker(a: ItemStatistics, b: ItemStatistics): number {
  if (!a.figures || !b.figures) return Number(!a.figures) - Number(!b.figures);
  const facility = a.figures.facility - b.figures.facility;
  if (facility !== 0) return facility;
  const [da, db] = [a.figures.discrimination, b.figures.discrimination];
  if (da === null || db === null) return Number(da === null) - Number(db === null);
  return da - db;
}
