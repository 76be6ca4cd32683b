/**
 * Runs `write` so that every caller of `commit()` is answered by a write that started after
 * its call, while calls that arrive during a write share the next one.
 */
export class GroupCommit {
  private inFlight: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  commit(): Promise<void> {
    if (!this.queued) {
      const next = this.inFlight.then(() => {
        this.queued = undefined;
        return this.write();
      });
      this.queued = next;
      this.inFlight = next.catch(() => {});
    }
    return this.queued;
  }

  /** Resolves when nothing is being written. */
  async idle(): Promise<void> {
    while (this.queued) await this.inFlight;
    await this.inFlight;
  }
}
