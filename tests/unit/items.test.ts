import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LanguagePack } from '../../src/cards/languagePack.js';
import { itemsCard } from '../../src/cards/itemCards.js';
import { CardTemplates } from '../../src/cards/templates.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { LANGUAGES, type Course } from '../../src/domain/course/course.js';
import type { ProgressStore } from '../../src/domain/course/ports.js';
import { CoverageIndex } from '../../src/domain/figures/coverageIndex.js';
import type { ItemStatistics } from '../../src/domain/items/itemAnalysis.js';
import { ItemService } from '../../src/domain/items/itemService.js';
import { indexedStores } from '../../src/storage/indexedStores.js';
import { memoryStores } from '../../src/storage/memory.js';
import { cardProblems, TEAMS_MESSAGE_LIMIT } from '../support/cardSchema.js';
import { cardText } from '../support/harness.js';
import { madeUpCourse } from '../support/madeUpCourse.js';
import { shippedContent } from '../support/shippedContent.js';

/** l1 was revised (revision 2): answers given on revision 1 no longer count. */
const course = madeUpCourse([
  {
    id: 'l1',
    revision: 2,
    questions: [
      { id: 'q1', choices: ['a', 'b', 'c', 'd'], right: 'a' },
      { id: 'q2', choices: ['a', 'b', 'c'], right: 'b' },
    ],
  },
  {
    id: 'l2',
    questions: [
      { id: 'q3', choices: ['a', 'b'], right: 'a' },
      { id: 'q4', choices: ['a', 'b'], right: 'a' },
    ],
  },
]);

type Picks = Record<string, string>;

/** Records these first tries through the store, on the lessons' current revisions unless told. */
type Store = Pick<ProgressStore, 'recordAnswer'>;

async function answer(store: Store, c: Course, userId: string, picks: Picks, revision?: number) {
  for (const [questionId, choiceId] of Object.entries(picks)) {
    const lesson = c.lessons.find((l) => l.questions.some((q) => q.id === questionId));
    const question = lesson?.questions.find((q) => q.id === questionId);
    const correct = question?.choices.find((x) => x.id === choiceId)?.correct ?? false;
    const at = '2026-11-02T09:00:00.000Z';
    await store.recordAnswer(userId, {
      questionId,
      choiceId,
      correct,
      at,
      version: c.version,
      revision: revision ?? lesson?.revision ?? 1,
    });
  }
}

/**
 * 21 people whose first tries count, and one whose answers were given on l1's revision 1:
 * A  9 × q1 a✓ q2 b✓ q3 a✓ (five of them also q4 a✓; one first answered q1 b on revision 1, now in `earlier`)
 * B  4 × q1 a✓ q2 a✗ q3 a✓
 * C  3 × q1 b✗ q2 b✓ q3 a✓
 * D  3 × q1 c✗ q2 c✗ q3 a✓
 * E  1 × q1 b✗ q2 b✓ q3 b✗
 * F  1 × q1 a✓ only (no rest score: counts for q1's facility and shares, not its discrimination)
 * G  1 × q1 a, q2 b on revision 1 only: counts nowhere
 */
async function seedOffice(store: Store, from = 0, to = Infinity): Promise<void> {
  const people: [string, Picks, number?][] = [];
  for (let i = 0; i < 9; i++) {
    people.push([`a${i}`, { q1: 'a', q2: 'b', q3: 'a', ...(i < 5 ? { q4: 'a' } : {}) }]);
  }
  for (let i = 0; i < 4; i++) people.push([`b${i}`, { q1: 'a', q2: 'a', q3: 'a' }]);
  for (let i = 0; i < 3; i++) people.push([`c${i}`, { q1: 'b', q2: 'b', q3: 'a' }]);
  for (let i = 0; i < 3; i++) people.push([`d${i}`, { q1: 'c', q2: 'c', q3: 'a' }]);
  people.push(['e0', { q1: 'b', q2: 'b', q3: 'b' }], ['f0', { q1: 'a' }], ['g0', { q1: 'a', q2: 'b' }, 1]);
  if (from === 0) await answer(store, course, 'a0', { q1: 'b' }, 1);
  for (const [userId, picks, revision] of people.slice(from, to)) await answer(store, course, userId, picks, revision);
}

const shares = (s: ItemStatistics | undefined) =>
  s?.figures?.choices.map((c) => [c.id, Number(c.share.toFixed(3)), c.correct]);

/**
 * Worked by hand (x = right on the question, y = share right on the person's other questions):
 * q2: 20 answer, 13 right: facility 0.65. Pairs (x,y): A 9×(1,1), B 4×(0,1), C 3×(1,.5), D 3×(0,.5), E (1,0).
 *     n 20, Σx 13, Σy 16, Σxy 10.5, Σy² 14.5:
 *     r = (20·10.5 − 13·16) / √((20·13 − 13²)(20·14.5 − 16²)) = 2/√(91·34) = 0.036.
 * q1: 21 answer (F too), 14 right: 0.667; a 14/21, b 4/21 = 0.190, c 3/21 = 0.143, d none.
 *     Pairs without F: A 9×(1,1), B 4×(1,.5), C 3×(0,1), D 3×(0,.5), E (0,.5);
 *     n 20, Σx 13, Σy 16, Σxy 11, Σy² 14:
 *     r = (220 − 208) / √(91·(280 − 256)) = 12/√2184 = 0.257.
 * q3: 20 answer, 19 right: 0.95; b picked by 1 in 20 = 5 %, not under it.
 *     Pairs: A 9×(1,1), B 4×(1,.5), C 3×(1,.5), D 3×(1,0), E (0,.5);
 *     n 20, Σx 19, Σy 13, Σxy 12.5, Σy² 11:
 *     r = (250 − 247) / √((380 − 361)(220 − 169)) = 3/√969 = 0.096.
 * q4: 5 answer: too few.
 */
