import type { RefresherAnswer } from '../domain/refreshers/refresher.js';
import { isWaiting, outboxChanges } from '../domain/xapi/outbox.js';
import type { XapiEntry } from '../domain/xapi/outboxEntry.js';
import type { XapiOutbox, XapiOutboxStore } from '../domain/xapi/ports.js';
import type { Table } from './table.js';

/** The xAPI outbox on a Table: one record per person, each change one atomic update. */
export class TableXapiOutboxStore implements XapiOutboxStore {
  constructor(private readonly table: Table<XapiOutbox>) {}

  get(userId: string): Promise<XapiOutbox | undefined> {
    return this.table.get(userId);
  }

  async add(userId: string, entries: readonly XapiEntry[]): Promise<void> {
    await this.table.update(userId, (current) => outboxChanges.add(userId, current, entries));
  }

  async expectRefresher(userId: string, at: string): Promise<void> {
    await this.table.update(userId, (current) => outboxChanges.expectRefresher(userId, current, at));
  }

  async addRefresherAnswers(
    userId: string,
    answers: readonly RefresherAnswer[],
    entry: (answer: RefresherAnswer) => XapiEntry,
  ): Promise<void> {
    await this.table.update(userId, (current) => outboxChanges.addRefresherAnswers(userId, current, answers, entry));
  }

  async remove(userId: string, entryId: string): Promise<void> {
    await this.table.update(userId, (current) => outboxChanges.remove(current, entryId));
  }

  async waiting(): Promise<string[]> {
    const ids = await this.table.scan((o) => (isWaiting(o) ? o.userId : undefined));
    return ids.filter((id) => id !== undefined);
  }
}
