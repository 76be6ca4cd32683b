import { describe, expect, it } from 'vitest';
import type { Course } from '../../../src/domain/course/course.js';
import { CourseService } from '../../../src/domain/course/courseService.js';
import type { EventLog } from '../../../src/domain/course/ports.js';
import { StoreUnavailable } from '../../../src/domain/storeUnavailable.js';
import { memoryStores } from '../../../src/storage/memory.js';

const course: Course = {
  language: 'en',
  version: 'v1',
  versionName: '2026-12-07',
  title: 'Test course',
  intro: 'intro',
  minutes: 5,
  summary: ['one'],
  lessons: [
    {
      id: 'l1',
      revision: 1,
      title: 'L1',
      covers: ['G1'],
      body: 'b',
      takeaway: 'point',
      questions: ['q1', 'q2'].map((id) => ({
        id,
        covers: ['G1'],
        prompt: `${id}?`,
        choices: ['a', 'b'].map((c) => ({ id: c, text: c, correct: c === 'a', feedback: c })),
      })),
    },
  ],
};

/** The memory store's event log, with the store not answering in time while `down` is set. */
function flakyEvents(log: EventLog): EventLog & { down: boolean } {
  return {
    down: false,
    append(event) {
      if (this.down) return Promise.reject(new StoreUnavailable('events.append', 'deadline'));
      return log.append(event);
    },
    list: (filter) => log.list(filter),
    pages: (filter, size) => log.pages(filter, size),
  };
}

describe('events the store does not confirm in time', () => {
  it('wait, while the person gets the answer the progress store holds, and are appended once the store answers', async () => {
    const stores = memoryStores();
    const events = flakyEvents(stores.events);
    const service = new CourseService({ en: course, nl: course }, stores.progress, events, {
      now: () => new Date('2026-12-07T09:00:00Z'),
    });
    await service.openLesson('ann', 'l1');
    events.down = true;
    expect(await service.answer('ann', 'q1', 'a')).toMatchObject({ kind: 'recorded' });
    expect(await service.answer('ann', 'q2', 'b')).toMatchObject({ kind: 'recorded' });
    expect(await stores.events.list()).toEqual([]);
    expect(await service.appendLate()).toBe(2);

    events.down = false;
    expect(await service.appendLate()).toBe(0);
    const logged = await stores.events.list();
    expect(logged.map((e) => e.type)).toEqual(['answered', 'answered']);
    expect(logged.map((e) => (e as { questionId?: string }).questionId)).toEqual(['q1', 'q2']);
    expect(await service.appendLate()).toBe(0);
    expect(await stores.events.list()).toHaveLength(2);
  });
});
