import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { ContentError } from '../src/content/contentError.js';
import { loadContent, type Content } from '../src/content/load.js';
import { fill } from '../src/content/ui.js';
import { LANGUAGES, POLICY_IDS } from '../src/domain/course.js';
import { useTempDirs } from './support/tempDirs.js';

const CONTENT = path.join(PROJECT_ROOT, 'content');
const ORG = { name: undefined, contactName: undefined, contactEmail: 'socialmedia@example.com', policyUrl: 'https://example.com/p' };

let content: Content;
beforeAll(async () => {
  content = await loadContent(CONTENT, ORG);
});

describe('the shipped course', () => {
  it('teaches and tests every guideline G1–G20 and protocol item P1–P3', () => {
    const course = content.courses.en;
    const taught = new Set(course.lessons.flatMap((l) => l.covers));
    const tested = new Set(course.lessons.flatMap((l) => l.questions.flatMap((q) => q.covers)));
    expect(POLICY_IDS.filter((id) => !taught.has(id))).toEqual([]);
    expect(POLICY_IDS.filter((id) => !tested.has(id))).toEqual([]);
  });

  it('has the same structure in Dutch and English', () => {
    const shape = (language: 'en' | 'nl') =>
      content.courses[language].lessons.map((l) => ({
        id: l.id,
        covers: l.covers,
        questions: l.questions.map((q) => ({ id: q.id, covers: q.covers, scenario: q.scenario !== undefined, choices: q.choices.map((c) => [c.id, c.correct]) })),
      }));
    expect(shape('nl')).toEqual(shape('en'));
    expect(content.courses.nl.version).toBe(content.courses.en.version);
  });

  it('has at least 10 lessons, 2 questions per lesson on average and 4 scenarios', () => {
    const { lessons } = content.courses.en;
    const questions = lessons.flatMap((l) => l.questions);
    expect(lessons.length).toBeGreaterThanOrEqual(10);
    expect(questions.length / lessons.length).toBeGreaterThanOrEqual(2);
    expect(questions.filter((q) => q.scenario !== undefined).length).toBeGreaterThanOrEqual(4);
  });

  it('gives the three themes a lesson of their own', () => {
    const titles = (language: 'en' | 'nl') => content.courses[language].lessons.map((l) => l.title.toLowerCase());
    const own = (language: 'en' | 'nl', id: string) => content.courses[language].lessons.find((l) => l.covers[0] === id);
    expect(own('en', 'G11')?.title.toLowerCase()).toContain('party');
    expect(own('en', 'G12')?.title.toLowerCase()).toContain('internet never forgets');
    expect(own('en', 'G8')?.title.toLowerCase()).toContain('mistake');
    expect(titles('nl').some((t) => t.includes('feest'))).toBe(true);
    expect(titles('nl').some((t) => t.includes('het internet vergeet nooit'))).toBe(true);
  });

  it('is written in our own words: no run of eight words from the source articles', async () => {
    const seedsDir = path.join(PROJECT_ROOT, '..', 'shared', 'seeds');
    const words = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9\s]/g, ' ').split(/\s+/).filter(Boolean);
    const runs = new Set<string>();
    for (const file of (await readdir(seedsDir)).filter((f) => f.endsWith('.txt'))) {
      const w = words(await readFile(path.join(seedsDir, file), 'utf8'));
      for (let i = 0; i + 8 <= w.length; i++) runs.add(w.slice(i, i + 8).join(' '));
    }
    expect(runs.size).toBeGreaterThan(1000);
    const copied: string[] = [];
    for (const language of LANGUAGES) {
      const w = words(JSON.stringify(content.courses[language]));
      for (let i = 0; i + 8 <= w.length; i++) if (runs.has(w.slice(i, i + 8).join(' '))) copied.push(w.slice(i, i + 8).join(' '));
    }
    expect(copied).toEqual([]);
  });

  it('starts a sentence with a capital where a setting or the default wording starts it', async () => {
    expect(content.ui.en.campaignIntro).toMatch(/^Our organisation asks everyone/);
    expect(content.ui.nl.campaignIntro).toMatch(/^Onze organisatie vraagt iedereen/);
    expect(fill('{org} asks. {contactName} answers; write to {contactEmail}.', { org: 'our firm', contactName: 'the team', contactEmail: 'x@example.com' })).toBe(
      'Our firm asks. The team answers; write to x@example.com.',
    );
    expect(fill('{contactEmail} reads it', { contactEmail: 'socialmedia@example.com' })).toBe('socialmedia@example.com reads it');
    expect(fill('Ask {contactName}.', { contactName: 'the team' })).toBe('Ask the team.');
  });

  it('carries a version that changes when a text changes', async () => {
    const dir = await copyContent();
    const file = path.join(dir, 'en', 'lessons', (await readdir(path.join(dir, 'en', 'lessons')))[0] as string);
    const lesson = JSON.parse(await readFile(file, 'utf8'));
    lesson.takeaway = `${lesson.takeaway} Really.`;
    await writeFile(file, JSON.stringify(lesson));
    const changed = await loadContent(dir, ORG);
    expect(changed.version).not.toBe(content.version);
    // The name people see changes too, though the policy's date stayed: a new version is never named like the old one.
    expect(changed.courses.en.versionName).toMatch(/^2026-11-30 #\d{3}$/);
    expect(changed.courses.en.versionName).not.toBe(content.courses.en.versionName);
    expect(changed.courses.nl.versionName).toBe(changed.courses.en.versionName);
  });

  it('needs the policy date in every language, the same everywhere', async () => {
    const dir = await copyContent();
    const file = path.join(dir, 'nl', 'course.json');
    const course = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...course, published: '2026-12-01' }));
    expect(await problemsOf(dir)).toContain('content/nl/course.json: published differs from en (2026-12-01 here, 2026-11-30 in en)');
    await writeFile(file, JSON.stringify({ ...course, published: '30-11-2026' }));
    expect(await problemsOf(dir)).toContain('must be a date like 2026-11-30');
  });
});