function expectOffice(statistics: ItemStatistics[]): void {
  expect(statistics.map((s) => s.id)).toEqual(['q2', 'q1', 'q3', 'q4']);
  const [q2, q1, q3, q4] = statistics;
  expect(q2?.answerers).toBe(20);
  expect(q2?.figures?.facility).toBeCloseTo(0.65, 3);
  expect(q2?.figures?.discrimination).toBeCloseTo(0.036, 3);
  expect(shares(q2)).toEqual([
    ['a', 0.2, false],
    ['b', 0.65, true],
    ['c', 0.15, false],
  ]);
  expect(q2?.figures?.flags).toEqual(['no-discrimination']);

  expect(q1?.answerers).toBe(21);
  expect(q1?.lessonId).toBe('l1');
  expect(q1?.figures?.facility).toBeCloseTo(0.667, 3);
  expect(q1?.figures?.discrimination).toBeCloseTo(0.257, 3);
  expect(shares(q1)).toEqual([
    ['a', 0.667, true],
    ['b', 0.19, false],
    ['c', 0.143, false],
    ['d', 0, false],
  ]);
  expect(q1?.figures?.flags).toEqual(['unused-distractor:d']);

  expect(q3?.answerers).toBe(20);
  expect(q3?.figures?.facility).toBeCloseTo(0.95, 3);
  expect(q3?.figures?.discrimination).toBeCloseTo(0.096, 3);
  expect(shares(q3)).toEqual([
    ['a', 0.95, true],
    ['b', 0.05, false],
  ]);
  expect(q3?.figures?.flags).toEqual(['easy', 'no-discrimination']);

  expect(q4).toEqual({ id: 'q4', lessonId: 'l2', answerers: 5 });
}

describe('item analysis', () => {
  it('works out facility, discrimination, shares and flags from current first tries, weakest first', async () => {
    const stores = memoryStores();
    await seedOffice(stores.progress);
    expectOffice(await new ItemService(course, stores.progress).statistics());
  });

  it('keeps the same figures in the coverage index, built from the store and then told of each answer', async () => {
    const index = new CoverageIndex(course);
    const stores = indexedStores(memoryStores(), index);
    await seedOffice(stores.progress, 0, 10);
    await index.refresh(stores);
    await seedOffice(stores.progress, 10);
    const service = new ItemService(course, stores.progress, index);
    expectOffice(await service.statistics());
    // The person whose answers were on the old revision answers again: now they count (q1: 15 of 22 right).
    await answer(stores.progress, course, 'g0', { q1: 'a' });
    const q1 = (await service.statistics()).find((s) => s.id === 'q1');
    expect(q1?.answerers).toBe(22);
    expect(q1?.figures?.facility).toBeCloseTo(0.682, 3);
  });

  it('has no discrimination where either score does not vary, and no figures below 20 answerers', async () => {
    const stores = memoryStores();
    // 20 people: q3 right for all; q1 a for ten, b for ten; q2 b for the first 19 only.
    // q3: x never varies → no discrimination, and no "no-discrimination" flag; b unpicked.
    // q1: everyone's rest score is 1 (q2 and q3 right) → none either; c and d unpicked.
    for (let i = 0; i < 20; i++) {
      const q2: Picks = i < 19 ? { q2: 'b' } : {};
      await answer(stores.progress, course, `p${i}`, { q1: i < 10 ? 'a' : 'b', q3: 'a', ...q2 });
    }
    const statistics = await new ItemService(course, stores.progress).statistics();
    const figures = statistics.map((s) => {
      const f = s.figures;
      return [s.id, f?.facility ?? null, f?.discrimination, f?.flags];
    });
    expect(figures).toEqual([
      ['q1', 0.5, null, ['unused-distractor:c', 'unused-distractor:d']],
      ['q3', 1, null, ['easy', 'unused-distractor:b']],
      ['q2', null, undefined, undefined],
      ['q4', null, undefined, undefined],
    ]);
    expect(statistics[2]?.answerers).toBe(19);
  });
});

describe('the question statistics card', () => {
  it.each(LANGUAGES)('is valid Adaptive Cards 1.5, under 40 KB, with 40 questions of 4 choices (%s)', async (l) => {
    const language = l;
    const lessons = Array.from({ length: 10 }, (_, l) => ({
      id: `lesson-${l}`,
      questions: Array.from({ length: 4 }, (__, q) => ({
        id: `question-${l}-${q}`,
        choices: ['a', 'b', 'c', 'd'],
        right: 'a',
        textLength: 300,
      })),
    }));
    const big = madeUpCourse(lessons);
    const stores = memoryStores();
    // Everyone right everywhere: every question easy with three unused choices, the longest flags.
    const all = Object.fromEntries(big.lessons.flatMap((l) => l.questions.map((q) => [q.id, 'a'])));
    for (let i = 0; i < 20; i++) await answer(stores.progress, big, `p${i}`, all);
    const statistics = await new ItemService(big, stores.progress).statistics();
    expect(statistics.every((s) => s.figures?.flags.length === 4)).toBe(true);
    const templates = await CardTemplates.load(path.join(PROJECT_ROOT, 'cards'));
    const content = await shippedContent();
    const cards = new LanguagePack(
      templates,
      { ...big, language },
      content.ui[language],
      'https://example.com/policy',
      'Europe/Amsterdam',
    );
    const card = itemsCard(cards, statistics);
    expect(cardProblems(card)).toEqual([]);
    const unused = language === 'en' ? 'Hardly picked (under 5%): “' : 'Bijna nooit gekozen (minder dan 5%): “';
    expect(cardText(card)).toContain(unused);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(TEAMS_MESSAGE_LIMIT);
  });
});
