import type { Log } from '../log.js';

/** How often an instance tries again the events its store did not confirm in time. */
const LATE_EVENTS_RETRY_MS = 15_000;

/** Every instance tries its own waiting events again (see LateEvents) until stopped. */
export function appendLateEventsInBackground(appendLate: () => Promise<number>, log: Log): () => void {
  const timer = setInterval(() => {
    appendLate().then(
      (waiting) => (waiting > 0 ? log.info('events.waiting', { count: waiting }) : undefined),
      (error: unknown) => log.error('events.late-failed', error),
    );
  }, LATE_EVENTS_RETRY_MS).unref();
  return () => clearInterval(timer);
}
