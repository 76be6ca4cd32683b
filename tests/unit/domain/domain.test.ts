import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/domain/time/clock.js';
import type { Course, Question } from '../../../src/domain/course/course.js';
import { CourseService } from '../../../src/domain/course/courseService.js';
import { emptyProgress, lessonsDone, nextStep, score } from '../../../src/domain/course/progress.js';
import { grade } from '../../../src/domain/course/quiz.js';
import { workingMinutesBetween } from '../../../src/domain/time/workingHours.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stores } from '../../../src/storage/stores.js';
import { memoryStores } from '../../../src/storage/memory.js';
import { openLowdbStores, storeFiles } from '../../../src/storage/lowdb/stores.js';
import { useTempDirs } from '../../support/tempDirs.js';

const question = (id: string, correct: string): Question => ({
  id,
  covers: ['G1'],
  prompt: `${id}?`,
  choices: ['a', 'b', 'c'].map((c) => ({ id: c, text: c, correct: c === correct, feedback: `because ${c}` })),
});

const course = (version: string): Course => ({
  language: 'en',
  version,
  versionName: `2026-11-30 #${version}`,
  title: 'Test course',
  intro: 'intro',
  minutes: 5,
  summary: ['one', 'two', 'three'],
  lessons: [
    {
      id: 'l1',
      revision: 1,
      title: 'L1',
      covers: ['G1'],
      body: 'b',
      takeaway: 't',
      questions: [question('q1', 'b'), question('q2', 'a')],
    },
    { id: 'l2', revision: 1, title: 'L2', covers: ['G1'], body: 'b', takeaway: 't', questions: [question('q3', 'c')] },
  ],
});

const tempDir = useTempDirs('domain');

function setup(version = 'v1', stores: Stores = memoryStores()) {
  let t = Date.parse('2026-11-02T09:00:00Z');
  const clock: Clock = { now: () => new Date((t += 60_000)) };
  const c = course(version);
  return { stores, service: new CourseService({ en: c, nl: c }, stores.progress, stores.events, clock) };
}

describe('grading', () => {
  it('says whether a choice is right and which one is', () => {
    const q = question('q', 'b');
    expect(grade(q, 'b')).toMatchObject({ correct: true, correctChoice: { id: 'b' } });
    expect(grade(q, 'a')).toMatchObject({ correct: false, choice: { id: 'a' }, correctChoice: { id: 'b' } });
    expect(grade(q, 'z')).toBeUndefined();
  });
});

describe('next step and progress', () => {
  it('goes lesson, its questions, next lesson, acknowledgement', () => {
    const c = course('v1');
    let p = emptyProgress('u');
    expect(nextStep(c, p)).toMatchObject({ kind: 'lesson', lessonIndex: 0 });
    p = { ...p, lessonsOpened: ['l1'] };
    expect(nextStep(c, p)).toMatchObject({ kind: 'question', question: { id: 'q1' } });
    const answer = (questionId: string, correct: boolean) => ({
      questionId,
      choiceId: 'a',
      correct,
      at: 't',
      version: 'v1',
    });
    p = { ...p, answers: { q1: answer('q1', false), q2: answer('q2', true) } };
    expect(nextStep(c, p)).toMatchObject({ kind: 'lesson', lessonIndex: 1 });
    expect(lessonsDone(c, p)).toBe(1);
    expect(score(c, p)).toEqual({ correct: 1, answered: 2, total: 3 });
    p = { ...p, lessonsOpened: ['l1', 'l2'], answers: { ...p.answers, q3: answer('q3', true) } };
    // q1 was missed: it comes back, reshuffled, until it is answered correctly; then the acknowledgement.
    expect(nextStep(c, p)).toMatchObject({
      kind: 'review',
      question: { id: 'q1' },
      lesson: { id: 'l1' },
      attempt: 1,
      left: 1,
    });
    p = { ...p, reviews: { q1: [answer('q1', false)] } };
    expect(nextStep(c, p)).toMatchObject({ kind: 'review', question: { id: 'q1' }, attempt: 2, left: 1 });
    p = { ...p, reviews: { q1: [answer('q1', false), answer('q1', true)] } };
    expect(nextStep(c, p)).toEqual({ kind: 'acknowledge' });
    expect(score(c, p)).toEqual({ correct: 2, answered: 3, total: 3 });
    p = { ...p, acknowledgements: [{ version: 'v1', at: 't', correct: 2, total: 3 }] };
    expect(nextStep(c, p)).toMatchObject({ kind: 'complete' });
    expect(nextStep(course('v2'), p)).toEqual({ kind: 'acknowledge' });
  });
});

