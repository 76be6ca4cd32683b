import type { FaqStore, TicketStore } from '../domain/contact/ports.js';
import type { ThreadRef } from '../domain/outbound/ports.js';
import type { FaqEntry, Ticket } from '../domain/contact/tickets.js';
import type { Table } from './table.js';

/** TicketStore on Tables: the tickets, a counter for their numbers, and a thread index. */
export class TableTicketStore implements TicketStore {
  constructor(
    private readonly tickets: Table<Ticket>,
    private readonly counters: Table<number>,
    private readonly threads: Table<number>,
    private readonly keys: Table<number>,
  ) {}

  async remember(key: string, value: number): Promise<number> {
    return (
      (await this.keys.update(key, (current) => (current === undefined ? value : undefined))) ??
      ((await this.keys.get(key)) as number)
    );
  }

  remembered(key: string): Promise<number | undefined> {
    return this.keys.get(key);
  }

  async nextNumber(): Promise<number> {
    return (await this.counters.update('tickets', (n) => (n ?? 0) + 1)) as number;
  }

  async put(ticket: Ticket): Promise<void> {
    await this.tickets.update(String(ticket.number), () => ticket);
  }

  get(number: number): Promise<Ticket | undefined> {
    return this.tickets.get(String(number));
  }

  async byThread(conversationId: string): Promise<Ticket | undefined> {
    const number = await this.threads.get(conversationId);
    return number === undefined ? undefined : this.get(number);
  }

  async setThread(number: number, thread: ThreadRef): Promise<Ticket | undefined> {
    await this.threads.update(thread.conversationId, () => number);
    return this.update(number, (t) => ({ ...t, thread }));
  }

  async update(number: number, change: (ticket: Ticket) => Ticket | undefined): Promise<Ticket | undefined> {
    return (await this.tickets.update(String(number), (t) => (t ? change(t) : undefined))) ?? this.get(number);
  }

  async unresolved(): Promise<Ticket[]> {
    return (await this.tickets.list()).filter((t) => t.status !== 'resolved').sort((a, b) => a.number - b.number);
  }
}

export class TableFaqStore implements FaqStore {
  constructor(private readonly table: Table<FaqEntry>) {}

  async publish(entry: FaqEntry): Promise<FaqEntry> {
    return (
      (await this.table.update(entry.id, (current) => (current ? undefined : entry))) ??
      ((await this.table.get(entry.id)) as FaqEntry)
    );
  }

  async list(): Promise<FaqEntry[]> {
    return (await this.table.list()).sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  }
}
