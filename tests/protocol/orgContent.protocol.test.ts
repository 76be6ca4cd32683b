import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadContent, type Content } from '../../src/content/load.js';
import { cardProblems } from '../support/cardSchema.js';
import { cardText, startHarness, type BotHarness, type HttpResult } from '../support/harness.js';
import { CONTENT_DIR, DEFAULT_ORG } from '../support/shippedContent.js';

const ORG_DIR = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'org');

let h: BotHarness;
let standard: Content;
let merged: Content;

beforeAll(async () => {
  h = await startHarness({ env: { POSTWISE_ORG_CONTENT: ORG_DIR } });
  standard = await loadContent(CONTENT_DIR, DEFAULT_ORG);
  merged = await loadContent(CONTENT_DIR, DEFAULT_ORG, ORG_DIR);
});
afterAll(() => h.close());

function only(result: HttpResult): Record<string, unknown> {
  for (const card of result.cards) expect(cardProblems(card)).toEqual([]);
  expect(result.cards).toHaveLength(1);
  return result.cards[0] as Record<string, unknown>;
}

describe('an organisation folder (POSTWISE_ORG_CONTENT)', () => {
  it('adds its own rule after the standard lessons, leaves the named lesson out, and names a new version', () => {
    for (const language of ['en', 'nl'] as const) {
      const ids = merged.courses[language].lessons.map((l) => l.id);
      expect(ids).toEqual([
        ...standard.courses[language].lessons.map((l) => l.id).filter((id) => id !== 'other-peoples-work'),
        'customer-sites',
      ]);
      expect(merged.courses[language].lessons.at(-1)?.covers).toEqual(['O1']);
    }
    expect(merged.courses.nl.lessons.at(-1)?.title).toBe('Werken op locatie bij een klant');
    expect(merged.version).not.toBe(standard.version);
    expect(merged.courses.nl.version).toBe(merged.courses.en.version);
  });

  describe.each(['en', 'nl'] as const)('in %s', (language) => {
    it('walks the merged course: the own lesson is taught and asked, the left-out one never shown, the own summary line acknowledged', async () => {
      const course = merged.courses[language];
      const user = h.user({ locale: language === 'nl' ? 'nl-NL' : 'en-GB' });
      let card = only(await user.install());
      card = only(await user.press(card, 'start'));
      const leftOut = standard.courses[language].lessons.find((l) => l.id === 'other-peoples-work');
      const seen: string[] = [];
      for (const [li, lesson] of course.lessons.entries()) {
        const text = cardText(card);
        expect(text).toContain(
          language === 'nl'
            ? `Les ${li + 1} van ${course.lessons.length}`
            : `Lesson ${li + 1} of ${course.lessons.length}`,
        );
        expect(text).toContain(lesson.title);
        expect(text).not.toContain(leftOut?.title);
        seen.push(text);
        card = only(await user.press(card, 'open'));
        for (const question of lesson.questions) {
          expect(cardText(card)).toContain(question.prompt);
          const answered = await user.press(card, 'answer', {
            choice: question.choices.find((c) => c.correct)?.id ?? '',
          });
          card = only(await user.press(answered.body.value, 'next'));
        }
      }
      expect(seen.at(-1)).toContain(
        language === 'nl' ? 'Werken op locatie bij een klant' : "Working at a customer's site",
      );
      const summary = cardText(card);
      expect(summary).toContain(
        language === 'nl' ? "Geen foto's op de locatie van een klant" : "No photos at a customer's site",
      );
      for (const line of standard.courses[language].summary) expect(summary).toContain(line);
      expect(summary).toContain(course.versionName);
      const done = await user.press(card, 'acknowledge', { agree: 'yes' });
      expect(cardText(done.body.value)).toContain(
        `${course.lessons.reduce((n, l) => n + l.questions.length, 0)} ${language === 'nl' ? 'van' : 'of'}`,
      );
      const events = await h.stores.events.list({ userId: user.aadObjectId });
      expect(events.filter((e) => e.type === 'acknowledged')).toMatchObject([{ version: merged.version }]);
    });
  });
});

describe('the monitoring statement at start-up', () => {
  const logged = (bot: BotHarness) => bot.log.lines.filter((l) => JSON.parse(l).event === 'content.monitoring-default');

  it("logs once that ui.json's default is in use, and nothing when the settings give the statement", async () => {
    expect(logged(h)).toEqual([JSON.stringify({ event: 'content.monitoring-default' })]);
    const env = { POSTWISE_MONITORING_EN: 'We read reviews.', POSTWISE_MONITORING_NL: 'Wij lezen recensies.' };
    const own = await startHarness({ env });
    try {
      expect(logged(own)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
