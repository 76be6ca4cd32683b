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

/** recoverEvents() for one employee (one whose progress was written lately): their progress and their own events. */
export async function recoverEventsOf(
  events: EventLog,
  progress: ProgressStore,
  userId: string,
  implied: Implied,
): Promise<number> {
  const [stored, theirs] = await Promise.all([progress.get(userId), events.list({ userId })]);
  const logged = idsOf(theirs);
  const missing = stored ? implied(stored).filter((e) => !logged.has(e)) : [];
  for (const event of missing) await events.append(event);
  return missing.length;
}

function idsOf(events: readonly CourseEvent[]): LoggedEvents {
  const ids = new Set(events.map((e) => e.id));
  return { has: (event) => ids.has(event.id) };
}
