import { describe, expect, it } from 'vitest';
import { fill } from '../../src/content/ui.js';
import { LANGUAGES } from '../../src/domain/course/course.js';
import { cardProblems } from '../support/cardSchema.js';
import { useShippedBot } from '../support/shippedBot.js';
import { actionsOf, cardText, ChannelMember, type TestUser } from '../support/harness.js';

const bot = useShippedBot();

/** Teams' (and the Agents Playground's, on every page load) pair of install announcements. */
async function announce(user: TestUser): Promise<Record<string, unknown>[]> {
  const first = await user.install();
  const second = await bot.h.post(user.activity({ type: 'installationUpdate', action: 'add' }));
  return [...first.cards, ...second.cards];
}

function only(cards: Record<string, unknown>[]): Record<string, unknown> {
  expect(cards).toHaveLength(1);
  expect(cardProblems(cards[0])).toEqual([]);
  return cards[0] as Record<string, unknown>;
}

describe.each(LANGUAGES)('an employee who comes back half-way, in %s', (language) => {
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';

  it('is welcomed back with the lessons done, what is next and a Continue button that leads there', async () => {
    const ui = bot.content.ui[language];
    const course = bot.content.courses[language];
    const user = bot.h.user({ locale });
    const welcome = only(await announce(user));
    expect(cardText(welcome)).toContain(fill(ui.welcomeTitle, { course: course.title }));

    // The first lesson and its questions (one right), then the second lesson's card.
    const first = course.lessons[0];
    if (!first) throw new Error('content/ has no lessons');
    let card = only((await user.press(welcome, 'start')).cards);
    card = only((await user.press(card, 'open')).cards);
    for (const [qi, question] of first.questions.entries()) {
      const pick = question.choices.find((c) => c.correct === (qi === 0));
      const result = await user.press(card, 'answer', { choice: pick?.id ?? '' });
      card = only((await user.press(result.body.value, 'next')).cards);
    }
    const nextLesson = course.lessons[1]?.title ?? '';
    expect(cardText(card)).toContain(nextLesson);

    const back = only(await announce(user));
    const text = cardText(back);
    expect(text).toContain(ui.welcomeBackTitle);
    expect(text).not.toContain(fill(ui.welcomeTitle, { course: course.title }));
    expect(text).toContain(fill(ui.welcomeBackIntro, { course: course.title }));
    expect(text).toContain(fill(ui.lessonsValue, { done: 1, total: course.lessons.length }));
    const left = course.lessons.reduce((n, l) => n + l.questions.length, 0) - first.questions.length;
    expect(text).toContain(fill(ui.answeredValue, { correct: 1, answered: first.questions.length, left }));
    expect(text).toContain(`${fill(ui.lessonOf, { n: 2, total: course.lessons.length })}: ${nextLesson}`);
    expect(actionsOf(back).find((a) => a.verb === 'next')?.title).toBe(ui.continue);

    const resumed = only((await user.press(back, 'next')).cards);
    expect(cardText(resumed)).toContain(nextLesson);
  });

  it('who only installed and did nothing gets the first-time welcome again', async () => {
    const ui = bot.content.ui[language];
    const user = bot.h.user({ locale });
    await announce(user);
    await user.say(language === 'nl' ? 'voortgang' : 'progress');
    const again = only(await announce(user));
    expect(cardText(again)).toContain(fill(ui.welcomeTitle, { course: bot.content.courses[language].title }));
  });

  it('who finished is thanked, with no Continue button', async () => {
    const ui = bot.content.ui[language];
    const course = bot.content.courses[language];
    const user = bot.h.user({ locale });
    let card = only((await user.say('start')).cards);
    for (const lesson of course.lessons) {
      card = only((await user.press(card, 'open')).cards);
      for (const question of lesson.questions) {
        const result = await user.press(card, 'answer', { choice: question.choices.find((c) => c.correct)?.id ?? '' });
        card = only((await user.press(result.body.value, 'next')).cards);
      }
    }
    await user.press(card, 'acknowledge', { agree: 'yes' });

    const back = only(await announce(user));
    expect(cardText(back)).toContain(fill(ui.welcomeBackDone, { course: course.title }));
    expect(cardText(back)).toContain(
      fill(ui.lessonsValue, { done: course.lessons.length, total: course.lessons.length }),
    );
    expect(actionsOf(back).map((a) => a.verb)).not.toContain('next');
  });
});

describe('the bot added to a team', () => {
  it('says nothing in the channel, to anyone, and keeps no personal chat for whoever added it', async () => {
    const member = new ChannelMember(bot.h, 'Henk de Groot');
    const before = bot.h.connector.calls.length;
    const added = { type: 'conversationUpdate', membersAdded: [{ id: '28:postwise-bot' }] };
    const results = [
      await bot.h.post(member.activity(member.channelId, added)),
      await bot.h.post(member.activity(member.channelId, { type: 'installationUpdate', action: 'add' })),
    ];
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(bot.h.connector.calls.slice(before)).toEqual([]);
    expect(await bot.h.stores.conversations.get(member.aadObjectId)).toBeUndefined();
  });
});
