import { ALL_DEPARTMENTS, understandingCard } from '../../cards/understandingCards.js';
import { departmentOf } from '../../domain/roster/departmentKeys.js';
import { replace, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { shortText, type Reply, type Turn } from '../turn.js';

/**
 * The understanding card: typed, or from the coverage card, it comes below; its own filter
 * (whose input is in the data) redraws it for the department chosen.
 */
async function understanding(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const filtered = 'department' in turn.data;
  const value = shortText(turn.data.department) ?? ALL_DEPARTMENTS;
  const everyone = await deps.hr.understanding.understanding();
  const department = departmentOf(
    value,
    everyone.departments.map((d) => d.name),
  );
  const unknown = value !== ALL_DEPARTMENTS && department === undefined;
  const shown = department === undefined ? everyone : await deps.hr.understanding.understanding(department);
  const card = understandingCard(
    turn.pack,
    shown,
    unknown ? turn.pack.text('understandingUnknownDepartment') : undefined,
  );
  return filtered ? replace(card) : sendBelow(turn, card);
}

/** What HR sees of what was understood: the first-try correct rate per guideline, by department. */
export const UNDERSTANDING_ROUTES = [
  {
    name: 'understanding',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['understanding'], nl: ['begrip'] },
    who: 'hr',
    handle: understanding,
  },
] as const satisfies readonly RouteDeclaration[];
