import { ContactCards } from '../../cards/contactCards.js';
import { HrCards } from '../../cards/hrCards.js';
import { refuse, replace } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import type { Outgoing, Reply, Turn } from '../turn.js';

/** The anonymous inventory question, for someone who just finished the course and has not answered it yet. */
export async function inventoryQuestion(turn: Turn, deps: RouteDeps): Promise<readonly Outgoing[]> {
  return (await deps.hr.inventory.offered(turn.userId)) ? [{ card: new HrCards(turn.pack).inventory() }] : [];
}

async function answerInventory(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const outcome = await deps.hr.inventory.answer(turn.userId, turn.data.platforms);
  switch (outcome.kind) {
    case 'not-finished':
      return refuse(turn.pack.text('inventoryNotYet'));
    case 'invalid':
      return refuse(turn.pack.text('inventoryEmpty'));
    case 'already':
      return replace(new ContactCards(turn.pack).note(turn.pack.text('inventoryDone')));
    case 'recorded':
      return replace(new ContactCards(turn.pack).note(turn.pack.text('inventoryThanks')));
  }
}

/** The employees' anonymous answer which social media they use, after the course. */
export const INVENTORY_ROUTES = [
  { name: 'inventory', scope: 'personal', via: ['card'], handle: answerInventory },
] as const satisfies readonly RouteDeclaration[];
