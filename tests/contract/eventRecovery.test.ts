import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course, Lesson, Question } from '../../src/domain/course/course.js';
import { CourseService } from '../../src/domain/course/courseService.js';
import { emptyProgress, type Answer, type Progress } from '../../src/domain/course/progress.js';
import { minuteOf } from '../../src/storage/azure/changeLog.js';
import { openAzureStores, tableOn, TablesConnection } from '../../src/storage/azure/stores.js';
import { connectionStringTo, startAzurite, uniquePrefix, type Azurite } from '../support/azurite.js';
import { FaultProxy } from '../support/faultProxy.js';
import { startHarness } from '../support/harness.js';
import { loadCourse } from '../support/hrFixtures.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite?.stop());

const DAY_MS = 86_400_000;

/** The answer that picks a question's first choice, given this morning at nine. */
function firstChoice(course: Course, lesson: Lesson, question: Question): Answer {
  const choice = question.choices[0]!;
  return {
    questionId: question.id,
    choiceId: choice.id,
    correct: choice.correct === true,
    at: '2026-11-07T09:00:00Z',
    version: course.version,
    revision: lesson.revision,
  };
}

/** An instance started on the tables through a counting proxy, once it has logged its start-up recovery. */
async function startRecovering(prefix: string) {
  const proxy = await FaultProxy.start(azurite.endpoint, 1, prefix);
  const connectionString = connectionStringTo(proxy.url);
  const h = await startHarness({
    stores: await openAzureStores({ connectionString }, prefix),
    clock: { now: () => new Date('2026-11-07T10:00:00Z') },
    env: {
      POSTWISE_STORE: 'azure-tables',
      POSTWISE_TABLES_CONNECTION_STRING: connectionString,
      POSTWISE_TABLE_PREFIX: prefix,
    },
  });
  const deadline = Date.now() + 20_000;
  const line = () => h.log.lines.find((l) => l.includes('"event":"events.recovered"'));
  while (!line()) {
    if (Date.now() > deadline) {
      await h.close();
      await proxy.close();
      throw new Error('no events.recovered line');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proxy, h, recovered: JSON.parse(line() as string) as unknown };
}

describe('event recovery at start on Azure Tables (Azurite)', () => {
  it('recovers the events of answers written within the last day, reading only those people’s events', async () => {
    const prefix = uniquePrefix();
    const account = { connectionString: azurite.connectionString };
    const course = await loadCourse();
    const lesson = course.lessons[0]!;
    const question = lesson.questions[0]!;
    const answer = firstChoice(course, lesson, question);
    // Both answers were stored, and the process stopped before their events were appended: one two days
    // ago (its change announced then), one just now.
    const stores = await openAzureStores(account, prefix);
    await stores.progress.openLesson('recent', lesson.id, answer.at, lesson.revision);
    await stores.progress.recordAnswer('recent', answer);
    await stores.close();
    const connection = new TablesConnection(account, prefix);
    const old: Progress = { ...emptyProgress('old'), lessonsOpened: [lesson.id], answers: { [question.id]: answer } };
    await tableOn(connection, 'progress').update('old', () => old);
    const twoDaysAgo = Date.now() - 2 * DAY_MS;
    await connection.client('changes').createEntity({
      partitionKey: minuteOf(twoDaysAgo),
      rowKey: 'old',
      at: twoDaysAgo,
      writer: 'gone',
      keys: JSON.stringify([['progress', 'old']]),
    });

    const { proxy, h, recovered } = await startRecovering(prefix);
    try {
      expect(recovered).toMatchObject({ count: 1, employees: 1 });
      // One read of that person's events and one append: never a read of the whole log.
      expect(proxy.tally.now().byTable.events).toBe(2);
      expect((await h.stores.events.list({ userId: 'recent' })).map((e) => e.type)).toEqual(['answered']);
      expect(await h.stores.events.list({ userId: 'old' })).toEqual([]);
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('looks up only the events a colleague with a long history wrote within the day, not all they did', async () => {
    const prefix = uniquePrefix();
    const account = { connectionString: azurite.connectionString };
    const course = await loadCourse();
    const [earlier, later] = [course.lessons.slice(0, -1), course.lessons.at(-1)!];
    // Weeks ago they took every lesson but the last, each answer's event appended.
    const stores = await openAzureStores(account, prefix);
    const then = new CourseService({ en: course, nl: course }, stores.progress, stores.events, {
      now: () => new Date('2026-10-01T09:00:00Z'),
    });
    for (const lesson of earlier) {
      await then.openLesson('veteran', lesson.id);
      for (const q of lesson.questions) await then.answer('veteran', q.id, q.choices[0]!.id);
    }
    // Today one more answer was stored, and the process stopped before its event was appended.
    const question = later.questions[0]!;
    await stores.progress.openLesson('veteran', later.id, '2026-11-07T09:00:00Z', later.revision);
    await stores.progress.recordAnswer('veteran', firstChoice(course, later, question));
    const history = (await stores.events.list({ userId: 'veteran' })).length;
    expect(history).toBeGreaterThanOrEqual(10);
    await stores.close();

    const { proxy, h, recovered } = await startRecovering(prefix);
    try {
      expect(recovered).toMatchObject({ count: 1, employees: 1 });
      const recovery = proxy.tally.now();
      await h.stores.events.list({ userId: 'veteran' });
      const listing = proxy.tally.since(recovery);
      // What recovery read of the events is a fraction of their history, which a listing returns whole.
      const read = recovery.bytesOutByTable?.events ?? 0;
      expect(read * 4).toBeLessThan(listing.bytesOutByTable?.events ?? 0);
      const types = (await h.stores.events.list({ userId: 'veteran' })).map((e) => e.type);
      expect(types).toHaveLength(history + 1);
      expect(types.at(-1)).toBe('answered');
    } finally {
      await h.close();
      await proxy.close();
    }
  });
});
