import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import type { Progress } from '../course/progress.js';
import { group } from '../coverage/coverageService.js';
import type { RosterStore } from '../roster/ports.js';

/** No figure for a group of fewer answerers than this (the inventory's rule), so no one's answers can be singled out. */
export const MIN_ANSWERERS = 5;

/** First-try answers to the questions that cover one policy id. */
export interface GuidelineUnderstanding {
  readonly id: string;
  readonly correct: number;
  readonly answered: number;
  /** People who answered at least one of its questions. */
  readonly people: number;
}

/** A department of the active roster, and whether it is big enough for figures. */
export interface UnderstandingDepartment {
  readonly name: string;
  readonly enough: boolean;
}

/** What the active roster (or one department of it) understood, per policy id. */
export interface Understanding {
  /** The department asked for; undefined for everyone. */
  readonly department?: string;
  /** Whether at least MIN_ANSWERERS people of the group answered a question; without them nothing is shown. */
  readonly enough: boolean;
  /** Policy ids with at least MIN_ANSWERERS people answering, weakest first. */
  readonly guidelines: readonly GuidelineUnderstanding[];
  /** Policy ids the course covers that too few people of the group answered yet. */
  readonly withheld: readonly string[];
  /** Departments of the active roster, those big enough first, each part by name. */
  readonly departments: readonly UnderstandingDepartment[];
}

/** What understanding reads: whole tables, by projection. */
export interface UnderstandingStores {
  readonly roster: Pick<RosterStore, 'scan'>;
  readonly progress: Pick<ProgressStore, 'scan'>;
}

const NOT_ANSWERED = 0;
const WRONG = 1;
const RIGHT = 2;

/**
 * The first-try correct rate per policy id: a question counts for every id it covers, only
 * active roster members count, and no figure stands on fewer than MIN_ANSWERERS people.
 */
export class UnderstandingService {
  private readonly questionIds: readonly string[];
  /** Policy ids in the order the course first covers them, each with the indexes of its questions. */
  private readonly guidelines: ReadonlyMap<string, readonly number[]>;

  constructor(
    course: Course,
    private readonly stores: UnderstandingStores,
  ) {
    const questions = course.lessons.flatMap((l) => l.questions);
    this.questionIds = questions.map((q) => q.id);
    const guidelines = new Map<string, number[]>();
    questions.forEach((q, i) => {
      for (const id of q.covers) guidelines.set(id, [...(guidelines.get(id) ?? []), i]);
    });
    this.guidelines = guidelines;
  }

  /** Everyone's understanding, or one department's (a name as coverage shows it, NO_GROUP for none). */
  async understanding(department?: string): Promise<Understanding> {
    const [members, progress] = await Promise.all([
      this.stores.roster.scan((m) => (m.active ? { id: m.aadObjectId?.toLowerCase(), department: group(m.department) } : undefined)),
      this.stores.progress.scan((p) => [p.userId.toLowerCase(), this.firstTries(p)] as const),
    ]);
    const answersOf = new Map(progress);
    const answerers = new Map<string, number>();
    const departments = new Set<string>();
    const chosen: Uint8Array[] = [];
    for (const member of members) {
      if (!member) continue;
      departments.add(member.department);
      const answers = member.id === undefined ? undefined : answersOf.get(member.id);
      if (!answers || !answers.some((a) => a !== NOT_ANSWERED)) continue;
      answerers.set(member.department, (answerers.get(member.department) ?? 0) + 1);
      if (department === undefined || member.department === department) chosen.push(answers);
    }
    const enough = chosen.length >= MIN_ANSWERERS;
    const figures = enough ? [...this.guidelines].map(([id, questions]) => tally(id, questions, chosen)) : [];
    const shown = figures.filter((g) => g.people >= MIN_ANSWERERS);
    return {
      department,
      enough,
      guidelines: shown.map((g, order) => ({ g, order })).sort((a, b) => weaker(a.g, b.g) || a.order - b.order).map((x) => x.g),
      withheld: [...this.guidelines.keys()].filter((id) => !shown.some((g) => g.id === id)),
      departments: [...departments]
        .map((name) => ({ name, enough: (answerers.get(name) ?? 0) >= MIN_ANSWERERS }))
        .sort((a, b) => Number(b.enough) - Number(a.enough) || compareNames(a.name, b.name)),
    };
  }

  /** The first answer to each question of the course, as NOT_ANSWERED, WRONG or RIGHT. */
  private firstTries(p: Readonly<Progress>): Uint8Array {
    return Uint8Array.from(this.questionIds, (id) => {
      const answer = p.answers[id];
      return answer === undefined ? NOT_ANSWERED : answer.correct ? RIGHT : WRONG;
    });
  }
}

function tally(id: string, questions: readonly number[], people: readonly Uint8Array[]): GuidelineUnderstanding {
  let correct = 0;
  let answered = 0;
  let answering = 0;
  for (const answers of people) {
    let any = false;
    for (const q of questions) {
      if (answers[q] === NOT_ANSWERED) continue;
      any = true;
      answered += 1;
      if (answers[q] === RIGHT) correct += 1;
    }
    if (any) answering += 1;
  }
  return { id, correct, answered, people: answering };
}

/** Negative when a has the lower first-try correct rate. */
function weaker(a: GuidelineUnderstanding, b: GuidelineUnderstanding): number {
  return a.correct * b.answered - b.correct * a.answered;
}

const compareNames = new Intl.Collator('en').compare;
