import type { CourseEvent } from '../course/events.js';
import type { RefresherAnswer } from '../refreshers/refresher.js';
import { statementId } from './statementId.js';

/** What every waiting statement says: its id, when, on which policy version, and the e-mail actor when on. */
interface EntryBase {
  /** The statement id: a UUID derived from the event, so a retry sends the same statement. */
  readonly id: string;
  readonly at: string;
  readonly version: string;
  /** Only when the organisation sends the e-mail as the actor. */
  readonly email?: string;
}

/**
 * One statement waiting in a person's outbox, as small as it can be: the statement itself is made
 * when it is sent, from this and the course.
 */
export type XapiEntry =
  | (EntryBase & {
      readonly kind: 'answered';
      /** The first try, a review attempt after a miss, or a refresher after completion. */
      readonly attempt: 'first-try' | 'review' | 'refresher';
      readonly questionId: string;
      readonly choiceId: string;
      readonly correct: boolean;
    })
  | (EntryBase & { readonly kind: 'completed' | 'passed'; readonly correct: number; readonly total: number })
  | (EntryBase & { readonly kind: 'acknowledged' });

/** The statements a course event makes: an answer one, a completion two (completed and passed). */
export function entriesOfEvent(event: CourseEvent, email?: string): XapiEntry[] {
  const base = { at: event.at, version: event.version, ...(email === undefined ? {} : { email }) };
  switch (event.type) {
    case 'answered':
    case 'reviewed': {
      const { questionId, choiceId, correct } = event;
      const attempt = event.type === 'answered' ? 'first-try' : 'review';
      return [{ ...base, id: statementId(event.id), kind: 'answered', attempt, questionId, choiceId, correct }];
    }
    case 'completed': {
      const score = { correct: event.correct, total: event.total };
      return [
        { ...base, id: statementId(event.id), kind: 'completed', ...score },
        { ...base, id: statementId(`${event.id}/passed`), kind: 'passed', ...score },
      ];
    }
    case 'acknowledged':
      return [{ ...base, id: statementId(event.id), kind: 'acknowledged' }];
  }
}

/** The statement of a refresher answer, on the course version it was given on. */
export function entryOfRefresher(userId: string, answer: RefresherAnswer, version: string, email?: string): XapiEntry {
  return {
    id: statementId(`${userId}/refresher/${answer.n}`),
    at: answer.at,
    version,
    ...(email === undefined ? {} : { email }),
    kind: 'answered',
    attempt: 'refresher',
    questionId: answer.questionId,
    choiceId: answer.choiceId,
    correct: answer.correct,
  };
}
