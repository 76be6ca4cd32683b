import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { loadContent } from '../src/content/load.js';
import { fill } from '../src/content/ui.js';
import { LANGUAGES } from '../src/domain/course/course.js';
import { memoryStores } from '../src/storage/memory.js';
import type { Stores } from '../src/storage/stores.js';
import { cardProblems } from './support/cardSchema.js';
import { completeCourseInStore } from './support/hrFixtures.js';
import { cardText, startHarness, type BotHarness } from './support/harness.js';
import { useTempDirs } from './support/tempDirs.js';

const tempDir = useTempDirs('revisions');
const LESSON = '04-the-party.json';
let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The bot (again) on the same stores, with its content from `dir`. */
async function restart(dir: string, stores: Stores): Promise<BotHarness> {
  await h?.close();
  h = await startHarness({ stores, env: { POSTWISE_CONTENT_DIR: dir } });
  return h;
}

async function editLesson(dir: string, language: string, edit: (lesson: Record<string, unknown>) => void): Promise<string> {
  const file = path.join(dir, language, 'lessons', LESSON);
  const lesson = JSON.parse(await readFile(file, 'utf8'));
  edit(lesson);
  await writeFile(file, JSON.stringify(lesson));
  return lesson.id;
}

const ORG = { name: undefined, contactName: undefined, contactEmail: 'socialmedia@example.com', policyUrl: 'https://example.com/social-media-policy' };
const edits = (bot: BotHarness) => bot.log.lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'content.edited-without-revision');

describe.each(LANGUAGES)('a changed lesson, for an employee who acknowledged, in %s', (language) => {
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';

  it('a text edit without a raised revision keeps the version and the employee done, and is logged once; a raised revision asks for the acknowledgement again', async () => {
    const dir = path.join(await tempDir(), 'content');
    await cp(path.join(PROJECT_ROOT, 'content'), dir, { recursive: true });
    const stores = memoryStores();
    let bot = await restart(dir, stores);
    const { courses, ui: uis } = await loadContent(dir, ORG);
    const first = courses[language];
    const ui = uis[language];
    expect(bot.app.contentVersion).toBe(first.version);
    const user = bot.user({ locale });
    await completeCourseInStore(stores, first, user.aadObjectId);
    expect(edits(bot)).toEqual([]);

    // A typo fixed in one language: same version, nobody sent back, one line naming the lesson.
    const id = await editLesson(dir, language, (l) => (l.takeaway = `${String(l.takeaway).slice(0, -1)}!`));
    bot = await restart(dir, stores);
    expect(bot.app.contentVersion).toBe(first.version);
    expect(edits(bot)).toEqual([{ event: 'content.edited-without-revision', lesson: id }]);
    let card = (await user.on(bot).install()).cards[0];
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain(fill(ui.welcomeBackDone, { course: first.title }));
    // Logged once: the next start finds the edit already recorded.
    bot = await restart(dir, stores);
    expect(edits(bot)).toEqual([]);

    // The lesson's meaning changed: its revision rises in both languages, and the version with it.
    for (const l of LANGUAGES) await editLesson(dir, l, (lesson) => (lesson.revision = 2));
    bot = await restart(dir, stores);
    const second = (await loadContent(dir, ORG)).courses[language];
    expect(bot.app.contentVersion).toBe(second.version);
    expect(second.version).not.toBe(first.version);
    expect(second.versionName).not.toBe(first.versionName);
    expect(edits(bot)).toEqual([]);
    card = (await user.on(bot).install()).cards[0];
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).not.toContain(fill(ui.welcomeBackDone, { course: first.title }));
    expect(cardText(card)).toContain(ui.progressAcknowledge);
  });
});
