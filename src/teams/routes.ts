import type { CourseCards } from '../cards/courseCards.js';
import type { CardJson } from '../cards/templates.js';
import { LANGUAGES, type Language } from '../domain/course/course.js';
import type { CourseService } from '../domain/course/courseService.js';

/** Who is asking, where, in which language, with what the card or the typed words carried. */
export interface Turn {
  readonly userId: string;
  /** The display name Teams gives; shown only where the person chose to be named. */
  readonly userName: string | undefined;
  readonly cards: CourseCards;
  readonly args: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
  readonly conversation: {
    readonly id: string;
    readonly serviceUrl: string;
    readonly tenantId?: string;
    readonly teamId?: string;
    readonly channelId?: string;
  };
  /** Whether this person may choose the contact channel (HR or a contact admin). */
  readonly isContactAdmin: () => Promise<boolean>;
  /** Whether this person is one of the HR users. */
  readonly isHr: () => Promise<boolean>;
}

export type Outgoing = { readonly card: CardJson } | { readonly text: string };

/**
 * The answer to a card button: a replacement card, or a short message shown under the card
 * (a confirmation or a refusal).
 */
export type InvokeReply = { readonly card: CardJson } | { readonly message: string };

export interface Reply {
  readonly send: readonly Outgoing[];
  readonly invoke: InvokeReply;
}

export type Route = (turn: Turn) => Promise<Reply>;

export type CourseRouteName = 'start' | 'next' | 'later' | 'open' | 'answer' | 'acknowledge' | 'progress' | 'language' | 'help';

/** What the employee does in the course, in the personal chat. */
export function courseRoutes(
  service: CourseService,
  cards: Readonly<Record<Language, CourseCards>>,
  afterCompletion: (turn: Turn) => Promise<readonly Outgoing[]>,
): Readonly<Record<CourseRouteName, Route>> {
  const sendCard = (card: CardJson, invoke: InvokeReply): Reply => ({ send: [{ card }], invoke });
  const say = (text: string): Reply => ({ send: [{ text }], invoke: { message: text } });
  /** A refusal on the card, and the card for where the employee really is. */
  const refuse = async (turn: Turn, text: string): Promise<Reply> => {
    const { step } = await service.state(turn.userId);
    return sendCard(turn.cards.step(step), { message: text });
  };
  const resume: Route = async (turn) => {
    const { step } = await service.state(turn.userId);
    return sendCard(turn.cards.step(step), { message: turn.cards.text('sentBelow') });
  };

  return {
    start: resume,
    next: resume,
    later: async (turn) => say(turn.cards.text('laterReply')),
    progress: async (turn) => {
      const state = await service.state(turn.userId);
      return sendCard(turn.cards.progress(state), { message: turn.cards.text('sentBelow') });
    },
    help: async (turn) => sendCard(turn.cards.help(), { message: turn.cards.text('sentBelow') }),

    language: async (turn) => {
      const wanted = LANGUAGES.find((l) => l === turn.args[0]);
      if (!wanted) return say(turn.cards.text('languageUsage'));
      await service.setLanguage(turn.userId, wanted);
      return say(cards[wanted].text('languageSet'));
    },

    open: async (turn) => {
      const lessonId = text(turn.data.lesson);
      if (lessonId === undefined) return refuse(turn, turn.cards.text('staleCard'));
      const outcome = await service.openLesson(turn.userId, lessonId);
      switch (outcome.kind) {
        case 'opened':
          return sendCard(turn.cards.step(outcome.state.step), { message: turn.cards.text('sentBelow') });
        case 'not-reached':
          return refuse(turn, turn.cards.text('notReached'));
        case 'unknown-lesson':
          return refuse(turn, turn.cards.text('staleCard'));
      }
    },

    answer: async (turn) => {
      const questionId = text(turn.data.question);
      const choiceId = text(turn.data.choice) ?? '';
      if (questionId === undefined) return refuse(turn, turn.cards.text('staleCard'));
      const outcome = await service.answer(turn.userId, questionId, choiceId);
      switch (outcome.kind) {
        case 'recorded':
        case 'replayed':
          return { send: [], invoke: { card: turn.cards.result(outcome.place, outcome.answer) } };
        case 'unknown-choice':
          return { send: [], invoke: { message: turn.cards.text(choiceId === '' ? 'chooseFirst' : 'staleCard') } };
        case 'not-reached':
          return refuse(turn, turn.cards.text('notReached'));
        case 'unknown-question':
          return refuse(turn, turn.cards.text('staleCard'));
      }
    },

    acknowledge: async (turn) => {
      const version = text(turn.data.version);
      if (version === undefined) return refuse(turn, turn.cards.text('staleCard'));
      if (turn.data.agree !== 'yes') return { send: [], invoke: { message: turn.cards.text('ackStatement', { version: turn.cards.course.versionName }) } };
      const outcome = await service.acknowledge(turn.userId, version);
      switch (outcome.kind) {
        case 'acknowledged':
          return { send: await afterCompletion(turn), invoke: { card: turn.cards.completion(outcome.acknowledgement) } };
        case 'replayed':
          return { send: [], invoke: { card: turn.cards.completion(outcome.acknowledgement) } };
        case 'outdated-version':
          return sendCard(turn.cards.acknowledge(), { message: turn.cards.text('outdatedVersion') });
        case 'not-finished':
          return refuse(turn, turn.cards.text('notFinished'));
      }
    },
  };
}

/** A short string from card data, or undefined for anything else. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= 100 ? value : undefined;
}
