import type { UiKey } from '../content/ui.js';
import type { Log } from '../log.js';
import { parseCommand, type ParsedCommand } from './commands.js';
import { say } from './replies.js';
import { verbOf, type Who } from './route.js';
import { ROUTES, type Route } from './routeTable.js';
import type { RouteDeps } from './routeDeps.js';
import type { Outgoing, Reply, Scope, Turn } from './turn.js';

/** How each role is checked, what is logged when someone else tries, and what they are told. */
const ROLES: Readonly<
  Record<
    Who,
    {
      allowed: (turn: Turn, deps: RouteDeps) => Promise<boolean>;
      event: string;
      refusal: (turn: Turn, deps: RouteDeps) => string;
    }
  >
> = {
  hr: { allowed: (turn) => turn.isHr(), event: 'hr.refused', refusal: (turn) => turn.pack.text('hrOnly') },
  contactAdmin: {
    allowed: async (turn) =>
      turn.conversation.teamId !== undefined &&
      turn.conversation.channelId !== undefined &&
      (await turn.isContactAdmin()),
    event: 'contact-channel.refused',
    refusal: (_turn, deps) => deps.packs[deps.channelLanguage].text('contactRefused'),
  },
  manager: {
    allowed: async (turn, deps) => deps.team.hasReports(await turn.identities()),
    event: 'team.refused',
    refusal: (turn) => turn.pack.text('teamNone'),
  },
};

const CARD_ROUTES: ReadonlyMap<string, Route> = new Map(
  ROUTES.filter((r) => (r.via as readonly string[]).includes('card')).map((r) => [verbOf(r), r]),
);

/** The route a card button asks for when it may run here; otherwise the text of what the person is told (logged). */
export function routeForCard(verb: string, scope: Scope, log: Log): Route | UiKey {
  const route = CARD_ROUTES.get(verb);
  if (!route) {
    log.info('card.unknown-verb');
    return 'staleCard';
  }
  if (route.scope !== scope) {
    log.info('card.wrong-place', { route: route.name });
    return route.scope === 'channel' ? 'notHere' : 'onlyPersonal';
  }
  return route;
}

/** Runs a route for those it is meant for; anyone else gets the role's refusal. */
export async function run(route: Route, turn: Turn, deps: RouteDeps): Promise<Reply | undefined> {
  if ('who' in route) {
    const role = ROLES[route.who];
    if (!(await role.allowed(turn, deps))) {
      deps.log.info(role.event);
      return say('refusal' in route ? turn.pack.text(route.refusal) : role.refusal(turn, deps));
    }
  }
  return route.handle(turn, deps);
}

/**
 * Answers a message: a route that selects messages of its shape (a dropped file, a reply in a
 * ticket's thread), else the command typed to the bot, else a hint what the bot understands.
 */
export async function answerMessage(turn: Turn, deps: RouteDeps): Promise<readonly Outgoing[]> {
  const command = typedCommand(turn);
  const selected = ROUTES.find((r) => r.scope === turn.scope && 'select' in r && r.select(turn, command));
  const typed = command && ROUTES.find((r) => r.name === command.route);
  const reply = selected
    ? await run(selected, turn, deps)
    : typed
      ? await run(typed, { ...turn, args: command.args }, deps)
      : undefined;
  if (reply) return reply.send;
  if (turn.scope === 'personal') return [{ card: turn.pack.help(turn.pack.text('notUnderstood')) }];
  return turn.addressed ? [{ text: deps.packs[deps.defaultLanguage].text('channelHelp') }] : [];
}

/** Answers Teams announcing an install: the route that selects installs where it happened; nothing elsewhere. */
export async function answerInstall(turn: Turn, deps: RouteDeps): Promise<readonly Outgoing[]> {
  const route = ROUTES.find((r) => r.scope === turn.scope && 'select' in r && r.select(turn, undefined));
  return (route && (await run(route, turn, deps)))?.send ?? [];
}

/** The command a message addressed to the bot types, when it can run where it was typed. */
function typedCommand(turn: Turn): ParsedCommand | undefined {
  const command = turn.addressed ? parseCommand(turn.text) : undefined;
  return command && ROUTES.some((r) => r.name === command.route && r.scope === turn.scope) ? command : undefined;
}
