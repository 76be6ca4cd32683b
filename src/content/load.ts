import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDate } from '../domain/time/calendar.js';
import { LANGUAGES, POLICY_IDS, type Choice, type Course, type Language, type Lesson, type Question } from '../domain/course/course.js';
import { checkChoiceLengths, checkUniqueIds, compareLanguages, type RawLanguage } from './checks.js';
import { Problems } from './contentError.js';
import { Fields, join } from './fields.js';
import { COURSE_PLACEHOLDERS, fill, ORG_PLACEHOLDERS, placeholders, RENDER_PLACEHOLDERS, UI_KEYS, type Ui } from './ui.js';

/** What configuration puts into the texts; undefined falls back to the language's wording. */
export interface OrgTexts {
  readonly name: string | undefined;
  readonly contactName: string | undefined;
  readonly contactEmail: string;
  readonly policyUrl: string;
}

/** The validated course and interface texts for every language. */
export interface Content {
  readonly version: string;
  readonly courses: Readonly<Record<Language, Course>>;
  readonly ui: Readonly<Record<Language, Ui>>;
}

const MAX_IMAGE_BYTES = 16 * 1024;


/** Reads content/ and checks all of it; throws ContentError listing every problem. */
export async function loadContent(dir: string, org: OrgTexts): Promise<Content> {
  const problems = new Problems();
  const hash = createHash('sha256');
  const readJson = async (file: string): Promise<unknown> => {
    const rel = path.relative(path.dirname(dir), file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      problems.add(rel, '(file)', 'is missing');
      return undefined;
    }
    hash.update(`${path.relative(dir, file)}\n${text}\n`);
    try {
      return JSON.parse(text);
    } catch (error) {
      problems.add(rel, '(file)', `is not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  };

  const raw = {} as Record<Language, RawLanguage>;
  for (const language of LANGUAGES) {
    const langDir = path.join(dir, language);
    const rel = (file: string) => path.relative(path.dirname(dir), file);
    const courseFile = path.join(langDir, 'course.json');
    const uiFile = path.join(langDir, 'ui.json');
    const lessonFiles = (await readdir(path.join(langDir, 'lessons')).catch(() => []))
      .filter((f) => f.endsWith('.json'))
      .sort();
    if (lessonFiles.length === 0) problems.add(rel(path.join(langDir, 'lessons')), '(folder)', 'has no lesson files');
    const courseJson = await readJson(courseFile);
    const uiJson = await readJson(uiFile);
    raw[language] = {
      course: courseJson === undefined ? undefined : readCourse(new Fields(problems, rel(courseFile)), courseJson),
      ui: uiJson === undefined ? undefined : readUi(new Fields(problems, rel(uiFile)), uiJson),
      lessons: [],
    };
    for (const name of lessonFiles) {
      const file = path.join(langDir, 'lessons', name);
      const json = await readJson(file);
      raw[language].lessons.push({ file: name, lesson: json === undefined ? undefined : readLesson(new Fields(problems, rel(file)), json) });
    }
  }
  const images = await loadImages(dir, raw, problems, hash);
  compareLanguages(raw, problems, path.basename(dir));
  checkUniqueIds(raw.en, problems, path.basename(dir));
  for (const language of LANGUAGES) checkChoiceLengths(raw[language], problems, `${path.basename(dir)}/${language}/lessons`);
  problems.throwIfAny();

  const version = hash.digest('hex').slice(0, 10);
  const versionName = `${(raw[LANGUAGES[0]].course as NonNullable<RawLanguage['course']>).published} #${versionNumber(version)}`;
  const courses = {} as Record<Language, Course>;
  const ui = {} as Record<Language, Ui>;
  for (const language of LANGUAGES) {
    const r = raw[language];
    const rawUi = r.ui as Ui;
    const values = {
      org: org.name ?? rawUi.defaultOrg,
      contactName: org.contactName ?? rawUi.defaultContact,
      contactEmail: org.contactEmail,
      policyUrl: org.policyUrl,
    };
    ui[language] = Object.fromEntries(UI_KEYS.map((k) => [k, fill(rawUi[k], values)])) as Ui;
    const { title, intro, minutes, summary } = r.course as NonNullable<RawLanguage['course']>;
    courses[language] = withOrgTexts(
      { title, intro, minutes, summary, language, version, versionName, lessons: r.lessons.map((l) => l.lesson as Lesson) },
      { ...values, lessons: String(r.lessons.length) },
      images,
    );
  }
  return { version, courses, ui };
}

function readCourse(f: Fields, json: unknown): RawLanguage['course'] {
  const obj = f.object(json, '(root)');
  if (!obj) return undefined;
  const summary = f.array(obj, 'summary', '', 3, 10);
  summary.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '' || s.length > 200) f.problem(`summary[${i}]`, 'must be a text of 1 to 200 characters');
  });
  checkPlaceholders(f, obj, '', COURSE_PLACEHOLDERS);
  const published = f.text(obj, 'published', '', 10);
  if (published !== undefined && parseDate(published) === undefined) f.problem('published', `must be a date like 2026-11-30 (got "${published}")`);
  return {
    published: published ?? '',
    title: f.text(obj, 'title', '', 100) ?? '',
    intro: f.text(obj, 'intro', '', 500) ?? '',
    minutes: f.number(obj, 'minutes', '', 1, 240) ?? 0,
    summary: summary.filter((s): s is string => typeof s === 'string'),
  };
}

