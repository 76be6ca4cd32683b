import type { ProgressStore } from '../course/ports.js';
import { INVENTORY_STEP, PLATFORMS, type InventoryTotals, type Platform } from './inventory.js';
import type { InventoryStore } from './ports.js';

export type InventoryOutcome =
  /**
   * `not-finished`: only someone who finished the course answers; `already`: one answer each; `invalid`: no acceptable
   * choice.
   */
  { readonly kind: 'recorded' | 'not-finished' | 'already' | 'invalid' };

/**
 * The anonymous platform inventory: asked once someone finished the course, answered once, and
 * shown to HR only as totals published each time INVENTORY_STEP more people have answered, so
 * that comparing two readings never shows one person's answer.
 */
export class InventoryService {
  constructor(
    private readonly store: InventoryStore,
    private readonly progress: Pick<ProgressStore, 'get'>,
  ) {}

  /** Whether to offer this person the question (they have not answered it). */
  async offered(userId: string): Promise<boolean> {
    return !(await this.store.answered(userId));
  }

  /** `choice`: the card's comma-separated platforms; "none" goes alone, and every platform is one we ask about. */
  async answer(userId: string, choice: unknown): Promise<InventoryOutcome> {
    // Any policy version: someone who finished before the policy changed was offered the question then.
    if (((await this.progress.get(userId))?.acknowledgements.length ?? 0) === 0) return { kind: 'not-finished' };
    if (await this.store.answered(userId)) return { kind: 'already' };
    const platforms = platformsOf(choice);
    if (!platforms) return { kind: 'invalid' };
    const respondents = await this.store.answer(userId, platforms);
    if (respondents === undefined) return { kind: 'already' };
    if (respondents % INVENTORY_STEP === 0)
      await this.store.publish({ respondents, counts: await this.store.counts() });
    return { kind: 'recorded' };
  }

  /** The totals as last published. */
  totals(): Promise<InventoryTotals> {
    return this.store.totals();
  }
}

function platformsOf(choice: unknown): Platform[] | undefined {
  const chosen = typeof choice === 'string' ? choice.split(',') : [];
  const platforms = [...new Set(chosen)].filter((p): p is Platform => (PLATFORMS as readonly string[]).includes(p));
  if (
    platforms.length === 0 ||
    platforms.length !== new Set(chosen).size ||
    (platforms.includes('none') && platforms.length > 1)
  )
    return undefined;
  return platforms;
}
