import { StoreUnavailable } from '../storeUnavailable.js';
import type { CourseEvent } from './events.js';
import type { EventLog } from './ports.js';

/**
 * Appends the events of what the progress store holds already. One the store does not confirm in
 * time waits, with those after it, for `retry`: the person is told what is stored, and the event
 * follows. Those still waiting when the process stops are found again by recoverEvents at start-up.
 */
export class LateEvents {
  private waiting: CourseEvent[] = [];

  constructor(private readonly events: EventLog) {}

  async append(events: readonly CourseEvent[]): Promise<void> {
    for (const [at, event] of events.entries()) {
      try {
        await this.events.append(event);
      } catch (error) {
        if (!(error instanceof StoreUnavailable)) throw error;
        this.waiting.push(...events.slice(at));
        return;
      }
    }
  }

  /** Appends the waiting events again, in order; returns how many still wait. */
  async retry(): Promise<number> {
    const waiting = this.waiting;
    this.waiting = [];
    await this.append(waiting);
    return this.waiting.length;
  }
}
