import type { TurnContext } from 'botbuilder';
import type { ConversationStore, TeamsPlaceStore } from '../domain/conversations/ports.js';
import type { Clock } from '../domain/time/clock.js';
import type { RosterMatching } from './rosterMatching.js';
import { userIdOf } from './activityTurn.js';
import type { Welcomes } from './welcomes.js';

/**
 * Keeps each personal conversation so the bot can message the employee first (with the day the person last did
 * something in it: at most one write a day), the place Teams reaches the bot from, and matches the employee to the
 * roster.
 */
export class ConversationMemory {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly places: TeamsPlaceStore,
    private readonly welcomes: Welcomes,
    private readonly roster: RosterMatching,
    private readonly clock: Clock,
  ) {}

  /** `active`: the person did something (not just an install announcement), which ends a welcome. */
  async remember(context: TurnContext, how: 'active' | 'announced'): Promise<void> {
    const { activity } = context;
    if (how === 'active') await this.welcomes.end(activity.conversation.id);
    const tenantId =
      activity.conversation.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const botId = activity.recipient?.id ?? '';
    await this.conversations.put(userIdOf(context), {
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId,
      conversationId: activity.conversation.id,
      botId,
      ...(tenantId ? { tenantId } : {}),
      ...(how === 'active' ? { lastTurn: this.clock.now().toISOString().slice(0, 10) } : {}),
    });
    // Only allowed tenants get this far (edge.ts; every tenant in local mode without a list).
    if (tenantId) await this.places.setTeamsPlace({ serviceUrl: activity.serviceUrl, tenantId, botId });
    await this.roster.match(context);
  }
}
