/** A channel thread, from its conversation id: Teams names it "<channel id>;messageid=<root activity id>". */
export interface ThreadId {
  readonly channelId: string;
  readonly rootActivityId: string;
}

const SEPARATOR = ';messageid=';

/** The thread a conversation id names, or undefined for a conversation that is not a channel thread. */
export function threadOf(conversationId: string): ThreadId | undefined {
  const at = conversationId.indexOf(SEPARATOR);
  if (at < 0) return undefined;
  return { channelId: conversationId.slice(0, at), rootActivityId: conversationId.slice(at + SEPARATOR.length) };
}
