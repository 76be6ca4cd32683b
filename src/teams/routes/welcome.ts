import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { NO_REPLY, sendCards } from '../replies.js';
import type { Reply, Turn } from '../turn.js';

/** What changed in the course since the person last looked, or else the greeting; once per install. */
async function welcome(turn: Turn, deps: RouteDeps): Promise<Reply> {
  if (!(await deps.welcomes.claim(turn.conversation.id))) return NO_REPLY;
  const state = await deps.course.state(turn.userId);
  const changed = turn.pack.whatChanged(state);
  return sendCards('', ...(changed.length > 0 ? changed : [turn.pack.greeting(state)]));
}

/** Installs: Teams announces the bot in someone's personal chat, and the bot says hello. */
export const WELCOME_ROUTES = [
  {
    name: 'welcome',
    scope: 'personal',
    via: [],
    // Teams announces a personal install as conversationUpdate and as installationUpdate.
    select: (turn) => turn.installed === true,
    handle: welcome,
  },
] as const satisfies readonly RouteDeclaration[];
