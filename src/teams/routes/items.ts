import { itemsCard } from '../../cards/itemCards.js';
import { sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import type { Reply, Turn } from '../turn.js';

/** The question statistics card, typed or from the understanding card's button, below. */
async function statistics(turn: Turn, deps: RouteDeps): Promise<Reply> {
  return sendBelow(turn, itemsCard(turn.pack, await deps.hr.items.statistics()));
}

/** Item analysis for the author and HR: per question, from first tries; no person is ever shown. */
export const ITEMS_ROUTES = [
  {
    name: 'statistics',
    scope: 'personal',
    via: ['typed', 'card'],
    // Not "vragen": one letter from "vraag", the typo-tolerant parser would confuse the two.
    words: { en: ['statistics', 'stats'], nl: ['statistieken', 'stats'] },
    who: 'hr',
    handle: statistics,
  },
] as const satisfies readonly RouteDeclaration[];
