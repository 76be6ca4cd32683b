import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT, type Config } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { parseRosterCsv } from '../src/directory/csvRoster.js';
import { CourseService } from '../src/domain/course/courseService.js';
import type { Question } from '../src/domain/course/course.js';
import type { RosterRow } from '../src/domain/roster/roster.js';
import { RosterService } from '../src/domain/roster/rosterService.js';
import { systemClock } from '../src/domain/time/clock.js';
import { lockStore } from '../src/storage/lowdb/storeLock.js';
import { openStores } from '../src/storage/open.js';

/** How many made-up employees answer the course: enough for figures, which need 5 people. */
export const DEMO_EMPLOYEES = 8;
const SAMPLE_ROSTER = path.join(PROJECT_ROOT, 'docs', 'sample-roster.csv');

/** The demo's own data file, in a folder `demo` beside the configured one, which it never touches. */
export function demoDataFile(dataFile: string): string {
  return path.join(path.dirname(dataFile), 'demo', path.basename(dataFile));
}

/** Made-up employees, plainly named so; 5 in Sales (a figure) and 3 in Support (too few for one). */
export function demoEmployees(): RosterRow[] {
  return Array.from({ length: DEMO_EMPLOYEES }, (_, i) => ({
    name: `Demo employee ${i + 1}`,
    email: `demo.employee.${i + 1}@example.com`,
    department: i < 5 ? 'Sales' : 'Support',
    role: i % 2 === 0 ? 'Account manager' : 'Support agent',
    aadObjectId: `00000000-0000-4000-8000-${String(900 + i + 1).padStart(12, '0')}`,
  }));
}

/**
 * Fills the demo data file, once, with the Playground's users (docs/sample-roster.csv) and the
 * demo employees' answers: the first six finish and acknowledge (with a few first tries wrong,
 * put right in the review), the last two stop after three lessons. Returns false if it was filled already.
 */
export async function seedDemo(config: Config, dataFile: string): Promise<boolean> {
  const lock = await lockStore(dataFile);
  if ('heldBy' in lock) throw new Error(`${dataFile} is in use by process ${lock.heldBy}: stop it first.`);
  // Made-up people belong in the demo's own file, never in shared tables: embedded, whatever POSTWISE_STORE says.
  const stores = await openStores({ kind: 'embedded' }, dataFile, systemClock.now());
  try {
    const employees = demoEmployees();
    const roster = new RosterService(stores.roster, systemClock);
    if ((await stores.roster.list()).some((m) => m.email === employees[0]?.email)) return false;
    const sample = parseRosterCsv(await readFile(SAMPLE_ROSTER)).rows.map((r) => r.row);
    await roster.apply([...sample, ...employees], 'csv');
    const content = await loadContent(config.contentDir, config.org, config.orgContentDir);
    const course = new CourseService(content.courses, stores.progress, stores.events, systemClock);
    for (const [i, employee] of employees.entries()) {
      await takeCourse(course, employee.aadObjectId as string, i, i < 6 ? Infinity : 3);
    }
    return true;
  } finally {
    await stores.close();
    await lock.release();
  }
}

/** Employee `n` takes the course up to `lessons` lessons; a finished course is acknowledged. */
async function takeCourse(course: CourseService, userId: string, n: number, lessons: number): Promise<void> {
  for (let asked = 0; asked < 1000; asked += 1) {
    const { step } = await course.state(userId);
    if (step.kind === 'lesson') {
      if (step.lessonIndex >= lessons) return;
      await course.openLesson(userId, step.lesson.id);
    } else if (step.kind === 'question') {
      // About one first try in four is wrong, a different one for each employee.
      const wrong = (n * 7 + asked * 3) % 4 === 0;
      await course.answer(userId, step.question.id, choice(step.question, !wrong));
    } else if (step.kind === 'review') {
      await course.answer(userId, step.question.id, choice(step.question, true), step.attempt);
    } else {
      if (step.kind === 'acknowledge') await course.acknowledge(userId, course.version);
      return;
    }
  }
  throw new Error(`${userId} did not get through the course`);
}

function choice(question: Question, correct: boolean): string {
  const found = question.choices.find((c) => c.correct === correct);
  if (!found) throw new Error(`${question.id} has no ${correct ? 'right' : 'wrong'} choice`);
  return found.id;
}
