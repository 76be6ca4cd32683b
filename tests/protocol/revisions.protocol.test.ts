import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { fill } from '../../src/content/ui.js';
import { LANGUAGES } from '../../src/domain/course/course.js';
import { memoryStores } from '../../src/storage/memory.js';
import type { Stores } from '../../src/storage/stores.js';
import { cardProblems } from '../support/cardSchema.js';
import { completeCourseInStore } from '../support/hrFixtures.js';
import { cardText, startHarness, type BotHarness } from '../support/harness.js';
import { useTempDirs } from '../support/tempDirs.js';
import { CONTENT_DIR, DEFAULT_ORG } from '../support/shippedContent.js';

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

async function editLesson(
  dir: string,
  language: string,
  edit: (lesson: Record<string, unknown>) => void,
): Promise<string> {
  const file = path.join(dir, language, 'lessons', LESSON);
  const lesson = JSON.parse(await readFile(file, 'utf8'));
  edit(lesson);
  await writeFile(file, JSON.stringify(lesson));
  return lesson.id;
}

const edits = (bot: BotHarness) =>
  bot.log.lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'content.edited-without-revision');

describe.each(LANGUAGES)('a changed lesson, for an employee who acknowledged, in %s', (language) => {
  const locale = language === 'nl' ? 'nl-NL' : 'en-GB';

  it('a text edit without a raised revision keeps the version and the employee done, and is logged once; a raised revision sends the employee through that lesson only, then the acknowledgement', async () => {
    const dir = path.join(await tempDir(), 'content');
    await cp(CONTENT_DIR, dir, { recursive: true });
    const stores = memoryStores();
    let bot = await restart(dir, stores);
    const { courses, ui: uis } = await loadContent(dir, DEFAULT_ORG);
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
    const raised = (first.lessons.find((l) => l.id === id)?.revision ?? 0) + 1;
    for (const l of LANGUAGES) await editLesson(dir, l, (lesson) => (lesson.revision = raised));
    bot = await restart(dir, stores);
    const second = (await loadContent(dir, DEFAULT_ORG)).courses[language];
    expect(bot.app.contentVersion).toBe(second.version);
    expect(second.version).not.toBe(first.version);
    expect(second.versionName).not.toBe(first.versionName);
    expect(edits(bot)).toEqual([]);
    // The employee sees what changed, then only that lesson and its questions, then the acknowledgement.
    const changed = second.lessons.find((l) => l.id === id);
    if (!changed) throw new Error(`no lesson ${id}`);
    const me = user.on(bot);
    const [whatChanged, lessonCard, ...more] = (await me.install()).cards;
    expect(more).toEqual([]);
    for (const c of [whatChanged, lessonCard]) expect(cardProblems(c)).toEqual([]);
    expect(cardText(whatChanged)).toContain(ui.whatChangedTitle);
    expect(cardText(whatChanged)).toContain(`• ${changed.title}`);
    expect(cardText(whatChanged).match(/• /g)).toHaveLength(1);
    expect(cardText(lessonCard)).toContain(changed.title);
    const [missed, ...rest] = changed.questions;
    if (!missed) throw new Error('a lesson without questions');
    const question = cardText((await me.click('open', { lesson: id })).cards[0]);
    expect(question).toContain(missed.prompt);
    // The first question missed on the new revision: scored, then reviewed.
    const wrong = missed.choices.find((c) => !c.correct);
    await me.click('answer', { question: missed.id, choice: wrong?.id });
    for (const q of rest) await me.click('answer', { question: q.id, choice: q.choices.find((c) => c.correct)?.id });
    const review = (await me.say(language === 'nl' ? 'verder' : 'next')).cards[0];
    expect(cardText(review)).toContain(ui.reviewIntro);
    expect(cardText(review)).toContain(missed.prompt);
    await me.click('answer', { question: missed.id, choice: missed.choices.find((c) => c.correct)?.id, review: '1' });
    const ack = (await me.say(language === 'nl' ? 'verder' : 'next')).cards[0];
    expect(cardText(ack)).toContain(ui.ackTitle);
    await me.click('acknowledge', { version: second.version, agree: 'yes' });

    const progress = await stores.progress.get(user.aadObjectId);
    const questions = second.lessons.flatMap((l) => l.questions).length;
    expect(progress?.acknowledgements.at(-1)).toMatchObject({
      version: second.version,
      correct: questions - 1,
      total: questions,
    });
    expect(progress?.acknowledgements.at(-1)?.revisions?.[id]).toBe(raised);
    // The answers to the earlier revision are kept, and the audit log has both.
    expect(progress?.earlier?.[missed.id]).toHaveLength(1);
    const answered = (await stores.events.list({ userId: user.aadObjectId })).filter((e) => e.type === 'answered');
    expect(answered).toHaveLength(questions + changed.questions.length);
    card = (await me.install()).cards[0];
    expect(cardText(card)).toContain(fill(ui.welcomeBackDone, { course: second.title }));
  });
});
