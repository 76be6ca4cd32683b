import type { AccessRule } from '../domain/access.js';
import type { ConversationStore, TeamsPlaceStore } from '../domain/conversations/ports.js';
import type { RouteDeps } from './routeDeps.js';

/** What the bot works with: the routes' dependencies, who may do what, and where Teams reaches it. */
export interface BotDeps extends RouteDeps {
  /** Who is HR, and who may choose the contact channel. */
  readonly access: AccessRule;
  readonly settings: TeamsPlaceStore;
  /** Where each person's chat is: remembered as they talk to the bot. */
  readonly conversations: ConversationStore;
}