function readLesson(f: Fields, json: unknown): Lesson | undefined {
  const obj = f.object(json, '(root)');
  if (!obj) return undefined;
  checkPlaceholders(f, obj, '', ORG_PLACEHOLDERS);
  const image = obj.image === undefined ? undefined : f.object(obj.image, 'image');
  return {
    id: f.id(obj, 'id', '') ?? '',
    title: f.text(obj, 'title', '', 80) ?? '',
    covers: readCovers(f, obj, ''),
    body: f.text(obj, 'body', '', 1200) ?? '',
    takeaway: f.text(obj, 'takeaway', '', 200) ?? '',
    ...(image ? { image: { url: f.text(image, 'file', 'image', 100) ?? '', alt: f.text(image, 'alt', 'image', 250) ?? '' } } : {}),
    questions: f.array(obj, 'questions', '', 1, 4).map((q, i) => readQuestion(f, q, join('questions', i))),
  };
}

function readQuestion(f: Fields, json: unknown, path: string): Question {
  const obj = f.object(json, path) ?? {};
  const choices = f.array(obj, 'choices', path, 3, 4).map((c, i) => readChoice(f, c, join(join(path, 'choices'), i)));
  const correct = choices.filter((c) => c.correct).length;
  if (choices.length > 0 && correct !== 1) f.problem(join(path, 'choices'), `must have exactly one correct choice (has ${correct})`);
  const ids = choices.map((c) => c.id);
  if (new Set(ids).size !== ids.length) f.problem(join(path, 'choices'), 'has two choices with the same id');
  const scenario = f.text(obj, 'scenario', path, 500, true);
  return {
    id: f.id(obj, 'id', path) ?? '',
    covers: readCovers(f, obj, path),
    ...(scenario !== undefined ? { scenario } : {}),
    prompt: f.text(obj, 'prompt', path, 300) ?? '',
    choices,
  };
}

function readChoice(f: Fields, json: unknown, path: string): Choice {
  const obj = f.object(json, path) ?? {};
  return {
    id: f.id(obj, 'id', path) ?? '',
    text: f.text(obj, 'text', path, 150) ?? '',
    correct: f.boolean(obj, 'correct', path) ?? false,
    feedback: f.text(obj, 'feedback', path, 400) ?? '',
  };
}

