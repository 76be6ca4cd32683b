import { TeamCards } from '../../cards/teamCards.js';
import { say, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import type { Reply, Turn } from '../turn.js';
import { opening } from './campaigns.js';

/** A manager's direct reports, each with their status. */
async function team(turn: Turn, deps: RouteDeps): Promise<Reply> {
  return sendBelow(turn, new TeamCards(turn.pack).team(await deps.team.team(await turn.identities())));
}

/** Reminds the manager's reports who have not finished, as HR's reminders do (office hours, 3 days apart). */
async function remind(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const outcome = await deps.team.remind(await turn.identities());
  const t = turn.pack.text.bind(turn.pack);
  const notAsked = outcome.notAsked > 0 ? [t('teamNotAsked', { count: outcome.notAsked })] : [];
  switch (outcome.kind) {
    case 'outside-hours':
      return say(t('remindOutsideHours', { when: opening(turn, deps, outcome.nextOpening) }));
    case 'nobody':
      return say([t('teamRemindNobody'), ...notAsked].join(' '));
    case 'sent': {
      const skipped = outcome.skippedRecent > 0 ? [t('teamRemindSkipped', { count: outcome.skippedRecent })] : [];
      const sent = outcome.recipients > 0 ? t('teamRemindSent', { count: outcome.recipients }) : t('teamRemindNobody');
      return say([sent, ...skipped, ...notAsked].join(' '));
    }
  }
}

/** Managers see their team and remind those who have not finished; nothing else of HR's. */
export const TEAM_ROUTES = [
  {
    name: 'team',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['team'], nl: ['team'] },
    who: 'manager',
    handle: team,
  },
  { name: 'teamRemind', scope: 'personal', via: ['card'], who: 'manager', handle: remind },
] as const satisfies readonly RouteDeclaration[];
