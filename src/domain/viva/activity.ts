import type { CourseEvent } from '../course/events.js';
import type { Language } from '../course/course.js';
import { statementId } from '../xapi/statementId.js';

/** One course activity of a person in Viva Learning: an assignment, or a course they started themselves. */
export interface VivaActivity {
  /** Postwise's id for it (`externalCourseActivityId`): the same person, source and version give the same id. */
  readonly externalId: string;
  readonly kind: 'assignment' | 'self';
  /** What opened it: a campaign's id, `renewal:<lapse day>`, or `self`. */
  readonly source: string;
  /** The course version it is about: a new version that sends people back opens a new activity. */
  readonly version: string;
  readonly language: Language;
  /** When it was assigned, or started. */
  readonly at: string;
  /** The due date, YYYY-MM-DD (assignments only). */
  readonly due?: string;
  /** The questions answered on a first try, for the completion percentage. */
  readonly answered: readonly string[];
  /** When the acknowledgement completed it. */
  readonly completedAt?: string;
}

/** An activity as it should stand in Viva Learning: what one request sends. */
export interface VivaEntry {
  /** Unique in the person's record. */
  readonly id: string;
  readonly externalId: string;
  readonly kind: 'assignment' | 'self';
  readonly language: Language;
  readonly at: string;
  readonly due?: string;
  readonly percent: number;
  readonly completedAt?: string;
}

/**
 * One person's record: their current activity, and the entries waiting for Graph, oldest first. An
 * activity has at most one entry waiting, the latest state (an older one is replaced).
 */
export interface VivaRecord {
  readonly userId: string;
  readonly current?: VivaActivity;
  readonly entries: readonly VivaEntry[];
  /** Numbers the entries. */
  readonly seq?: number;
  /** Graph's ids of the activities it created, by external id, while they are current or waiting. */
  readonly created?: Readonly<Record<string, string>>;
}

/** What an assignment says: who asked (campaign or renewal), by when, on which version. */
export interface VivaAssignment {
  readonly source: string;
  readonly due: string | undefined;
  readonly at: string;
  readonly version: string;
  readonly language: Language;
}

/** The external id of a person's activity from one source on one version. */
function externalIdOf(userId: string, source: string, version: string): string {
  return `postwise-${statementId(`${userId}/viva/${source}/${version}`)}`;
}

/** The completion percentage: each question a step, the acknowledgement the last. */
function percentOf(activity: VivaActivity, questions: number): number {
  if (activity.completedAt !== undefined) return 100;
  return Math.min(99, Math.floor((100 * activity.answered.length) / (questions + 1)));
}

/** Changes to a record, for stores that apply them atomically; undefined means nothing to write. */
export const vivaChanges = {
  /** An assignment reached the person: a new activity unless the current one is from the same source and version. */
  assign(
    userId: string,
    current: VivaRecord | undefined,
    a: VivaAssignment,
    questions: number,
  ): VivaRecord | undefined {
    const now = current?.current;
    if (now?.kind === 'assignment' && now.source === a.source && now.version === a.version) {
      if (now.due === a.due) return undefined;
      return withActivity(userId, current, { ...now, ...dueOf(a.due) }, questions);
    }
    // A renewal asks for the acknowledgement again; a campaign counts what was done on the same version.
    const carried = now?.version === a.version && !a.source.startsWith('renewal:') ? now : undefined;
    const activity: VivaActivity = {
      externalId: externalIdOf(userId, a.source, a.version),
      kind: 'assignment',
      source: a.source,
      version: a.version,
      language: now?.language ?? a.language,
      at: a.at,
      ...dueOf(a.due),
      answered: carried?.answered ?? [],
      ...(carried?.completedAt === undefined ? {} : { completedAt: carried.completedAt }),
    };
    return withActivity(userId, current, activity, questions);
  },

  /** A course event of the person: progress on their activity, opening a self-initiated one if they have none. */
  event(
    current: VivaRecord | undefined,
    event: CourseEvent,
    language: Language,
    questions: number,
  ): VivaRecord | undefined {
    if (event.type !== 'answered' && event.type !== 'acknowledged') return undefined;
    const { userId } = event;
    const now = current?.current;
    const fresh = now === undefined || now.version !== event.version;
    const base: VivaActivity = fresh
      ? {
          externalId: externalIdOf(userId, now?.source ?? 'self', event.version),
          kind: now?.kind ?? 'self',
          source: now?.source ?? 'self',
          version: event.version,
          language: now?.language ?? language,
          at: event.at,
          ...dueOf(now?.due),
          answered: [],
        }
      : now;
    if (base.completedAt !== undefined) return undefined;
    let next: VivaActivity = base;
    if (event.type === 'acknowledged') next = { ...base, completedAt: event.at };
    else if (event.type === 'answered' && !base.answered.includes(event.questionId))
      next = { ...base, answered: [...base.answered, event.questionId] };
    if (next === now) return undefined;
    return withActivity(userId, current, next, questions);
  },

  /** Graph holds `entryId`'s state: it leaves the record (unless replaced meanwhile); a new activity's id is kept. */
  delivered(current: VivaRecord | undefined, entryId: string, externalId: string, graphId?: string) {
    if (!current) return undefined;
    const entries = current.entries.filter((e) => e.id !== entryId);
    const known = current.created?.[externalId];
    if (entries.length === current.entries.length && (graphId === undefined || known === graphId)) return undefined;
    const keep = new Set([current.current?.externalId, ...entries.map((e) => e.externalId)]);
    const created = Object.fromEntries(
      Object.entries({ ...current.created, ...(graphId === undefined ? {} : { [externalId]: graphId }) }).filter(
        ([id]) => keep.has(id),
      ),
    );
    return { ...current, entries, created };
  },
};

/** Whether the record has entries waiting. */
export function isWaiting(record: VivaRecord): boolean {
  return record.entries.length > 0;
}

function dueOf(due: string | undefined): { due?: string } {
  return due === undefined ? {} : { due };
}

/** The record with `activity` current and its state waiting, in place of any older state of it. */
function withActivity(
  userId: string,
  current: VivaRecord | undefined,
  activity: VivaActivity,
  questions: number,
): VivaRecord {
  const seq = (current?.seq ?? 0) + 1;
  const entry: VivaEntry = {
    id: String(seq),
    externalId: activity.externalId,
    kind: activity.kind,
    language: activity.language,
    at: activity.at,
    ...dueOf(activity.due),
    percent: percentOf(activity, questions),
    ...(activity.completedAt === undefined ? {} : { completedAt: activity.completedAt }),
  };
  const others = (current?.entries ?? []).filter((e) => e.externalId !== activity.externalId);
  return { ...current, userId, current: activity, entries: [...others, entry], seq };
}
