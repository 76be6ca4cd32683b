import { HrCards, LIST_ON_CARD } from '../../cards/hrCards.js';
import { say, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import type { Reply, Turn } from '../turn.js';

/** HR's own help: the commands, and whether questions have a channel to go to yet. */
async function hrHelp(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const help = turn.pack.text('hrHelp');
  return say(
    (await deps.contact.contactChannel()) !== undefined ? help : `${help}\n\n${turn.pack.text('hrNoChannel')}`,
  );
}

async function coverage(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const [coverage, inventory, retention] = await Promise.all([
    deps.hr.coverage.coverage(),
    deps.hr.inventory.totals(),
    deps.refreshers.retention(),
  ]);
  return sendBelow(turn, new HrCards(turn.pack).coverage(coverage, inventory, retention));
}

async function notStarted(turn: Turn, deps: RouteDeps): Promise<Reply> {
  return sendBelow(
    turn,
    new HrCards(turn.pack).notStarted(await deps.hr.coverage.firstReports('not-started', LIST_ON_CARD)),
  );
}

/** A card with a download link to a CSV file. */
const download =
  (kind: 'export' | 'audit') =>
  async (turn: Turn, deps: RouteDeps): Promise<Reply> =>
    sendBelow(
      turn,
      new HrCards(turn.pack).link(
        turn.pack.text(kind === 'export' ? 'exportReady' : 'auditReady'),
        await deps.hr.downloadLink(kind, turn.userId, turn.pack.language),
      ),
    );

/** Who has done the course: HR's overview, the list of those who have not started, and the CSV files. */
export const COVERAGE_ROUTES = [
  { name: 'hr', scope: 'personal', via: ['typed'], words: { en: ['hr'], nl: ['hr'] }, who: 'hr', handle: hrHelp },
  {
    name: 'coverage',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['coverage'], nl: ['dekking'] },
    who: 'hr',
    handle: coverage,
  },
  { name: 'notStarted', verb: 'hrNotStarted', scope: 'personal', via: ['card'], who: 'hr', handle: notStarted },
  {
    name: 'export',
    verb: 'hrExport',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['export'], nl: ['exporteren'] },
    who: 'hr',
    handle: download('export'),
  },
  {
    name: 'audit',
    scope: 'personal',
    via: ['typed'],
    words: { en: ['audit'], nl: ['audit'] },
    who: 'hr',
    handle: download('audit'),
  },
] as const satisfies readonly RouteDeclaration[];
