import { refresherCard, refresherResultCard } from '../../cards/refresherCards.js';
import { refuse, replace, say, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { shortText, type Reply, type Turn } from '../turn.js';

/** `refresher`: the open refresher, or a new one now. */
async function ask(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const outcome = await deps.refreshers.askNow(turn.userId);
  if (outcome.kind === 'not-completed') return say(turn.pack.text('refresherNotCompleted'));
  return sendBelow(turn, refresherCard(turn.pack, outcome.refresher));
}

async function answer(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const questionId = shortText(turn.data.question);
  const n = Number(shortText(turn.data.refresher));
  const choiceId = shortText(turn.data.choice) ?? '';
  if (questionId === undefined || !Number.isInteger(n) || n < 1) return refuse(turn.pack.text('staleCard'));
  const outcome = await deps.refreshers.answer(turn.userId, n, questionId, choiceId);
  switch (outcome.kind) {
    case 'recorded':
    case 'replayed':
      return replace(refresherResultCard(turn.pack, outcome.place, outcome.answer));
    case 'unknown-choice':
      return refuse(turn.pack.text(choiceId === '' ? 'chooseFirst' : 'staleCard'));
    case 'stale':
      return refuse(turn.pack.text('refresherStale'));
  }
}

async function stop(turn: Turn, deps: RouteDeps): Promise<Reply> {
  await deps.refreshers.stop(turn.userId);
  return say(turn.pack.text('refresherStopped'));
}

/** Refreshers after the course: ask for one, answer it, or stop them. */
export const REFRESHER_ROUTES = [
  {
    name: 'refresher',
    scope: 'personal',
    via: ['typed'],
    words: { en: ['refresher'], nl: ['herhaling', 'herhaalvraag', 'opfrissen'] },
    handle: ask,
  },
  { name: 'refresherAnswer', scope: 'personal', via: ['card'], handle: answer },
  {
    name: 'refresherStop',
    scope: 'personal',
    via: ['typed'],
    words: {
      en: ['stop refreshers', 'stop refresher'],
      nl: ['stop herhalen', 'stop herhalingen', 'stop herhaalvragen', 'stoppen met herhalen'],
    },
    handle: stop,
  },
] as const satisfies readonly RouteDeclaration[];
