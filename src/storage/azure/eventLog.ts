import { odata, type TableClient } from '@azure/data-tables';
import type { CourseEvent } from '../../domain/course/events.js';
import type { EventLog, LoggedEvents } from '../../domain/course/ports.js';
import { statusOf } from './azureTable.js';
import { beforeDeadline, deadlineFromNow } from './deadline.js';
import { escapeKey } from './keys.js';
import { toProperties, fromProperties } from './records.js';

/**
 * The event log on an Azure table: a partition per employee, a row per event id (so an id
 * appended twice is stored once, also when an append whose answer was lost is sent again), and an
 * append order `seq` that sorts across instances by time. Appends and lists end at their deadline;
 * `pages`, read by background jobs over the whole log, relies on the SDK's retries alone.
 */
export class AzureEventLog implements EventLog {
  private last = 0;
  private counter = 0;

  constructor(readonly client: TableClient) {}

  async append(event: CourseEvent): Promise<void> {
    const entity = eventEntity(event, this.seq());
    try {
      await beforeDeadline('events.append', deadlineFromNow(), (options) => this.client.createEntity(entity, options));
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
  }

  async list(filter: { userId?: string } = {}): Promise<CourseEvent[]> {
    const queryOptions =
      filter.userId === undefined
        ? {}
        : { queryOptions: { filter: odata`PartitionKey eq ${escapeKey(filter.userId)}` } };
    const rows = await beforeDeadline('events.list', deadlineFromNow(), async (options) => {
      const found: { seq: string; event: CourseEvent }[] = [];
      for await (const entity of this.client.listEntities<Record<string, unknown>>({ ...queryOptions, ...options })) {
        const event = fromProperties<CourseEvent>(entity);
        if (event !== undefined) found.push({ seq: String(entity.seq), event });
      }
      return found;
    });
    return rows.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0)).map((r) => r.event);
  }

  /** One point read per event, its row only: an employee's few recent events, not everything they did. */
  async loggedAmong(events: readonly CourseEvent[]): Promise<LoggedEvents> {
    const found = await Promise.all(
      events.map(async (event) => {
        try {
          await beforeDeadline('events.get', deadlineFromNow(), (options) =>
            this.client.getEntity(escapeKey(event.userId), escapeKey(event.id), {
              ...options,
              queryOptions: { select: ['RowKey'] },
            }),
          );
          return event.id;
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
    );
    const ids = new Set(found);
    return { has: (event) => ids.has(event.id) };
  }

  async *pages(filter: { type?: CourseEvent['type'] }, size: number): AsyncIterable<readonly CourseEvent[]> {
    const queryOptions = filter.type === undefined ? {} : { queryOptions: { filter: odata`type eq ${filter.type}` } };
    for await (const entities of this.client
      .listEntities<Record<string, unknown>>(queryOptions)
      .byPage({ maxPageSize: size })) {
      const events = entities
        .map((e) => fromProperties<CourseEvent>(e))
        .filter((e): e is CourseEvent => e !== undefined);
      if (events.length > 0) yield events;
    }
  }

  /** Milliseconds since 1970, then a counter: later appends in this process always sort later. */
  private seq(): string {
    const now = Date.now();
    if (now > this.last) {
      this.last = now;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    return `${this.last.toString(36).padStart(10, '0')}.${this.counter.toString(36).padStart(6, '0')}`;
  }
}

/** The entity one event is stored as, with its append order and its type (to filter on). */
export function eventEntity(
  event: CourseEvent,
  seq: string,
): Record<string, string | number> & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: escapeKey(event.userId),
    rowKey: escapeKey(event.id),
    seq,
    type: event.type,
    ...toProperties('events', event),
  };
}
