import type { ConversationRef, ConversationStore } from '../domain/conversations/ports.js';
import type { Table } from './table.js';

/** ConversationStore on top of any Table; an unchanged reference (its last turn no later) is not written again. */
export class TableConversationStore implements ConversationStore {
  constructor(private readonly table: Table<ConversationRef>) {}

  get(userId: string): Promise<ConversationRef | undefined> {
    return this.table.get(userId);
  }

  async put(userId: string, ref: ConversationRef): Promise<void> {
    await this.table.update(userId, (current) => {
      const lastTurn = later(current?.lastTurn, ref.lastTurn);
      if (current && sameRef(current, ref) && lastTurn === current.lastTurn) return undefined;
      const { lastTurn: _given, ...rest } = ref;
      return lastTurn === undefined ? rest : { ...rest, lastTurn };
    });
  }

  chats(size: number): AsyncIterable<readonly (readonly [string, ConversationRef])[]> {
    return this.table.scanPages((ref, userId) => [userId, { ...ref }] as const, size);
  }
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined || (b !== undefined && b > a) ? b : a;
}

function sameRef(a: ConversationRef, b: ConversationRef): boolean {
  return (
    a.serviceUrl === b.serviceUrl &&
    a.channelId === b.channelId &&
    a.conversationId === b.conversationId &&
    a.botId === b.botId &&
    a.tenantId === b.tenantId
  );
}
