import type { Course } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import { group } from '../roster/groupName.js';
import type { RosterStore } from '../roster/ports.js';
import { answeredAny, FirstTries, GuidelineSums, type GuidelineUnderstanding } from './firstTries.js';
import type { UnderstandingFigures } from './understandingFigures.js';

export type { GuidelineUnderstanding } from './firstTries.js';

/**
 * No figure for a group of fewer answerers than this (the inventory's rule), so no one's answers can be singled out.
 */
export const MIN_ANSWERERS = 5;

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

/**
 * The first-try correct rate per policy id: a question counts for every id it covers, only
 * active roster members count, and no figure stands on fewer than MIN_ANSWERERS people. With an
 * index the figures cost the same whatever the roster's size; without one every call reads whole tables.
 */
export class UnderstandingService {
  private readonly tries: FirstTries;

  constructor(
    course: Course,
    private readonly stores: UnderstandingStores,
    private readonly index?: UnderstandingFigures,
  ) {
    this.tries = index?.firstTries ?? new FirstTries(course);
  }

  /** Everyone's understanding, or one department's (a name as coverage shows it, NO_GROUP for none). */
  async understanding(department?: string): Promise<Understanding> {
    const { sums, departments } = this.index ? await this.indexed() : await this.scan();
    const answerers = (name: string) => sums.get(name)?.answerers ?? 0;
    let chosen: GuidelineSums | undefined;
    if (department === undefined) {
      chosen = new GuidelineSums(this.tries.guidelines);
      for (const name of departments) {
        const one = sums.get(name);
        if (one) chosen.merge(one);
      }
    } else if (departments.has(department)) chosen = sums.get(department);
    const enough = (chosen?.answerers ?? 0) >= MIN_ANSWERERS;
    const figures = enough && chosen ? chosen.figures() : [];
    const shown = figures.filter((g) => g.people >= MIN_ANSWERERS);
    return {
      department,
      enough,
      guidelines: shown
        .map((g, order) => ({ g, order }))
        .sort((a, b) => weaker(a.g, b.g) || a.order - b.order)
        .map((x) => x.g),
      withheld: [...this.tries.guidelines.keys()].filter((id) => !shown.some((g) => g.id === id)),
      departments: [...departments]
        .map((name) => ({ name, enough: answerers(name) >= MIN_ANSWERERS }))
        .sort((a, b) => Number(b.enough) - Number(a.enough) || compareNames(a.name, b.name)),
    };
  }

  /** Departments of the active roster, and the sums of those who answered, by department. */
  private async indexed(): Promise<{ sums: ReadonlyMap<string, GuidelineSums>; departments: ReadonlySet<string> }> {
    const figures = await (this.index as UnderstandingFigures).read();
    return {
      sums: figures.understanding,
      departments: new Set([...figures.departments].filter(([, g]) => g.active > 0).map(([name]) => name)),
    };
  }

  /** The same, from whole tables. */
  private async scan(): Promise<{ sums: ReadonlyMap<string, GuidelineSums>; departments: ReadonlySet<string> }> {
    const [members, progress] = await Promise.all([
      this.stores.roster.scan((m) =>
        m.active ? { id: m.aadObjectId?.toLowerCase(), department: group(m.department) } : undefined,
      ),
      this.stores.progress.scan((p) => [p.userId.toLowerCase(), this.tries.of(p)] as const),
    ]);
    const answersOf = new Map(progress);
    const sums = new Map<string, GuidelineSums>();
    const departments = new Set<string>();
    for (const member of members) {
      if (!member) continue;
      departments.add(member.department);
      const answers = member.id === undefined ? undefined : answersOf.get(member.id);
      if (!answers || !answeredAny(answers)) continue;
      let one = sums.get(member.department);
      if (!one) sums.set(member.department, (one = new GuidelineSums(this.tries.guidelines)));
      one.add(answers, 1);
    }
    return { sums, departments };
  }
}

/** Negative when a has the lower first-try correct rate. */
function weaker(a: GuidelineUnderstanding, b: GuidelineUnderstanding): number {
  return a.correct * b.answered - b.correct * a.answered;
}

const compareNames = new Intl.Collator('en').compare;
