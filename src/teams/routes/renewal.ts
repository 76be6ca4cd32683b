import { renewalCard, renewalResultCard } from '../../cards/renewalCards.js';
import { refuse, replace, say, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { shortText, type Reply, type Turn } from '../turn.js';

/** `renew`: where the person's renewal stands, as a card. */
async function show(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const step = await deps.renewals.step(turn.userId);
  if (!step) return say(turn.pack.text('renewalNotDue'));
  return sendBelow(turn, renewalCard(turn.pack, step));
}

async function start(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const lapse = shortText(turn.data.lapse);
  if (lapse === undefined) return refuse(turn.pack.text('staleCard'));
  const step = await deps.renewals.start(turn.userId, lapse);
  if (!step) return refuse(turn.pack.text('renewalNotDue'));
  // A card of another renewal (tampered, or from an earlier year) starts nothing.
  if (step.lapse !== lapse) return refuse(turn.pack.text('renewalStale'));
  return sendBelow(turn, renewalCard(turn.pack, step));
}

async function answer(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const questionId = shortText(turn.data.question);
  const lapse = shortText(turn.data.lapse);
  const attempt = Number(shortText(turn.data.attempt));
  const choiceId = shortText(turn.data.choice) ?? '';
  if (questionId === undefined || lapse === undefined || !Number.isInteger(attempt) || attempt < 1)
    return refuse(turn.pack.text('staleCard'));
  const outcome = await deps.renewals.answer(turn.userId, lapse, questionId, attempt, choiceId);
  if (!('place' in outcome)) {
    const refusal = outcome.kind === 'stale' ? 'renewalStale' : choiceId === '' ? 'chooseFirst' : 'staleCard';
    return refuse(turn.pack.text(refusal));
  }
  const result = renewalResultCard(turn.pack, outcome.place.lessonIndex, outcome.place.questionIndex, outcome.answer);
  if (outcome.kind === 'replayed') return replace(result);
  const next = await deps.renewals.step(turn.userId);
  return replace(result, next ? [{ card: renewalCard(turn.pack, next) }] : []);
}

async function acknowledge(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const lapse = shortText(turn.data.lapse);
  if (lapse === undefined) return refuse(turn.pack.text('staleCard'));
  if (turn.data.agree !== 'yes') return refuse(turn.pack.text('ackRequired'));
  const outcome = await deps.renewals.acknowledge(turn.userId, lapse);
  if (!('acknowledgement' in outcome)) return refuse(turn.pack.text('renewalStale'));
  return replace(turn.pack.completion(outcome.acknowledgement), [{ text: turn.pack.text('renewalDone') }]);
}

/** The yearly renewal of an acknowledgement: see where it stands, start it, answer, acknowledge anew. */
export const RENEWAL_ROUTES = [
  {
    name: 'renewal',
    scope: 'personal',
    via: ['typed'],
    words: { en: ['renew', 'renewal'], nl: ['vernieuwen', 'vernieuwing'] },
    handle: show,
  },
  { name: 'renewalStart', scope: 'personal', via: ['card'], handle: start },
  { name: 'renewalAnswer', scope: 'personal', via: ['card'], handle: answer },
  { name: 'renewalAcknowledge', scope: 'personal', via: ['card'], handle: acknowledge },
] as const satisfies readonly RouteDeclaration[];
