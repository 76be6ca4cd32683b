/**
 * Items given while one write is in flight wait for the next, which takes them all at once: writers
 * that come together share one request. Items given with a wait, while nothing is in flight, wait up to
 * that long for others to go with them (an item given without one writes them at once). Each given item
 * settles as the write that took it does.
 */
export class CoalescedWrites<T> {
  private waiting: { items: T[]; written: Promise<void>; follow: (write: Promise<void>) => void } | undefined;
  private writing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly write: (items: readonly T[]) => Promise<void>) {}

  add(items: readonly T[], waitMs = 0): Promise<void> {
    if (!this.waiting) {
      let follow: (write: Promise<void>) => void = () => undefined;
      const written = new Promise<void>((resolve) => (follow = resolve));
      this.waiting = { items: [], written, follow };
    }
    this.waiting.items.push(...items);
    const { written } = this.waiting;
    if (waitMs > 0 && !this.writing) this.timer ??= setTimeout(() => this.next(), waitMs);
    else this.next();
    return written;
  }

  private next(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    if (this.writing || !batch) return;
    this.waiting = undefined;
    this.writing = true;
    const write = this.write(batch.items);
    batch.follow(write);
    void write
      .catch(() => undefined)
      .finally(() => {
        this.writing = false;
        this.next();
      });
  }
}
