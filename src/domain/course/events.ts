/** Append-only record of what an employee did, so HR can prove who did what on which version. */
export type CourseEvent =
  | {
      readonly id: string;
      readonly type: 'answered';
      readonly userId: string;
      readonly at: string;
      readonly version: string;
      readonly questionId: string;
      readonly choiceId: string;
      readonly correct: boolean;
    }
  | {
      /** One review attempt at a question missed on the first try; the first answer stays as it was. */
      readonly id: string;
      readonly type: 'reviewed';
      readonly userId: string;
      readonly at: string;
      readonly version: string;
      readonly questionId: string;
      readonly choiceId: string;
      readonly correct: boolean;
      readonly attempt: number;
    }
  | {
      readonly id: string;
      readonly type: 'completed' | 'acknowledged';
      readonly userId: string;
      readonly at: string;
      readonly version: string;
      readonly correct: number;
      readonly total: number;
    };
