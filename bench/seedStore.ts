import { readFile } from 'node:fs/promises';
import type { Course } from '../src/domain/course/course.js';
import { answeredEvent } from '../src/domain/course/courseService.js';
import type { CourseEvent } from '../src/domain/course/events.js';
import { emptyProgress, type Answer, type Progress } from '../src/domain/course/progress.js';
import { EventFile } from '../src/storage/lowdb/eventFile.js';
import { ShardSet } from '../src/storage/lowdb/shardedTable.js';
import { openLowdbStores, storeFiles } from '../src/storage/lowdb/stores.js';
import type { ConversationRef } from '../src/domain/conversations/ports.js';
import { coursePath, pickChoice, seededRandom } from './coursePath.js';
import { conversationRefOf, employee, type Employee } from './teamsActivities.js';

/** An employee in the seeded store, how many steps of the course path they have taken and the questions they missed. */
export interface SeededEmployee {
  readonly employee: Employee;
  readonly stepsDone: number;
  readonly missed: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SEED_BATCH = 2000;

/**
 * Fills a new embedded store at `dataFile` with `count` employees spread over the course: each
 * has a conversation reference and has taken 1 to all-but-one steps of the path. Writes each
 * employee's final progress record once (the records the course's own updates would leave)
 * and their 'answered' events, so that 100,000 employees take seconds, not many minutes.
 */
export async function seedStore(
  dataFile: string,
  options: { count: number; serviceUrl: string; course: Course; now: Date },
): Promise<SeededEmployee[]> {
  // Creates the store's layout file, as the server would on first start.
  await (await openLowdbStores(dataFile, options.now)).close();
  const files = storeFiles(dataFile);
  const { shards } = JSON.parse(await readFile(files.meta, 'utf8')) as { shards: number };
  const set = await ShardSet.open(files.shards, shards);
  const events = await EventFile.open(files.events);
  const progressTable = set.table<Progress>('progress');
  const conversations = set.table<ConversationRef>('conversations');

  const path = coursePath(options.course);
  // Opened lessons and answers carry the lesson's revision, as the course records them; older ones count as not done.
  const revisionOf = new Map(options.course.lessons.map((l) => [l.id, l.revision]));
  const random = seededRandom(20261102);
  const seeded: SeededEmployee[] = [];
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
    const lessonsOpened: string[] = [];
    const lessonRevisions: Record<string, number> = {};
    const answers: Record<string, Answer> = {};
    let progress: Progress = emptyProgress(person.userId);
    if (person.language === 'nl') progress = { ...progress, language: 'nl', lastActivityAt: nextAt() };
    const missed: string[] = [];
    const answered: CourseEvent[] = [];
    for (const step of path.slice(0, stepsDone)) {
      if (step.kind === 'open') {
        lessonsOpened.push(step.lessonId);
        lessonRevisions[step.lessonId] = revisionOf.get(step.lessonId) ?? 1;
        progress = { ...progress, lastActivityAt: nextAt() };
      } else if (step.kind === 'answer') {
        const choiceId = pickChoice(step, random);
        const answer: Answer = {
          questionId: step.questionId,
          choiceId,
          correct: choiceId === step.correctChoice,
          at: nextAt(),
          version: options.course.version,
          revision: lessonRevisions[lessonsOpened.at(-1) ?? ''] ?? 1,
        };
        if (!answer.correct) missed.push(answer.questionId);
        answers[answer.questionId] = answer;
        progress = { ...progress, lastActivityAt: answer.at };
        answered.push(answeredEvent(person.userId, answer));
      }
    }
    const record: Progress = { ...progress, lessonsOpened, lessonRevisions, answers };
    writes.push(conversations.update(person.userId, () => conversationRefOf(person, options.serviceUrl)));
    writes.push(progressTable.update(person.userId, () => record));
    for (const event of answered) writes.push(events.append(event));
    seeded.push({ employee: person, stepsDone, missed });
  }
  await Promise.all(writes);
  await Promise.all([set.close(), events.close()]);
  return seeded;
}
