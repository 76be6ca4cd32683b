import type { UiKey } from '../../content/ui.js';
import { LANGUAGES } from '../../domain/course/course.js';
import { refuse, replace, say, sendBelow, sendCards } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { shortText, type Reply, type Turn } from '../turn.js';
import { inventoryQuestion } from './inventory.js';

/** What the employee is told when the course refuses a step they clicked. */
const REFUSED = {
  'not-reached': 'notReached',
  'unknown-lesson': 'staleCard',
  'unknown-question': 'staleCard',
  'not-finished': 'notFinished',
  'reviews-left': 'reviewsLeft',
} as const satisfies Record<string, UiKey>;

/** A refusal on the card, and the card for where the employee really is. */
async function refuseWithStep(turn: Turn, deps: RouteDeps, why: UiKey): Promise<Reply> {
  const { step } = await deps.course.state(turn.userId);
  return sendCards(turn.pack.text(why), turn.pack.step(step));
}

async function resume(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const state = await deps.course.state(turn.userId);
  const changed = turn.pack.whatChanged(state);
  return sendBelow(turn, ...(changed.length > 0 ? changed : [turn.pack.step(state.step)]));
}

/** "Later" on the welcome card: how to pick up again, for someone who has begun or not. */
async function later(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const { progress } = await deps.course.state(turn.userId);
  return say(turn.pack.text(progress.lessonsOpened.length === 0 ? 'laterReplyNew' : 'laterReply'));
}

async function open(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const lessonId = shortText(turn.data.lesson);
  if (lessonId === undefined) return refuseWithStep(turn, deps, 'staleCard');
  const outcome = await deps.course.openLesson(turn.userId, lessonId);
  if (outcome.kind === 'opened') return sendBelow(turn, turn.pack.step(outcome.state.step));
  return refuseWithStep(turn, deps, REFUSED[outcome.kind]);
}

async function answer(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const questionId = shortText(turn.data.question);
  const choiceId = shortText(turn.data.choice) ?? '';
  // A review card says which review attempt it asks; a question card says nothing.
  const review = turn.data.review === undefined ? undefined : Number(shortText(turn.data.review));
  if (
    questionId === undefined ||
    (review !== undefined && !(Number.isInteger(review) && review >= 1 && review <= 9999))
  ) {
    return refuseWithStep(turn, deps, 'staleCard');
  }
  const outcome = await deps.course.answer(turn.userId, questionId, choiceId, review);
  switch (outcome.kind) {
    case 'recorded':
    case 'replayed':
      return replace(turn.pack.result(outcome.place, outcome.answer));
    case 'unknown-choice':
      return refuse(turn.pack.text(choiceId === '' ? 'chooseFirst' : 'staleCard'));
    default:
      return refuseWithStep(turn, deps, REFUSED[outcome.kind]);
  }
}

async function acknowledge(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const version = shortText(turn.data.version);
  if (version === undefined) return refuseWithStep(turn, deps, 'staleCard');
  if (turn.data.agree !== 'yes') return refuse(turn.pack.text('ackRequired'));
  const outcome = await deps.course.acknowledge(turn.userId, version);
  switch (outcome.kind) {
    case 'acknowledged':
      await deps.refreshers.enrol(turn.userId, outcome.acknowledgement.at);
      return replace(turn.pack.completion(outcome.acknowledgement), await inventoryQuestion(turn, deps));
    case 'replayed':
      return replace(turn.pack.completion(outcome.acknowledgement));
    case 'outdated-version':
      return sendCards(turn.pack.text('outdatedVersion'), turn.pack.acknowledge());
    default:
      return refuseWithStep(turn, deps, REFUSED[outcome.kind]);
  }
}

async function language(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const wanted = LANGUAGES.find((l) => l === turn.args[0]);
  if (!wanted) return say(turn.pack.text('languageUsage'));
  await deps.course.setLanguage(turn.userId, wanted);
  return say(deps.packs[wanted].text('languageSet'));
}

/** What the employee does in the course, in the personal chat. */
export const COURSE_ROUTES = [
  {
    name: 'start',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['start', 'begin'], nl: ['beginnen', 'starten'] },
    handle: resume,
  },
  {
    name: 'next',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['continue', 'next', 'resume'], nl: ['verder', 'volgende'] },
    handle: resume,
  },
  { name: 'later', scope: 'personal', via: ['card'], handle: later },
  {
    name: 'progress',
    scope: 'personal',
    via: ['typed', 'card'],
    words: { en: ['progress', 'status'], nl: ['voortgang'] },
    handle: async (turn, deps) => sendBelow(turn, turn.pack.progress(await deps.course.state(turn.userId))),
  },
  {
    name: 'help',
    scope: 'personal',
    via: ['typed'],
    words: { en: ['help', '?'], nl: ['hulp', '?'] },
    handle: async (turn) => sendBelow(turn, turn.pack.help()),
  },
  { name: 'language', scope: 'personal', via: ['typed'], words: { en: ['language'], nl: ['taal'] }, handle: language },
  { name: 'open', scope: 'personal', via: ['card'], handle: open },
  { name: 'answer', scope: 'personal', via: ['card'], handle: answer },
  { name: 'acknowledge', scope: 'personal', via: ['card'], handle: acknowledge },
] as const satisfies readonly RouteDeclaration[];