describe('the course service', () => {
  it('records the first answer with the content version, and keeps it on a replay', async () => {
    const { service, stores } = setup('v7');
    expect((await service.answer('u', 'q1', 'b')).kind).toBe('not-reached');
    await service.openLesson('u', 'l1');
    const first = await service.answer('u', 'q1', 'a');
    expect(first).toMatchObject({ kind: 'recorded', answer: { choiceId: 'a', correct: false, version: 'v7' } });
    const replay = await service.answer('u', 'q1', 'b');
    expect(replay).toMatchObject({ kind: 'replayed', answer: { choiceId: 'a', correct: false } });
    const events = await stores.events.list();
    expect(events).toEqual([
      expect.objectContaining({ type: 'answered', questionId: 'q1', choiceId: 'a', version: 'v7' }),
    ]);
  });

  it('rejects unknown questions and choices without storing anything', async () => {
    const { service, stores } = setup();
    await service.openLesson('u', 'l1');
    expect((await service.answer('u', 'nope', 'a')).kind).toBe('unknown-question');
    expect((await service.answer('u', 'q1', 'z')).kind).toBe('unknown-choice');
    expect((await stores.progress.get('u'))?.answers).toEqual({});
    expect(await stores.events.list()).toEqual([]);
  });

  it('opens lessons only in order', async () => {
    const { service } = setup();
    expect((await service.openLesson('u', 'l2')).kind).toBe('not-reached');
    expect((await service.openLesson('u', 'nope')).kind).toBe('unknown-lesson');
    expect((await service.openLesson('u', 'l1')).kind).toBe('opened');
  });

  it('records completion and acknowledgement with version, time and first-try score, once, after the missed question is reviewed', async () => {
    const { service, stores } = setup('v3');
    await service.openLesson('u', 'l1');
    await service.answer('u', 'q1', 'b');
    await service.answer('u', 'q2', 'c');
    expect((await service.acknowledge('u', 'v3')).kind).toBe('not-finished');
    await service.openLesson('u', 'l2');
    await service.answer('u', 'q3', 'c');
    expect((await service.acknowledge('u', 'v2')).kind).toBe('outdated-version');
    expect((await service.acknowledge('u', 'v3')).kind).toBe('reviews-left');
    expect((await service.state('u')).reviewsLeft).toBe(1);
    expect(await service.answer('u', 'q2', 'b', 1)).toMatchObject({
      kind: 'recorded',
      answer: { choiceId: 'b', correct: false },
    });
    expect(await service.answer('u', 'q2', 'a', 1)).toMatchObject({
      kind: 'replayed',
      answer: { choiceId: 'b', correct: false },
    });
    expect((await service.acknowledge('u', 'v3')).kind).toBe('reviews-left');
    expect(await service.answer('u', 'q2', 'a', 2)).toMatchObject({
      kind: 'recorded',
      answer: { choiceId: 'a', correct: true },
    });
    expect((await stores.progress.get('u'))?.answers.q2).toMatchObject({ choiceId: 'c', correct: false });
    const ack = await service.acknowledge('u', 'v3');
    expect(ack).toMatchObject({ kind: 'acknowledged', acknowledgement: { version: 'v3', correct: 2, total: 3 } });
    expect((await service.acknowledge('u', 'v3')).kind).toBe('replayed');
    const types = (await stores.events.list()).map((e) => `${e.type}:${e.version}`);
    expect(types).toEqual([
      'answered:v3',
      'answered:v3',
      'answered:v3',
      'reviewed:v3',
      'reviewed:v3',
      'completed:v3',
      'acknowledged:v3',
    ]);
    const state = await service.state('u');
    expect(state.step.kind).toBe('complete');
    expect(state.lessonsDone).toBe(2);
    expect(state.reviewsLeft).toBe(0);
  });

  it('lets simultaneous clicks on one question record one answer and one event', async () => {
    const { service, stores } = setup();
    await service.openLesson('u', 'l1');
    const outcomes = await Promise.all([
      service.answer('u', 'q1', 'a'),
      service.answer('u', 'q1', 'b'),
      service.answer('u', 'q1', 'c'),
    ]);
    expect(outcomes.filter((o) => o.kind === 'recorded')).toHaveLength(1);
    const chosen = new Set(outcomes.map((o) => ('answer' in o ? o.answer.choiceId : '')));
    expect(chosen.size).toBe(1);
    expect(await stores.events.list()).toHaveLength(1);
  });
});

