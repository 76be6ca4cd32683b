import { inParallel } from '../domain/paging/inParallel.js';
import type { ChangeLog } from '../domain/changes/changeLog.js';
import type { Log } from '../log.js';

/**
 * How far back start-up recovery looks on a shared store. An event goes missing only when a process
 * stops between storing progress and appending its event: a few seconds before it died, or, while
 * the store refused the append, as long as the store was out (LateEvents tries every 15 s while the
 * process lives). The instance that replaces a dead one starts within minutes, and any instance's
 * start recovers every employee's events: a day leaves hours of room for a replacement that was slow
 * to come and for clocks that disagree, while the change log is pruned only after a day.
 */
export const RECOVERY_WINDOW_MS = 24 * 60 * 60_000;
/** Employees whose events are recovered at once. */
const IN_FLIGHT = 8;

/**
 * Recovers in the background, while turns are served, the events of the employees whose progress
 * was written within the window (as the change log says), person by person: their progress and their
 * own events are read, never the whole log. Logs `events.recovered` with the count; returns a stop.
 */
export function recoverRecentEventsInBackground(
  recoverEventsOf: (userId: string) => Promise<number>,
  changes: ChangeLog,
  log: Log,
): () => void {
  let stopped = false;
  const recover = async () => {
    const userIds = new Set<string>();
    for await (const page of changes.since(changes.now() - RECOVERY_WINDOW_MS))
      for (const append of page)
        for (const change of append.changes) if (change.table === 'progress') userIds.add(change.key);
    let recovered = 0;
    await inParallel([...userIds], IN_FLIGHT, async (userId) => {
      if (stopped) return;
      const count = await recoverEventsOf(userId);
      recovered += count;
    });
    log.info('events.recovered', { count: recovered, employees: userIds.size });
  };
  recover().catch((error: unknown) => log.error('events.recovery-failed', error));
  return () => {
    stopped = true;
  };
}
