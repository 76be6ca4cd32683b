import { describe, expect, it } from 'vitest';
import { fill } from '../../src/content/ui.js';
import { LANGUAGES } from '../../src/domain/course/course.js';
import { useShippedBot } from '../support/shippedBot.js';
import { cardText } from '../support/harness.js';

/** Words that tell someone they were right, in English and Dutch, as a sentence of their own. */
const PRAISE =
  /\b(right|yes|exactly|correct|well done|that's it|goed zo|goed|klopt|juist|precies|ja|zo doe je het)\s*[.!]/i;

const bot = useShippedBot();

describe.each(LANGUAGES)('the card after an answer, in %s', (language) => {
  async function answerFirstQuestion(correct: boolean) {
    const question = bot.content.courses[language].lessons[0]?.questions[0];
    const choice = question?.choices.find((c) => c.correct === correct);
    const better = question?.choices.find((c) => c.correct);
    if (!question || !choice || !better) throw new Error('content/ has no first question');
    const user = bot.h.user({ locale: language === 'nl' ? 'nl-NL' : 'en-GB' });
    const lesson = (await user.say('start')).cards[0] ?? {};
    const questionCard = (await user.press(lesson, 'open')).cards[0] ?? {};
    const result = await user.press(questionCard, 'answer', { choice: choice.id });
    expect(result.body.type).toBe('application/vnd.microsoft.card.adaptive');
    return { text: cardText(result.body.value), choice, better };
  }

  it('after a wrong answer explains the better answer, with no praise for it', async () => {
    const ui = bot.content.ui[language];
    const { text, choice, better } = await answerFirstQuestion(false);
    expect(text).toContain(ui.notQuite);
    expect(text).toContain(fill(ui.youChose, { answer: choice.text }));
    expect(text).toContain(choice.feedback);
    expect(text).toContain(fill(ui.rightAnswer, { answer: better.text }));
    expect(text).toContain(better.feedback);
    expect(text).not.toContain(ui.right);
    // The choices may themselves start with "Yes." or "No."; what the card says about them may not praise.
    expect(text.replace(choice.text, '').replace(better.text, '')).not.toMatch(PRAISE);
  });

  it('after a right answer says so once, then explains', async () => {
    const ui = bot.content.ui[language];
    const { text, choice } = await answerFirstQuestion(true);
    expect(text).toContain(ui.right);
    expect(text).toContain(choice.feedback);
    expect(text).not.toContain(fill(ui.rightAnswer, { answer: choice.text }));
    expect(text.replace(ui.right, '').replace(choice.text, '')).not.toMatch(PRAISE);
  });
});