const tempDir = useTempDirs('content');

async function copyContent(): Promise<string> {
  const root = await tempDir();
  const dir = path.join(root, 'content');
  await cp(CONTENT, dir, { recursive: true });
  return dir;
}

async function editLesson(dir: string, language: string, index: number, edit: (lesson: any) => void): Promise<string> {
  const name = (await readdir(path.join(dir, language, 'lessons'))).sort()[index] as string;
  const file = path.join(dir, language, 'lessons', name);
  const lesson = JSON.parse(await readFile(file, 'utf8'));
  edit(lesson);
  await writeFile(file, JSON.stringify(lesson, null, 2));
  return `content/${language}/lessons/${name}`;
}

async function problemsOf(dir: string): Promise<string> {
  try {
    await loadContent(dir, ORG);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return (error as Error).message;
  }
  throw new Error('content was accepted');
}

describe('a content mistake stops the start with the file and field named', () => {
  it('a missing translation', async () => {
    const dir = await copyContent();
    const name = (await readdir(path.join(dir, 'nl', 'lessons'))).sort()[2] as string;
    await rm(path.join(dir, 'nl', 'lessons', name));
    expect(await problemsOf(dir)).toContain(`content/nl/lessons/${name}: (file) is missing: en has it (missing translation)`);
  });

  it('a missing interface text', async () => {
    const dir = await copyContent();
    const file = path.join(dir, 'nl', 'ui.json');
    const ui = JSON.parse(await readFile(file, 'utf8'));
    delete ui.check;
    await writeFile(file, JSON.stringify(ui));
    expect(await problemsOf(dir)).toContain('content/nl/ui.json: check is missing or empty');
  });

  it('a question without a correct choice', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 1, (l) => l.questions[0].choices.forEach((c: any) => (c.correct = false)));
    expect(await problemsOf(dir)).toContain(`${file}: questions[0].choices must have exactly one correct choice (has 0)`);
  });

  it('a choice without feedback', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'nl', 3, (l) => delete l.questions[1].choices[2].feedback);
    expect(await problemsOf(dir)).toContain(`${file}: questions[1].choices[2].feedback is missing or empty`);
  });

  it('an unknown guideline id', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 0, (l) => (l.covers = ['G21']));
    expect(await problemsOf(dir)).toContain(`${file}: covers[0] is not a known policy id (got "G21"`);
  });

  it('a lesson over the length limit', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 4, (l) => (l.body = 'x'.repeat(1201)));
    expect(await problemsOf(dir)).toContain(`${file}: body is 1201 characters long; at most 1200 are allowed`);
  });

  it('a placeholder the bot cannot fill, and broken JSON', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'en', 5, (l) => (l.takeaway = 'Ask {boss}.'));
    const broken = (await readdir(path.join(dir, 'nl', 'lessons'))).sort()[6] as string;
    await writeFile(path.join(dir, 'nl', 'lessons', broken), '{ "id": ');
    const message = await problemsOf(dir);
    expect(message).toContain(`${file}: takeaway uses an unknown placeholder {boss}`);
    expect(message).toContain(`content/nl/lessons/${broken}: (file) is not valid JSON`);
  });

  it('a translation whose right answer differs', async () => {
    const dir = await copyContent();
    const file = await editLesson(dir, 'nl', 0, (l) => {
      for (const c of l.questions[0].choices) c.correct = !c.correct && c.id === l.questions[0].choices.find((x: any) => !x.correct).id;
    });
    expect(await problemsOf(dir)).toContain(`${file}: questions[0].choices differs from en`);
  });
});
