import type { CourseEvent } from './events.js';
import type { EventLog, LoggedEvents, ProgressStore } from './ports.js';
import type { Progress } from './progress.js';

/** The events stored progress implies (CourseService knows which). */
type Implied = (progress: Readonly<Progress>) => CourseEvent[];

/**
 * Appends the events of answers and acknowledgements that were stored but whose events were
 * not (the process stopped between the two writes): every employee's, reading the whole log and
 * every progress record. Run at start-up, before serving anyone; returns how many it appended.
 */
export async function recoverEvents(events: EventLog, progress: ProgressStore, implied: Implied): Promise<number> {
  const logged = (await events.logged?.()) ?? idsOf(await events.list());
  const missing = (await progress.scan((p) => implied(p).filter((e) => !logged.has(e)))).flat();
  for (const event of missing) await events.append(event);
  return missing.length;
}

/**
 * recoverEvents() for one employee whose progress was written lately: of the events their progress implies, those
 * dated at or after `since` (the window a stop can have left open), each looked up in the log, not all they did.
 */
export async function recoverEventsOf(
  events: EventLog,
  progress: ProgressStore,
  userId: string,
  implied: Implied,
  since: Date,
): Promise<number> {
  const stored = await progress.get(userId);
  const recent = stored ? implied(stored).filter((e) => Date.parse(e.at) >= since.getTime()) : [];
  if (recent.length === 0) return 0;
  const logged = events.loggedAmong ? await events.loggedAmong(recent) : idsOf(await events.list({ userId }));
  const missing = recent.filter((e) => !logged.has(e));
  for (const event of missing) await events.append(event);
  return missing.length;
}

function idsOf(events: readonly CourseEvent[]): LoggedEvents {
  const ids = new Set(events.map((e) => e.id));
  return { has: (event) => ids.has(event.id) };
}
