import { ContactCards } from '../../cards/contactViews.js';
import { HrCards } from '../../cards/hrViews.js';
import { PLATFORMS, type Platform } from '../../domain/inventory.js';
import { refuse, replace } from '../replies.js';
import type { RouteDeclaration } from '../routeTable.js';
import type { RouteDeps } from '../routeDeps.js';
import type { Outgoing, Reply, Turn } from '../turn.js';

/** The anonymous inventory question, for someone who just finished the course and has not answered it yet. */
export async function inventoryQuestion(turn: Turn, deps: RouteDeps): Promise<readonly Outgoing[]> {
  return (await deps.hr.inventory.answered(turn.userId)) ? [] : [{ card: new HrCards(turn.cards).inventory() }];
}

async function answerInventory(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const { inventory } = deps.hr;
  if (!(await deps.hr.finishedCourse(turn.userId))) return refuse(turn.cards.text('inventoryNotYet'));
  const done = () => replace(new ContactCards(turn.cards).note(turn.cards.text('inventoryDone')));
  if (await inventory.answered(turn.userId)) return done();
  const chosen = typeof turn.data.platforms === 'string' ? turn.data.platforms.split(',') : [];
  const platforms = [...new Set(chosen)].filter((p): p is Platform => (PLATFORMS as readonly string[]).includes(p));
  if (platforms.length === 0 || platforms.length !== new Set(chosen).size || (platforms.includes('none') && platforms.length > 1)) {
    return refuse(turn.cards.text('inventoryEmpty'));
  }
  if (!(await inventory.answer(turn.userId, platforms))) return done();
  return replace(new ContactCards(turn.cards).note(turn.cards.text('inventoryThanks')));
}

/** The employees' anonymous answer which social media they use, after the course. */
export const INVENTORY_ROUTES = [
  { name: 'inventory', scope: 'personal', via: ['card'], handle: answerInventory },
] as const satisfies readonly RouteDeclaration[];
