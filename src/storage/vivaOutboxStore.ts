import type { Language } from '../domain/course/course.js';
import type { CourseEvent } from '../domain/course/events.js';
import { isWaiting, vivaChanges, type VivaAssignment, type VivaRecord } from '../domain/viva/activity.js';
import type { VivaOutboxStore } from '../domain/viva/ports.js';
import type { Table } from './table.js';

/** The Viva Learning outbox on a Table: one record per person, each change one atomic update. */
export class TableVivaOutboxStore implements VivaOutboxStore {
  constructor(private readonly table: Table<VivaRecord>) {}

  get(userId: string): Promise<VivaRecord | undefined> {
    return this.table.get(userId);
  }

  async assign(userId: string, assignment: VivaAssignment, questions: number): Promise<void> {
    await this.table.update(userId, (current) => vivaChanges.assign(userId, current, assignment, questions));
  }

  async event(event: CourseEvent, language: Language, questions: number): Promise<void> {
    await this.table.update(event.userId, (current) => vivaChanges.event(current, event, language, questions));
  }

  async delivered(userId: string, entryId: string, externalId: string, graphId?: string) {
    let record: VivaRecord | undefined;
    const written = await this.table.update(userId, (current) => {
      record = current;
      return vivaChanges.delivered(current, entryId, externalId, graphId);
    });
    return written ?? record;
  }

  async waiting(): Promise<string[]> {
    const ids = await this.table.scan((r) => (isWaiting(r) ? r.userId : undefined));
    return ids.filter((id) => id !== undefined);
  }
}
