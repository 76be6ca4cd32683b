import type { CourseStep } from './coursePath.js';
import { CourseTraffic } from './courseTraffic.js';
import type { BotRequest, Traffic } from './load.js';
import type { SeededEmployee } from './seedStore.js';
import { cardActionActivity, messageActivity, type Employee } from './teamsActivities.js';

const CARD_REPLY = 'application/vnd.microsoft.card.adaptive';

/**
 * The soak's mixed traffic: course turns (bench/courseTraffic.ts), and among every 20 requests one HR card (the
 * coverage overview) and one employee typing `refresher`. Keeps, per employee, the questions whose answer was
 * confirmed: a result card shown. Once every employee has finished, course turns become `continue`.
 */
export class SoakTraffic implements Traffic {
  /** `userId/questionId` of every answer first given in this traffic and confirmed with a result card. */
  readonly confirmed = new Set<string>();
  /** `userId/questionId` of every answer the bot replied to at all (not timed out, not cut off at the end). */
  readonly replied = new Set<string>();
  private readonly course: CourseTraffic;
  /** `userId/questionId` of answers the seeded store already holds. */
  private readonly seededAnswers: ReadonlySet<string>;
  private readonly userIdOf: ReadonlyMap<string, string>;
  private requests = 0;

  constructor(
    private readonly employees: readonly SeededEmployee[],
    path: readonly CourseStep[],
    private readonly hr: Employee,
    private readonly serviceUrl: string,
  ) {
    this.course = new CourseTraffic(employees, path, serviceUrl);
    this.seededAnswers = new Set(
      employees.flatMap((e) =>
        path
          .slice(0, e.stepsDone)
          .flatMap((s) => (s.kind === 'answer' ? [`${e.employee.userId}/${s.questionId}`] : [])),
      ),
    );
    this.userIdOf = new Map(employees.map((e) => [e.employee.conversationId, e.employee.userId]));
  }

  /** True when the store held this answer before the traffic started. */
  seeded(key: string): boolean {
    return this.seededAnswers.has(key);
  }

  next(): BotRequest {
    this.requests += 1;
    const someone = this.employees[this.requests % this.employees.length] as SeededEmployee;
    if (this.requests % 20 === 7) {
      return { body: JSON.stringify(cardActionActivity(this.hr, this.serviceUrl, 'coverage', {})), kind: 'hr' };
    }
    if (this.requests % 20 === 13) {
      const typed = messageActivity(someone.employee, this.serviceUrl, 'refresher');
      return { body: JSON.stringify(typed), kind: 'refresher' };
    }
    let request: BotRequest;
    try {
      request = this.course.next();
    } catch {
      const typed = messageActivity(someone.employee, this.serviceUrl, 'continue');
      return { body: JSON.stringify(typed), kind: 'continue' };
    }
    if (request.kind !== 'answer' && request.kind !== 'review') return request;
    const activity = JSON.parse(request.body) as {
      conversation: { id: string };
      value: { action: { data: { question: string } } };
    };
    const key = `${this.userIdOf.get(activity.conversation.id)}/${activity.value.action.data.question}`;
    return {
      ...request,
      onReply: (status, body) => {
        this.replied.add(key);
        if (status === 200 && body.includes(CARD_REPLY) && !this.seededAnswers.has(key)) this.confirmed.add(key);
      },
    };
  }
}
