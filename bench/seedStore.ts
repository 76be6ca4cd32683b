import type { Course } from '../src/domain/course/course.js';
import type { Answer } from '../src/domain/course/progress.js';
import type { Stores } from '../src/storage/stores.js';
import { coursePath, pickChoice, seededRandom } from './coursePath.js';
import { conversationRefOf, employee, type Employee } from './teamsActivities.js';

/** An employee in the seeded store, how many steps of the course path they have taken and the questions they missed. */
export interface SeededEmployee {
  readonly employee: Employee;
  readonly stepsDone: number;
  readonly missed: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SEED_BATCH = 1000;

/**
 * Fills empty stores through their own API with `count` employees spread over the course:
 * each has a conversation reference and has taken 1 to all-but-one steps of the path.
 */
export async function seedStore(
  stores: Stores,
  options: { count: number; serviceUrl: string; course: Course; now: Date },
): Promise<SeededEmployee[]> {
  const path = coursePath(options.course);
  const random = seededRandom(20261102);
  const seeded: SeededEmployee[] = [];
  // Updates apply in call order per key and share shard writes, so they are awaited in batches.
  let writes: Promise<unknown>[] = [];
  for (let i = 0; i < options.count; i++) {
    if (i % SEED_BATCH === 0) {
      await Promise.all(writes);
      writes = [];
    }
    const person = employee(i, random() < 0.15 ? 'nl' : 'en');
    const stepsDone = 1 + Math.floor(random() * (path.length - 1));
    let at = options.now.getTime() - 14 * DAY_MS + Math.floor(random() * 10 * DAY_MS);
    const nextAt = () => new Date((at += 30_000 + Math.floor(random() * 120_000))).toISOString();
    writes.push(stores.conversations.put(person.userId, conversationRefOf(person, options.serviceUrl)));
    if (person.language === 'nl') writes.push(stores.progress.setLanguage(person.userId, 'nl', nextAt()));
    const missed: string[] = [];
    for (const step of path.slice(0, stepsDone)) {
      if (step.kind === 'open') {
        writes.push(stores.progress.openLesson(person.userId, step.lessonId, nextAt()));
      } else if (step.kind === 'answer') {
        const choiceId = pickChoice(step, random);
        const answer: Answer = {
          questionId: step.questionId,
          choiceId,
          correct: choiceId === step.correctChoice,
          at: nextAt(),
          version: options.course.version,
        };
        if (!answer.correct) missed.push(answer.questionId);
        writes.push(stores.progress.recordAnswer(person.userId, answer));
        writes.push(stores.events.append({ id: `${person.userId}/answered/${answer.questionId}`, type: 'answered', userId: person.userId, ...answer }));
      }
    }
    seeded.push({ employee: person, stepsDone, missed });
  }
  await Promise.all(writes);
  return seeded;
}
