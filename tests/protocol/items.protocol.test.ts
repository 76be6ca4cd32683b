import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Course, Question } from '../../src/domain/course/course.js';
import { validCards } from '../support/cardSchema.js';
import { cardText, shown, startHarness, type BotHarness } from '../support/harness.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';
import { loadCourse } from '../support/hrFixtures.js';
import { answerFirst, officeQuestions, right, seedOffice as seedStoreOffice, wrong } from '../support/itemOffice.js';

let course: Course;
let h: BotHarness;

beforeAll(async () => {
  course = await loadCourse();
});
beforeEach(async () => {
  h = await startHarness({ env: { POSTWISE_HR_USERS: HR_ID } });
});
afterEach(() => h.close());

type Card = Record<string, unknown>;
interface Shown {
  prompt: string;
  line: string;
  facts: { title: string; value: string }[];
  flags?: string;
}

/** Each question the card shows, in its order. */
function questionsOf(card: Card): Shown[] {
  const containers = (card.body as Card[]).filter((e) => e.type === 'Container');
  return containers.map((c) => {
    const items = c.items as Card[];
    const facts = items.find((i) => i.type === 'FactSet')?.facts as Shown['facts'] | undefined;
    const flags = items.find((i) => i.color === 'Attention')?.text as string | undefined;
    const [prompt, line] = [items[0]?.text as string, items[1]?.text as string];
    return { prompt, line, facts: facts ?? [], ...(flags ? { flags } : {}) };
  });
}

const questions = () => course.lessons.flatMap((l) => l.questions);
const text = (q: Question, id: string) => q.choices.find((c) => c.id === id)?.text ?? '';
const pick = () => officeQuestions(course);
const answer = (userId: string, picks: [Question, string][]) => answerFirst(h.stores.progress, course, userId, picks);
const seedOffice = () => seedStoreOffice(h.stores.progress, course);

/** A text as the card shows it: prompts cut at 80 characters, choices named in a flag at 30. */
const onCard = (t: string, length = 30) => (t.length > length ? `${t.slice(0, length - 1)}…` : t);
const unused = (q: Question, from: number) => {
  const ids = wrong(q).slice(from);
  const named = ids.map((id) => `“${onCard(text(q, id))}”`).join(', ');
  return ids.length === 0 ? [] : [`Hardly picked (under 5%): ${named}.`];
};

describe('question statistics', () => {
  it('shows every question weakest first, with facility, discrimination, choice shares and flags', async () => {
    const [q1, q2, q3, q4] = await seedOffice();
    const card = validCards(await hrUser(h, 'en-GB').say('statistics')).cards[0] as Card;
    expect(cardText(card)).toContain('Question statistics');
    const shownQuestions = questionsOf(card);
    expect(shownQuestions).toHaveLength(questions().length);
    const [s2, s1, s3, s4] = shownQuestions;
    expect(s2?.prompt).toBe(onCard(q2.prompt, 80));
    expect(s2?.line).toMatch(/ · 20 answered · 65% right first time · discrimination 0\.04$/);
    expect(s2?.flags).toBe(['Discriminates poorly.', ...unused(q2, 2)].join(' '));

    expect(s1?.line).toMatch(/ · 21 answered · 67% right first time · discrimination 0\.26$/);
    const [w1 = '', w2 = ''] = wrong(q1);
    const percents: Record<string, string> = { [right(q1)]: '67%', [w1]: '19%', [w2]: '14%' };
    expect(s1?.facts.map((f) => f.title)).toEqual(q1.choices.map((c) => percents[c.id] ?? '0%'));
    const rightFact = s1?.facts[q1.choices.findIndex((c) => c.correct)];
    expect(rightFact?.value).toMatch(/^✓ .* \(right answer\)$/);
    expect(s1?.facts.filter((f) => f.value.includes('(right answer)'))).toHaveLength(1);
    expect(s1?.flags).toBe(unused(q1, 2).join(' '));

    expect(s3?.line).toMatch(/ · 20 answered · 95% right first time · discrimination 0\.10$/);
    const flags3 = ['Easy: over 90% right first time.', 'Discriminates poorly.', ...unused(q3, 1)];
    expect(s3?.flags).toBe(flags3.join(' '));

    expect(s4?.prompt.startsWith(q4.prompt.slice(0, 40))).toBe(true);
    expect(s4?.line).toMatch(/ · 5 answered: too few answers \(figures from 20\)$/);
    expect(s4?.facts).toEqual([]);
    expect(s4?.flags).toBeUndefined();
  });

  it('shows no figures for a question fewer than 20 people answered', async () => {
    const [q1] = pick();
    for (let i = 0; i < 19; i++) await answer(randomUUID(), [[q1, right(q1)]]);
    const card = validCards(await hrUser(h, 'en-GB').say('stats')).cards[0] as Card;
    const first = questionsOf(card).find((s) => s.line.includes('19 answered'));
    expect(first?.line).toMatch(/ · 19 answered: too few answers \(figures from 20\)$/);
    expect(first?.facts).toEqual([]);
    expect(cardText(card)).not.toMatch(/right first time ·|\(right answer\)/);
    await answer(randomUUID(), [[q1, right(q1)]]);
    const now = questionsOf(validCards(await hrUser(h, 'en-GB').say('stats')).cards[0] as Card)[0];
    expect(now?.line).toMatch(/ · 20 answered · 100% right first time · discrimination not measurable$/);
  });

  it('speaks Dutch to a Dutch HR user, and opens from the understanding card', async () => {
    await seedOffice();
    const hr = hrUser(h, 'nl-NL');
    const card = validCards(await hr.say('statistieken')).cards[0] as Card;
    expect(cardText(card)).toContain('Statistieken per vraag');
    const line = / · 21 keer beantwoord · 67% meteen goed · onderscheidend vermogen 0,26$/;
    expect(questionsOf(card)[1]?.line).toMatch(line);
    const understanding = validCards(await hr.say('begrip')).cards[0] as Card;
    const opened = validCards(await hr.press(understanding, 'statistics')).cards[0] as Card;
    expect(questionsOf(opened)).toEqual(questionsOf(card));
  });

  it('is refused to someone who is not HR, typed or pressed, with no figures', async () => {
    await seedOffice();
    const employee = h.user();
    const typed = await employee.say('statistics');
    expect(typed.texts).toEqual([expect.stringContaining('This is for HR')]);
    expect(typed.cards).toEqual([]);
    const pressed = await employee.click('statistics');
    expect(shown(pressed)).toContain('This is for HR');
    expect(pressed.cards).toEqual([]);
    const dutch = await h.user({ locale: 'nl-NL' }).say('statistieken');
    expect(dutch.cards).toEqual([]);
    expect(dutch.texts).toHaveLength(1);
  });
});
