import type { ChannelPlace } from '../domain/contact/tickets.js';

/**
 * A channel conversation id as the domain sees it: Teams names a channel thread after its
 * first message, "<channel id>;messageid=<activity id>". The one place that reads that format.
 */
export function threadOf(conversationId: string): ChannelPlace {
  const [channelId = '', rootActivityId] = conversationId.split(';messageid=');
  return { channelId, ...(rootActivityId !== undefined ? { rootActivityId } : {}) };
}
