import type { CourseEvent } from '../domain/course/events.js';
import type { EventLog } from '../domain/course/ports.js';

/** `events`, with `before` run (and awaited) ahead of each append: an outbox written before the event it belongs to. */
export function beforeAppend(events: EventLog, before: (event: CourseEvent) => Promise<void>): EventLog {
  const logged = events.logged?.bind(events);
  const loggedAmong = events.loggedAmong?.bind(events);
  return {
    async append(event) {
      await before(event);
      await events.append(event);
    },
    list: (filter) => events.list(filter),
    pages: (filter, size) => events.pages(filter, size),
    ...(logged ? { logged } : {}),
    ...(loggedAmong ? { loggedAmong } : {}),
  };
}
