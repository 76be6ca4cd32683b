import type { Delivery } from '../domain/campaigns/delivery.js';
import type { Log } from '../log.js';

/** Open deliveries a new leader takes on at once (two seconds' sending): on Azure Tables, one transaction. */
export const ADOPT_AT_ONCE = 100;

/**
 * A new leader taking on the open deliveries it found, one part ahead of sending: before the first of
 * each part of ADOPT_AT_ONCE goes out, that part is taken on (an older leader may no longer touch it)
 * and the next part starts in the background. The first message goes after one part, not after the
 * whole queue; what is not taken on yet is stamped by the claim that sends it.
 */
export class Adoption {
  private readonly parts = new Map<number, Promise<void>>();

  constructor(
    private readonly deliveries: readonly Delivery[],
    private readonly outcomes: { adopt(part: readonly Delivery[]): Promise<void> },
    private readonly log: Log,
  ) {}

  /** Resolves once the delivery at `index` is taken on, and starts on the part after it. */
  async before(index: number): Promise<void> {
    const n = Math.floor(index / ADOPT_AT_ONCE);
    const part = this.part(n);
    void this.part(n + 1);
    this.parts.delete(n - 1);
    await part;
  }

  /** Resolves once no part is being taken on. */
  async settled(): Promise<void> {
    await Promise.all(this.parts.values());
  }

  private part(n: number): Promise<void> {
    let taking = this.parts.get(n);
    if (!taking) {
      const part = this.deliveries.slice(n * ADOPT_AT_ONCE, (n + 1) * ADOPT_AT_ONCE);
      // Best effort: a claim never sends what another leader has in flight, taken on or not.
      taking =
        part.length === 0
          ? Promise.resolve()
          : this.outcomes.adopt(part).catch((error: unknown) => this.log.error('delivery.adopt-failed', error));
      this.parts.set(n, taking);
    }
    return taking;
  }
}