describe('the event log', () => {
  it('gets one line per answer, review, completion and acknowledgement, however often they are replayed', async () => {
    const dataFile = path.join(await tempDir(), 'postwise.json');
    const { service, stores } = setup('v1', await openLowdbStores(dataFile, new Date(), 2));
    await service.openLesson('u', 'l1');
    await Promise.all(['a', 'b', 'c'].map((c) => service.answer('u', 'q1', c)));
    await service.answer('u', 'q1', 'b');
    await service.answer('u', 'q2', 'c');
    await service.openLesson('u', 'l2');
    await service.answer('u', 'q3', 'c');
    await service.answer('u', 'q3', 'a');
    const q1Missed = (await stores.progress.get('u'))?.answers.q1?.correct === false;
    if (q1Missed) await Promise.all([service.answer('u', 'q1', 'b', 1), service.answer('u', 'q1', 'b', 1)]);
    await Promise.all([service.answer('u', 'q2', 'a', 1), service.answer('u', 'q2', 'b', 1)]);
    await service.answer('u', 'q2', 'a', 1);
    if ((await stores.progress.get('u'))?.reviews?.q2?.[0]?.correct === false) await service.answer('u', 'q2', 'a', 2);
    const reviewed = (await stores.progress.get('u'))?.reviews?.q2?.length ?? 0;
    await Promise.all([service.acknowledge('u', 'v1'), service.acknowledge('u', 'v1')]);
    await service.acknowledge('u', 'v1');
    await stores.close();
    const lines = (await readFile(storeFiles(dataFile).events, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([
      'u/answered/q1',
      'u/answered/q2',
      'u/answered/q3',
      ...(q1Missed ? ['u/reviewed/q1/1'] : []),
      ...Array.from({ length: reviewed }, (_, i) => `u/reviewed/q2/${i + 1}`),
      'u/completed/v1',
      'u/acknowledged/v1',
    ]);
  });

  it('recovers at start-up the events of answers and acknowledgements stored without them, once', async () => {
    const { service, stores } = setup('v2');
    const answer = (questionId: string, choiceId: string, at: string, version = 'v2') => ({
      questionId,
      choiceId,
      correct: true,
      at,
      version,
    });
    // As a crash leaves them: stored, but their events never appended.
    await stores.progress.recordAnswer('done', answer('q1', 'b', '2026-11-02T09:01:00Z'));
    await stores.progress.recordAnswer('done', answer('q2', 'a', '2026-11-02T09:02:00Z'));
    await stores.progress.recordAnswer('done', answer('q3', 'c', '2026-11-02T09:03:00Z'));
    await stores.progress.recordAcknowledgement('done', {
      version: 'v2',
      at: '2026-11-02T09:04:00Z',
      correct: 3,
      total: 3,
    });
    await stores.progress.recordAnswer('half', answer('q1', 'a', '2026-11-02T09:01:00Z'));
    await stores.events.append({
      id: 'half/answered/q1',
      type: 'answered',
      userId: 'half',
      ...answer('q1', 'a', '2026-11-02T09:01:00Z'),
    });
    for (const q of ['q1', 'q2', 'q3'])
      await stores.progress.recordAnswer('old', answer(q, 'a', '2026-10-01T09:00:00Z', 'v1'));

    expect(await service.recoverEvents()).toBe(8);
    expect(await service.recoverEvents()).toBe(0);
    const events = await stores.events.list();
    expect(events.map((e) => e.id)).toEqual([
      'half/answered/q1',
      'done/answered/q1',
      'done/answered/q2',
      'done/answered/q3',
      'done/completed/v2',
      'done/acknowledged/v2',
      'old/answered/q1',
      'old/answered/q2',
      'old/answered/q3',
    ]);
    expect(events.find((e) => e.id === 'done/completed/v2')).toMatchObject({
      at: '2026-11-02T09:03:00Z',
      correct: 3,
      total: 3,
      version: 'v2',
    });
    expect(events.find((e) => e.id === 'done/acknowledged/v2')).toMatchObject({
      at: '2026-11-02T09:04:00Z',
      correct: 3,
      total: 3,
    });
  });
});

describe('working hours', () => {
  it('counts only Monday to Friday, 09:00–17:00 in the given time zone', () => {
    const zone = 'Europe/Amsterdam';
    // Friday 16:00 to Monday 10:00 Amsterdam time: one hour on Friday, one on Monday.
    expect(workingMinutesBetween(new Date('2026-11-06T15:00:00Z'), new Date('2026-11-09T09:00:00Z'), zone)).toBe(120);
    // A whole working day.
    expect(workingMinutesBetween(new Date('2026-11-02T08:00:00Z'), new Date('2026-11-02T16:00:00Z'), zone)).toBe(480);
    // The same instants are an hour earlier in London.
    expect(
      workingMinutesBetween(new Date('2026-11-02T08:00:00Z'), new Date('2026-11-02T16:00:00Z'), 'Europe/London'),
    ).toBe(420);
  });
});
