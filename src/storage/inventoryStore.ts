import type { InventoryTotals } from '../domain/inventory/inventory.js';
import type { InventoryStore } from '../domain/inventory/ports.js';
import type { Table } from './table.js';

/** The running-count key for how many people answered. */
const RESPONDENTS = '*respondents';

/**
 * InventoryStore on three Tables that share nothing: who answered (no answers), a running count
 * per platform (no people), and the totals as published.
 */
export class TableInventoryStore implements InventoryStore {
  constructor(
    private readonly respondents: Table<true>,
    private readonly running: Table<{ readonly platform: string; readonly count: number }>,
    private readonly published: Table<InventoryTotals>,
  ) {}

  async answer(userId: string, platforms: readonly string[]): Promise<number | undefined> {
    const first = await this.respondents.update(userId, (current) => (current ? undefined : true));
    if (!first) return undefined;
    await Promise.all([...new Set(platforms)].map((platform) => this.count(platform)));
    return this.count(RESPONDENTS);
  }

  async answered(userId: string): Promise<boolean> {
    return (await this.respondents.get(userId)) === true;
  }

  async counts(): Promise<Readonly<Record<string, number>>> {
    return Object.fromEntries(
      (await this.running.scan((c) => [c.platform, c.count] as const)).filter(([p]) => p !== RESPONDENTS),
    );
  }

  async totals(): Promise<InventoryTotals> {
    return (await this.published.get('totals')) ?? { respondents: 0, counts: {} };
  }

  async publish(totals: InventoryTotals): Promise<void> {
    await this.published.update('totals', (current) =>
      current && current.respondents >= totals.respondents ? undefined : totals,
    );
  }

  private async count(platform: string): Promise<number> {
    const written = await this.running.update(platform, (c) => ({ platform, count: (c?.count ?? 0) + 1 }));
    return written?.count ?? 0;
  }
}
