import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course/course.js';
import { TEAMS_MESSAGE_LIMIT, validCards } from '../support/cardSchema.js';
import { cardText, shown, startHarness, type BotHarness } from '../support/harness.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';
import { loadCourse, rosterMember } from '../support/hrFixtures.js';

let course: Course;
let h: BotHarness;

beforeAll(async () => {
  course = await loadCourse();
});
beforeEach(async () => {
  h = await startHarness({ env: { POSTWISE_HR_USERS: HR_ID } });
});
afterEach(() => h.close());

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

type Card = Record<string, unknown>;

function element(card: Card, type: string): Record<string, unknown> | undefined {
  return (card.body as Card[]).find((e) => e.type === type);
}

/** The chart's bars as "label: percent". */
function bars(card: Card): string[] {
  const chart = element(card, 'Chart.HorizontalBar') as { data: { x: string; y: number }[] } | undefined;
  return (chart?.data ?? []).map((d) => `${d.x.split(' · ')[0]}: ${d.y}`);
}

function departmentChoices(card: Card): { title: string; value: string }[] {
  return (element(card, 'Input.ChoiceSet') as { choices: { title: string; value: string }[] }).choices;
}

/** An active (unless told) roster member who answered the given questions first time, right or wrong. */
async function person(
  name: string,
  department: string,
  answers: Record<string, boolean>,
  active = true,
): Promise<void> {
  const aad = randomUUID();
  await h.stores.roster.put(rosterMember(name, { department, aad, active }));
  await answer(aad, answers);
}

async function answer(userId: string, answers: Record<string, boolean>): Promise<void> {
  for (const [questionId, correct] of Object.entries(answers)) {
    const lesson = course.lessons.find((l) => l.questions.some((q) => q.id === questionId));
    const choice = lesson?.questions.find((q) => q.id === questionId)?.choices.find((c) => c.correct === correct);
    if (!lesson || !choice) throw new Error(`no ${correct ? 'right' : 'wrong'} choice for ${questionId}`);
    const at = '2026-11-01T09:00:00.000Z';
    const { revision } = lesson;
    await h.stores.progress.recordAnswer(userId, {
      questionId,
      choiceId: choice.id,
      correct,
      at,
      version: course.version,
      revision,
    });
  }
}

/**
 * Finance: six people. office-photo-whiteboard (G1) right for three; journalist-asks (G3) right
 * for all; lunch-news (G1 and G19) right for the first five. Warehouse: four people, G1 right and
 * G3 wrong. Someone who left, and someone never on the roster, answered everything wrong.
 */
async function buildOffice(): Promise<void> {
  for (let i = 1; i <= 6; i += 1) {
    await person(`Finance ${i}`, 'Finance', {
      'office-photo-whiteboard': i <= 3,
      'journalist-asks': true,
      ...(i <= 5 ? { 'lunch-news': true } : {}),
    });
  }
  for (let i = 1; i <= 4; i += 1)
    await person(`Warehouse ${i}`, 'Warehouse', { 'office-photo-whiteboard': true, 'journalist-asks': false });
  const wrong = { 'office-photo-whiteboard': false, 'journalist-asks': false, 'lunch-news': false };
  await person('Gone Away', 'Finance', wrong, false);
  await answer(randomUUID(), wrong);
}

