import type { InventoryTotals } from './inventory.js';

/**
 * The anonymous "where are you active?" answers: who answered, and running counts per
 * platform, kept apart so that no record says who named what.
 */
export interface InventoryStore {
  /**
   * Records the answer unless this person answered before: one more respondent, and one more
   * for each platform named. Returns how many people have answered, this one included, or
   * undefined when this person had answered already.
   */
  answer(userId: string, platforms: readonly string[]): Promise<number | undefined>;
  answered(userId: string): Promise<boolean>;
  /** The running counts per platform (never shown as they are). */
  counts(): Promise<Readonly<Record<string, number>>>;
  /** The totals as last published. */
  totals(): Promise<InventoryTotals>;
  /** Publishes `totals` unless totals of at least as many respondents are published. */
  publish(totals: InventoryTotals): Promise<void>;
}
