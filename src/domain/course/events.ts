/** What every event says: whose, when, on which content version. */
interface EventBase {
  readonly id: string;
  readonly userId: string;
  readonly at: string;
  readonly version: string;
}

/** Append-only record of what an employee did, so HR can prove who did what on which version. */
export type CourseEvent =
  | (EventBase & {
      readonly type: 'answered';
      readonly questionId: string;
      readonly choiceId: string;
      readonly correct: boolean;
      readonly revision?: number;
    })
  | (EventBase & {
      /** One review attempt at a question missed on the first try; the first answer stays as it was. */
      readonly type: 'reviewed';
      readonly questionId: string;
      readonly choiceId: string;
      readonly correct: boolean;
      readonly revision?: number;
      readonly attempt: number;
    })
  | (EventBase & {
      readonly type: 'completed' | 'acknowledged';
      readonly correct: number;
      readonly total: number;
      /** On an acknowledgement: each lesson's revision it covered. */
      readonly revisions?: Readonly<Record<string, number>>;
    });
