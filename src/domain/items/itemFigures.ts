import type { ItemSums, ItemTries } from './itemSums.js';

/** Item sums as HR's figures (domain/figures) keep them, so statistics() reads no progress. */
export interface ItemFigures {
  readonly itemTries: ItemTries;
  read(): Promise<{ readonly items: { readonly sums: ItemSums } }>;
}