describe('understanding by guideline', () => {
  it('shows the first-try correct rate per guideline, weakest first, counting a question for every guideline it covers', async () => {
    await buildOffice();
    const card = only(validCards(await hrUser(h, 'en-GB').say('understanding')).cards);
    // G1: 3 of 6 + 4 of 4 + 5 of 5 = 12 of 15; G3: 6 of 6 + 0 of 4 = 6 of 10; G19: 5 of 5.
    expect(bars(card)).toEqual(['G3: 60', 'G1: 80', 'G19: 100']);
    const text = cardText(card);
    expect(text).toContain('Understanding by guideline');
    expect(text).toContain('Everyone on the roster');
    expect(text).toContain('G3 · Who speaks for');
    expect(text).toContain('60% right first time: 6 of 10 answers, from 10 people');
    expect(text).toContain('80% right first time: 12 of 15 answers, from 10 people');
    expect(text).toContain('100% right first time: 5 of 5 answers, from 5 people');
    // Nobody answered a question on G2 or P1: named, with no figure.
    expect(text).toMatch(/fewer than 5 people have answered their questions: .*\bG2\b.*\bP1\b/);
    const fallback = (element(card, 'Chart.HorizontalBar') as { fallback: { text: string } }).fallback.text;
    expect(fallback).toBe('G3: 60% · G1: 80% · G19: 100%');
  });

  it('filters by department, and shows no figure for a department of fewer than five who answered', async () => {
    await buildOffice();
    const hr = hrUser(h, 'en-GB');
    const everyone = only(validCards(await hr.say('understanding')).cards);
    const choices = departmentChoices(everyone);
    expect(choices.map((c) => c.title)).toEqual(['All departments', 'Finance', 'Warehouse']);

    const finance = validCards(await hr.press(everyone, 'understanding', { department: choices[1]?.value ?? '' })).body
      .value as Card;
    // Finance alone: G1 8 of 11, G3 6 of 6, G19 5 of 5 (a tie goes in course order).
    expect(bars(finance)).toEqual(['G1: 73', 'G19: 100', 'G3: 100']);
    expect(cardText(finance)).toContain('Department: Finance');
    expect((element(finance, 'Input.ChoiceSet') as { value: string }).value).toBe(choices[1]?.value);

    const warehouse = validCards(await hr.press(finance, 'understanding', { department: choices[2]?.value ?? '' })).body
      .value as Card;
    const text = cardText(warehouse);
    expect(text).toContain('Department: Warehouse');
    expect(text).toContain('Figures appear once at least 5 people here have answered');
    expect(element(warehouse, 'Chart.HorizontalBar')).toBeUndefined();
    expect(text).not.toMatch(/\d+%|right first time/);

    const back = validCards(await hr.press(warehouse, 'understanding', { department: 'all' })).body.value as Card;
    expect(bars(back)).toEqual(['G3: 60', 'G1: 80', 'G19: 100']);
  });

  it('shows everyone, with a notice, for a department no longer on the roster', async () => {
    await buildOffice();
    const result = validCards(await hrUser(h, 'en-GB').click('understanding', { department: 'd000000000000' }));
    const card = result.body.value as Card;
    expect(cardText(card)).toContain('That department is no longer on the roster');
    expect(bars(card)).toEqual(['G3: 60', 'G1: 80', 'G19: 100']);
  });

  it('shows no figure at all while fewer than five people on the roster answered', async () => {
    for (let i = 1; i <= 4; i += 1) await person(`Early ${i}`, 'Finance', { 'journalist-asks': true });
    const card = only(validCards(await hrUser(h, 'en-GB').say('understanding')).cards);
    expect(element(card, 'Chart.HorizontalBar')).toBeUndefined();
    expect(cardText(card)).toContain('Figures appear once at least 5 people here have answered');
    expect(cardText(card)).not.toContain('right first time');
  });

  it('speaks Dutch to a Dutch HR user, with the same figures', async () => {
    await buildOffice();
    const hr = hrUser(h, 'nl-NL');
    const card = only(validCards(await hr.say('begrip')).cards);
    expect(bars(card)).toEqual(['G3: 60', 'G1: 80', 'G19: 100']);
    const text = cardText(card);
    expect(text).toContain('Begrip per richtlijn');
    expect(text).toContain('Iedereen op het rooster');
    expect(text).toContain('60% in één keer goed: 6 van de 10 antwoorden, van 10 mensen');
    expect(departmentChoices(card).map((c) => c.title)).toEqual(['Alle afdelingen', 'Finance', 'Warehouse']);
    expect((element(card, 'Input.ChoiceSet') as { label: string }).label).toBe('Afdeling');
    const warehouse = validCards(
      await hr.press(card, 'understanding', { department: departmentChoices(card)[2]?.value ?? '' }),
    ).body.value as Card;
    expect(cardText(warehouse)).toContain('Afdeling: Warehouse');
    expect(cardText(warehouse)).toContain('Cijfers verschijnen zodra minstens 5 mensen hier hebben geantwoord');
  });

  it('is reached from the coverage card', async () => {
    await buildOffice();
    const hr = hrUser(h, 'en-GB');
    const coverage = only((await hr.say('coverage')).cards);
    const result = validCards(await hr.press(coverage, 'understanding'));
    expect(bars(only(result.cards))).toEqual(['G3: 60', 'G1: 80', 'G19: 100']);
  });

  it('stays a valid card under 40 KB with 200 departments with long names and every guideline shown', async () => {
    const every = Object.fromEntries(course.lessons.flatMap((l) => l.questions).map((q, i) => [q.id, i % 3 !== 0]));
    for (let i = 0; i < 200; i += 1) {
      const department = `Department ${String(i).padStart(3, '0')} ${'of regional logistics and planning '.repeat(3)}`;
      await person(`Person ${i}`, department, i < 5 ? every : {});
    }
    for (let i = 0; i < 5; i += 1) await person(`Finance ${i}`, 'Finance', every);
    const card = only(validCards(await hrUser(h, 'nl-NL').say('begrip')).cards);
    expect(bars(card)).toHaveLength(new Set(course.lessons.flatMap((l) => l.questions.flatMap((q) => q.covers))).size);
    // Departments with figures come first in the filter.
    expect(departmentChoices(card)[1]?.title).toBe('Finance');
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(TEAMS_MESSAGE_LIMIT);
  });

  it('is refused to someone who is not HR, with no figures', async () => {
    await buildOffice();
    const employee = h.user();
    const typed = await employee.say('understanding');
    expect(typed.texts).toEqual([expect.stringContaining('This is for HR')]);
    expect(typed.cards).toEqual([]);
    const pressed = await employee.click('understanding', { department: 'all' });
    expect(shown(pressed)).toContain('This is for HR');
    expect(pressed.cards).toEqual([]);
    const dutch = await h.user({ locale: 'nl-NL' }).say('begrip');
    expect(dutch.cards).toEqual([]);
    expect(dutch.texts).toHaveLength(1);
  });
});