function readCovers(f: Fields, obj: Record<string, unknown>, path: string): string[] {
  const covers = f.array(obj, 'covers', path, 1, 23);
  covers.forEach((id, i) => {
    if (typeof id !== 'string' || !POLICY_IDS.includes(id)) {
      f.problem(`${join(join(path, 'covers'), i)}`, `is not a known policy id (got ${JSON.stringify(id)}; known: G1–G20, P1–P3)`);
    }
  });
  return covers.filter((c): c is string => typeof c === 'string');
}

function readUi(f: Fields, json: unknown): Ui | undefined {
  const obj = f.object(json, '(root)');
  if (!obj) return undefined;
  for (const key of Object.keys(obj)) {
    if (!(UI_KEYS as readonly string[]).includes(key)) f.problem(key, 'is not a text the cards use');
  }
  const allowed: readonly string[] = [...ORG_PLACEHOLDERS, ...RENDER_PLACEHOLDERS];
  const ui = {} as Record<string, string>;
  for (const key of UI_KEYS) {
    const text = f.text(obj, key, '', 400) ?? '';
    for (const name of placeholders(text)) {
      if (!allowed.includes(name)) f.problem(key, `uses an unknown placeholder {${name}}`);
    }
    ui[key] = text;
  }
  return ui as Ui;
}

/** Course texts may use only the placeholders the loader fills ({lessons} only in course.json). */
function checkPlaceholders(f: Fields, value: unknown, path: string, allowed: readonly string[]): void {
  if (typeof value === 'string') {
    for (const name of placeholders(value)) {
      if (!allowed.includes(name)) f.problem(path, `uses an unknown placeholder {${name}}`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkPlaceholders(f, v, join(path, i), allowed));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) checkPlaceholders(f, v, join(path, k), allowed);
  }
}

/**
 * A number from 100 to 999 taken from the content hash: with the policy's date it names the
 * version, and a change that keeps the date still gets another name (but for 1 in 900).
 */
function versionNumber(hash: string): number {
  return 100 + (Number.parseInt(hash.slice(0, 8), 16) % 900);
}

async function loadImages(dir: string, raw: Record<Language, RawLanguage>, problems: Problems, hash: ReturnType<typeof createHash>): Promise<Map<string, string>> {
  const images = new Map<string, string>();
  for (const language of LANGUAGES) {
    for (const { file, lesson } of raw[language].lessons) {
      const name = lesson?.image?.url;
      if (name === undefined || name === '' || images.has(name)) continue;
      const where = `${path.basename(dir)}/${language}/lessons/${file}`;
      if (!/^[a-z0-9-]+\.png$/.test(name)) {
        problems.add(where, 'image.file', `must name a .png file in ${path.basename(dir)}/images (got "${name}")`);
        continue;
      }
      const bytes = await readFile(path.join(dir, 'images', name)).catch(() => undefined);
      if (!bytes) {
        problems.add(where, 'image.file', `names ${path.basename(dir)}/images/${name}, which does not exist`);
      } else if (bytes.length > MAX_IMAGE_BYTES) {
        problems.add(where, 'image.file', `is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES} fit in a Teams message`);
      } else {
        hash.update(bytes);
        images.set(name, `data:image/png;base64,${bytes.toString('base64')}`);
      }
    }
  }
  return images;
}

function withOrgTexts(course: Course, values: Record<string, string>, images: Map<string, string>): Course {
  const t = (s: string) => fill(s, values);
  return {
    ...course,
    title: t(course.title),
    intro: t(course.intro),
    summary: course.summary.map(t),
    lessons: course.lessons.map((l) => ({
      ...l,
      title: t(l.title),
      body: t(l.body),
      takeaway: t(l.takeaway),
      ...(l.image ? { image: { url: images.get(l.image.url) ?? '', alt: t(l.image.alt) } } : {}),
      questions: l.questions.map((q) => ({
        ...q,
        ...(q.scenario !== undefined ? { scenario: t(q.scenario) } : {}),
        prompt: t(q.prompt),
        choices: q.choices.map((c) => ({ ...c, text: t(c.text), feedback: t(c.feedback) })),
      })),
    })),
  };
}
