/** Platforms the anonymous inventory asks about (the seeds' second step: where are people active?). */
export const PLATFORMS = [
  'linkedin',
  'facebook',
  'x',
  'instagram',
  'tiktok',
  'youtube',
  'blog',
  'other',
  'none',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Inventory totals are published each time this many more people have answered, so no single answer shows. */
export const INVENTORY_STEP = 5;

/** How many people answered the inventory, and how many named each platform. */
export interface InventoryTotals {
  readonly respondents: number;
  readonly counts: Readonly<Record<string, number>>;
}
