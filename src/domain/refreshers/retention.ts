import type { Course } from '../course/course.js';
import { addDays, localDate } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import type { RefresherStore } from './ports.js';

/** Fewest refresher answers a figure is shown for, overall or per lesson. */
export const MIN_ANSWERS = 5;
/** Days the retention figure looks back, today included. */
export const RETENTION_DAYS = 90;

export interface LessonRetention {
  readonly lessonId: string;
  readonly answered: number;
  readonly correct: number;
}

/** Refresher answers right on the first try over the last RETENTION_DAYS days. */
export interface Retention {
  readonly answered: number;
  readonly correct: number;
  /** Lessons with at least MIN_ANSWERS answers, in course order. */
  readonly lessons: readonly LessonRetention[];
  /** Lessons with answers, but fewer than MIN_ANSWERS. */
  readonly withheld: number;
}

/** The retention figure from the per-day counts: its cost follows the days, never the roster. */
export async function retention(
  course: Course,
  store: Pick<RefresherStore, 'days'>,
  clock: Clock,
  timeZone: string,
): Promise<Retention> {
  const today = localDate(clock.now(), timeZone);
  const days = await store.days(addDays(today, -(RETENTION_DAYS - 1)), today);
  const totals = new Map<string, [number, number]>();
  for (const day of days) {
    for (const [lessonId, [answered, correct]] of Object.entries(day.lessons)) {
      const sum = totals.get(lessonId) ?? [0, 0];
      totals.set(lessonId, [sum[0] + answered, sum[1] + correct]);
    }
  }
  const all = [...totals.values()];
  const lessons = course.lessons.flatMap((l) => {
    const [answered, correct] = totals.get(l.id) ?? [0, 0];
    return answered >= MIN_ANSWERS ? [{ lessonId: l.id, answered, correct }] : [];
  });
  return {
    answered: all.reduce((n, [a]) => n + a, 0),
    correct: all.reduce((n, [, c]) => n + c, 0),
    lessons,
    withheld: all.filter(([a]) => a > 0 && a < MIN_ANSWERS).length,
  };
}
