import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { LANGUAGES, type Course } from '../../src/domain/course/course.js';
import { memoryStores } from '../../src/storage/memory.js';
import type { Stores } from '../../src/storage/stores.js';
import { validCards } from '../support/cardSchema.js';
import { completeCourseInStore, rosterMember } from '../support/hrFixtures.js';
import { cardText, elementOf, startHarness, type BotHarness } from '../support/harness.js';
import { HR_ID, hrUser } from '../support/hrPeople.js';
import { useTempDirs } from '../support/tempDirs.js';
import { CONTENT_DIR, DEFAULT_ORG } from '../support/shippedContent.js';

const tempDir = useTempDirs('reacknowledge');
const NOW = new Date('2026-11-02T09:00:00Z'); // Monday 10:00 in Amsterdam
let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Raises the revision of the lesson in `file` in every language. */
async function raiseRevision(dir: string, file: string): Promise<void> {
  for (const language of LANGUAGES) {
    const at = path.join(dir, language, 'lessons', file);
    const lesson = JSON.parse(await readFile(at, 'utf8'));
    lesson.revision = Number(lesson.revision ?? 1) + 1;
    await writeFile(at, JSON.stringify(lesson));
  }
}

/**
 * Anna and Bert acknowledged the course; Cor has not started. Then one lesson's revision rises
 * and the bot starts again on the changed content.
 */
async function afterOneRevision(): Promise<{ stores: Stores; before: Course; bot: BotHarness }> {
  const dir = path.join(await tempDir(), 'content');
  await cp(CONTENT_DIR, dir, { recursive: true });
  const stores = memoryStores();
  const before = (await loadContent(dir, DEFAULT_ORG)).courses.en;
  await stores.roster.put(rosterMember('Anna', { aad: 'a1' }));
  await stores.roster.put(rosterMember('Bert', { aad: 'a2' }));
  await stores.roster.put(rosterMember('Cor', { aad: 'a3' }));
  await completeCourseInStore(stores, before, 'a1');
  await completeCourseInStore(stores, before, 'a2');
  await raiseRevision(dir, '04-the-party.json');
  h = await startHarness({
    stores,
    clock: { now: () => new Date(NOW) },
    env: { POSTWISE_CONTENT_DIR: dir, POSTWISE_HR_USERS: HR_ID },
  });
  return { stores, before, bot: h };
}

const TEXTS = {
  en: {
    command: 'coverage',
    row: 'Office\nOf 3: 0 completed (0%), 0 in progress, 2 need to re-acknowledge, 1 not started',
    fact: 'Needs to re-acknowledge (lessons changed: 1)',
    legends: ['Completed', 'In progress', 'Needs to re-acknowledge', 'Not started'],
    choice: 'Only people who need to re-acknowledge the changed policy',
    recipients: 'Recipients: 2.',
  },
  nl: {
    command: 'dekking',
    row: 'Office\nVan de 3: 0 afgerond (0%), 0 bezig, 2 moeten opnieuw bevestigen, 1 niet begonnen',
    fact: 'Moet opnieuw bevestigen (gewijzigde lessen: 1)',
    legends: ['Afgerond', 'Bezig', 'Moet opnieuw bevestigen', 'Niet begonnen'],
    choice: 'Alleen wie het gewijzigde beleid opnieuw moet bevestigen',
    recipients: 'Ontvangers: 2.',
  },
} as const;

describe.each(LANGUAGES)('people who acknowledged before a lesson changed, for HR in %s', (language) => {
  const texts = TEXTS[language];
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';

  it('have a coverage state of their own with how many lessons changed, every person in exactly one state', async () => {
    const { bot } = await afterOneRevision();
    const hr = hrUser(bot, locale);
    const card = validCards(await hr.say(texts.command)).cards[0] as Record<string, unknown>;
    const text = cardText(card);
    expect(text).toContain(texts.row);
    const facts = (elementOf(card, 'FactSet') as { facts: { title: string; value: string }[] }).facts;
    expect(facts.slice(0, 4).map((f) => [f.title, f.value])).toEqual([
      [texts.legends[0], '0'],
      [texts.legends[1], '0'],
      [texts.fact, '2'],
      [texts.legends[3], '1'],
    ]);
    // States nobody is in are left out of the donut (the facts beside it list them).
    const donut = elementOf(card, 'Chart.Donut') as { data: { legend: string; value: number }[] };
    expect(donut.data.map((d) => [d.legend, d.value])).toEqual([
      [texts.legends[2], 2],
      [texts.legends[3], 1],
    ]);
    expect(donut.data.reduce((sum, d) => sum + d.value, 0)).toBe(3);
  });

  it('are a campaign audience of their own', async () => {
    const { bot } = await afterOneRevision();
    const hr = hrUser(bot, locale);
    const form = validCards(await hr.say(language === 'nl' ? 'campagne' : 'campaign')).cards[0] as Record<
      string,
      unknown
    >;
    const audience = (form.body as Record<string, unknown>[]).find((e) => e.id === 'audience') as {
      choices: { title: string; value: string }[];
    };
    expect(audience.choices.at(-1)).toEqual({ title: texts.choice, value: 'needs-reacknowledge' });
    const preview = cardText(
      validCards(await hr.press(form, 'hrCampaignPreview', { audience: 'needs-reacknowledge', due: '2026-12-01' })).body
        .value,
    );
    expect(preview).toContain(texts.recipients);
    expect(preview).toContain(texts.choice);
    expect(preview).toContain('Anna');
    expect(preview).toContain('Bert');
    expect(preview).not.toContain('Cor');
  });
});
