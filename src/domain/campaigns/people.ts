import type { Course, Language } from '../course/course.js';
import type { ProgressStore } from '../course/ports.js';
import { memberStatus, type MemberStatus, type RenewalClock } from '../course/progress.js';
import type { RosterStore } from '../roster/ports.js';
import type { Audience } from './campaign.js';

/** The active roster and who finished the course: whom campaigns and reminders reach. */
export interface PeopleStores {
  readonly roster: Pick<RosterStore, 'scan'>;
  readonly progress: Pick<ProgressStore, 'scan'>;
}

/** An active roster member as campaigns and reminders see them. */
export interface Person {
  readonly key: string;
  readonly name: string;
  readonly department: string;
  /** Where they stand on the current course version. Members without an Entra object id have not started. */
  readonly status: MemberStatus;
  readonly aadObjectId?: string;
  /** The language they chose in the course, if any. */
  readonly language?: Language;
}

/**
 * The active roster, each with where they stand in the course (progress is keyed by Entra object id);
 * with `renewal`, those whose acknowledgement lapsed are renewal due rather than completed.
 */
export async function activePeople(course: Course, stores: PeopleStores, renewal?: RenewalClock): Promise<Person[]> {
  const progressOf = new Map(
    await stores.progress.scan(
      (p) => [p.userId.toLowerCase(), { status: memberStatus(course, p, renewal), language: p.language }] as const,
    ),
  );
  const people = await stores.roster.scan((m): Person | undefined => {
    if (!m.active) return undefined;
    const progress = m.aadObjectId ? progressOf.get(m.aadObjectId.toLowerCase()) : undefined;
    return {
      key: m.key,
      name: m.name,
      department: m.department,
      status: progress?.status ?? 'not-started',
      ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}),
      ...(progress?.language ? { language: progress.language } : {}),
    };
  });
  return people.filter((p) => p !== undefined);
}

/** Whether a campaign to `audience` reaches `person`; for a group, `group` holds its members' roster keys. */
export function inAudience(audience: Audience, person: Person, group?: ReadonlySet<string>): boolean {
  if (audience.kind === 'needs-reacknowledge') return person.status === 'needs-reacknowledge';
  if (audience.kind === 'not-finished') return person.status !== 'completed';
  if (audience.leaveOutCompleted === true && person.status === 'completed') return false;
  if (audience.kind === 'group') return group?.has(person.key) === true;
  return audience.kind === 'everyone' || audience.departments.includes(person.department);
}

/** How many people a campaign to `audience` leaves out because they completed the current version. */
export function completedLeftOut(audience: Audience, people: readonly Person[], group?: ReadonlySet<string>): number {
  if (audience.kind === 'needs-reacknowledge' || audience.kind === 'not-finished') return 0;
  if (!audience.leaveOutCompleted) return 0;
  const all = { ...audience, leaveOutCompleted: undefined };
  return people.filter((p) => p.status === 'completed' && inAudience(all, p, group)).length;
}
