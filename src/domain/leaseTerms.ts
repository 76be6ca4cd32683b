/**
 * When an instance may take the lease and when its leader must stop, judged only by durations this
 * instance measures on its own monotonic clock (milliseconds, e.g. `performance.now()`): no two
 * instances' clocks are ever compared. A follower takes over once it has seen the lease row
 * unchanged (the same version, e.g. an ETag) for a whole lease; a leader stops at two thirds of the
 * lease after the start of its last successful renewal, so it has stopped before anyone may take over.
 */
export class LeaseTerms {
  private seen: { version: string; since: number } | undefined;
  private renewedAt: number | undefined;

  constructor(private readonly leaseMs: number) {}

  /** How long a leader leads after the start of its last successful renewal. */
  get leadMs(): number {
    return Math.floor((this.leaseMs * 2) / 3);
  }

  /** Notes the row's version as read now; a new version starts the wait again. */
  observe(version: string, now: number): void {
    if (this.seen?.version !== version) this.seen = { version, since: now };
  }

  /** True once the row has stayed the same for a whole lease: its holder has stopped renewing. */
  mayTake(now: number): boolean {
    return this.seen !== undefined && now - this.seen.since >= this.leaseMs;
  }

  /** A renewal (or taking the lease) that started at `startedAt` succeeded. */
  renewed(startedAt: number): void {
    this.renewedAt = Math.max(startedAt, this.renewedAt ?? startedAt);
  }

  /** True while the last successful renewal is recent enough to lead on. */
  leads(now: number): boolean {
    return this.renewedAt !== undefined && now - this.renewedAt < this.leadMs;
  }

  /** Forgets the renewal and what was seen: this instance follows and watches the row afresh. */
  stepDown(): void {
    this.renewedAt = undefined;
    this.seen = undefined;
  }
}
