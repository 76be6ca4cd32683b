import { pickChoice, seededRandom, type CourseStep } from './coursePath.js';
import type { BotRequest, Traffic } from './load.js';
import type { SeededEmployee } from './seedStore.js';
import { cardActionActivity, messageActivity } from './teamsActivities.js';

const CARD_REPLY = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_REPLY = 'application/vnd.microsoft.activity.message';

/**
 * Postwise traffic: employees in turn take their next course step (answer the next question,
 * or open the next lesson where the course needs that first; at the end, answer each missed
 * question correctly in the review round, then acknowledge the policy), and every fourth
 * request is another employee typing `continue`.
 */
export class CourseTraffic implements Traffic {
  /** Requests handed out so far, by kind. */
  readonly sent = { answer: 0, open: 0, review: 0, acknowledge: 0, continue: 0 };
  private readonly stepsDone: number[];
  /** Per employee, the questions missed on the first try and not yet reviewed. */
  private readonly missed: string[][];
  private readonly correctChoice: ReadonlyMap<string, string>;
  private readonly random = seededRandom(7);
  private requests = 0;
  private stepTurn = 0;
  private continueTurn = 0;

  constructor(
    private readonly employees: readonly SeededEmployee[],
    private readonly path: readonly CourseStep[],
    private readonly serviceUrl: string,
  ) {
    this.stepsDone = employees.map((e) => e.stepsDone);
    this.missed = employees.map((e) => [...e.missed]);
    this.correctChoice = new Map(
      path.flatMap((s) => (s.kind === 'answer' ? [[s.questionId, s.correctChoice] as const] : [])),
    );
  }

  next(): BotRequest {
    this.requests += 1;
    if (this.requests % 4 === 0) {
      const { employee } = this.employees[this.continueTurn++ % this.employees.length] as SeededEmployee;
      this.sent.continue += 1;
      return { body: JSON.stringify(messageActivity(employee, this.serviceUrl, 'continue')), kind: 'continue' };
    }
    for (let tries = 0; tries < this.employees.length; tries++) {
      const index = this.stepTurn++ % this.employees.length;
      const done = this.stepsDone[index] as number;
      const step = this.path[done];
      if (!step) continue;
      const { employee } = this.employees[index] as SeededEmployee;
      const click = (
        kind: keyof CourseTraffic['sent'],
        verb: string,
        data: Record<string, string>,
        replyContains: string,
      ): BotRequest => {
        this.sent[kind] += 1;
        return { body: JSON.stringify(cardActionActivity(employee, this.serviceUrl, verb, data)), kind, replyContains };
      };
      const missed = this.missed[index] as string[];
      const review = step.kind === 'acknowledge' ? missed.shift() : undefined;
      if (review !== undefined) {
        return click(
          'review',
          'answer',
          { question: review, choice: this.correctChoice.get(review) ?? '', review: '1' },
          CARD_REPLY,
        );
      }
      this.stepsDone[index] = done + 1;
      switch (step.kind) {
        case 'open':
          return click('open', 'open', { lesson: step.lessonId }, MESSAGE_REPLY);
        case 'answer': {
          const choice = pickChoice(step, this.random);
          if (choice !== step.correctChoice) missed.push(step.questionId);
          return click('answer', 'answer', { question: step.questionId, choice }, CARD_REPLY);
        }
        case 'acknowledge':
          return click('acknowledge', 'acknowledge', { version: step.version, agree: 'yes' }, CARD_REPLY);
      }
    }
    throw new Error('every simulated employee has finished the course');
  }
}
