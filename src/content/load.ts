import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDate } from '../domain/time/calendar.js';
import { LANGUAGES, type Course, type Language, type Lesson } from '../domain/course/course.js';
import type { LessonText } from '../domain/course/lessonTexts.js';
import {
  checkChoiceLengths,
  checkCues,
  checkUniqueIds,
  compareLanguages,
  jsonFiles,
  type RawLanguage,
  type ReadJson,
} from './checks.js';
import { Problems } from './contentError.js';
import { Fields } from './fields.js';
import { checkPlaceholders, readLesson } from './lessonFields.js';
import { mergeOrgContent, readOrgContent, type OrgContent } from './orgContent.js';
import {
  COURSE_PLACEHOLDERS,
  fill,
  MONITORING_PLACEHOLDERS,
  ORG_PLACEHOLDERS,
  placeholders,
  RENDER_PLACEHOLDERS,
  UI_KEYS,
  type Ui,
} from './ui.js';

/** What configuration puts into the texts; undefined falls back to the language's wording. */
export interface OrgTexts {
  readonly name: string | undefined;
  readonly contactName: string | undefined;
  /** Who handles privacy and data leaks; the contact name when undefined. */
  readonly privacyContact?: string | undefined;
  readonly contactEmail: string;
  readonly policyUrl: string;
  /** The monitoring statement from the settings, per language; org.json's or ui.json's default when undefined. */
  readonly monitoring?: Readonly<Record<Language, string>> | undefined;
}

/** The validated course and interface texts for every language. */
export interface Content {
  readonly version: string;
  /**
   * Each lesson's revision and a hash of its texts in every language, to notice an edit made without raising the
   * revision.
   */
  readonly lessonTexts: readonly LessonText[];
  readonly courses: Readonly<Record<Language, Course>>;
  readonly ui: Readonly<Record<Language, Ui>>;
  /** True when neither org.json nor the settings give a monitoring statement, so ui.json's default is shown. */
  readonly monitoringDefault: boolean;
}

const MAX_IMAGE_BYTES = 16 * 1024;

/**
 * Reads content/ (and the organisation's folder, if given) and checks all of it; throws ContentError listing every
 * problem.
 */
export async function loadContent(dir: string, org: OrgTexts, orgDir?: string): Promise<Content> {
  const problems = new Problems();
  const raw = await readRawContent(dir, orgDir, problems);
  if (raw.orgContent?.monitoring && org.monitoring) {
    const both = 'is set, and so are POSTWISE_MONITORING_EN and _NL: keep one of the two';
    problems.add(raw.orgContent.label, 'monitoring', both);
  }
  const monitoring = org.monitoring ?? raw.orgContent?.monitoring;
  const images = await loadImages(dir, raw, problems);
  checkUniqueIds(raw.en, problems);
  for (const language of LANGUAGES) {
    const where = `${path.basename(dir)}/${language}/lessons`;
    checkChoiceLengths(raw[language], problems, where);
    checkCues(language, raw[language], problems, where);
  }
  problems.throwIfAny();

  const lessons = raw.en.lessons.map((l) => l.lesson as Lesson);
  const version = policyVersion(lessons);
  const lessonTexts = lessons.map(({ id, revision }) => ({ id, revision, hash: textHash(raw, id) }));
  const course = raw[LANGUAGES[0]].course as NonNullable<RawLanguage['course']>;
  const versionName = `${course.published} #${versionNumber(version)}`;
  const courses = {} as Record<Language, Course>;
  const ui = {} as Record<Language, Ui>;
  for (const language of LANGUAGES) {
    const r = raw[language];
    const rawUi = r.ui as Ui;
    const names = {
      org: org.name ?? rawUi.defaultOrg,
      contactName: org.contactName ?? rawUi.defaultContact,
      privacyContact: org.privacyContact ?? org.contactName ?? rawUi.defaultContact,
    };
    const statement = fill(monitoring?.[language] ?? rawUi.defaultMonitoring, names);
    const values = { ...names, contactEmail: org.contactEmail, policyUrl: org.policyUrl, monitoring: statement };
    ui[language] = Object.fromEntries(UI_KEYS.map((k) => [k, fill(rawUi[k], values)])) as Ui;
    const { title, intro, minutes, summary } = r.course as NonNullable<RawLanguage['course']>;
    courses[language] = withOrgTexts(
      {
        title,
        intro,
        minutes,
        summary,
        language,
        version,
        versionName,
        lessons: r.lessons.map((l) => l.lesson as Lesson),
      },
      { ...values, lessons: String(r.lessons.length) },
      images,
    );
  }
  return { version, lessonTexts, courses, ui, monitoringDefault: monitoring === undefined };
}

/** Every language's files, and the organisation's folder as read (undefined without one). */
export type RawContent = Record<Language, RawLanguage> & { readonly orgContent?: OrgContent | undefined };

/**
 * Reads every language's files, compares the languages and merges the organisation's folder;
 * what is wrong so far goes into problems.
 */
export async function readRawContent(dir: string, orgDir: string | undefined, problems: Problems): Promise<RawContent> {
  const readJson: ReadJson = async (file, label) => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      problems.add(label, '(file)', 'is missing');
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      problems.add(label, '(file)', `is not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  };
  const rel = (file: string) => path.relative(path.dirname(dir), file);
  const read = (file: string) => readJson(file, rel(file));

  const raw = {} as Record<Language, RawLanguage>;
  for (const language of LANGUAGES) {
    const langDir = path.join(dir, language);
    const courseFile = path.join(langDir, 'course.json');
    const uiFile = path.join(langDir, 'ui.json');
    const lessonFiles = await jsonFiles(path.join(langDir, 'lessons'));
    if (lessonFiles.length === 0) problems.add(rel(path.join(langDir, 'lessons')), '(folder)', 'has no lesson files');
    const courseJson = await read(courseFile);
    const uiJson = await read(uiFile);
    raw[language] = {
      course: courseJson === undefined ? undefined : readCourse(new Fields(problems, rel(courseFile)), courseJson),
      ui: uiJson === undefined ? undefined : readUi(new Fields(problems, rel(uiFile)), uiJson),
      lessons: [],
    };
    for (const name of lessonFiles) {
      const file = path.join(langDir, 'lessons', name);
      const json = await read(file);
      raw[language].lessons.push({
        file: name,
        where: rel(file),
        lesson: json === undefined ? undefined : readLesson(new Fields(problems, rel(file)), json, 'standard'),
      });
    }
  }
  compareLanguages(raw, problems, path.basename(dir));
  const orgContent = orgDir === undefined ? undefined : await readOrgContent(orgDir, readJson, problems);
  if (orgContent) mergeOrgContent(raw, orgContent, problems);
  return { ...raw, orgContent };
}

function readCourse(f: Fields, json: unknown): RawLanguage['course'] {
  const obj = f.object(json, '(root)');
  if (!obj) return undefined;
  const summary = f.array(obj, 'summary', '', 3, 10);
  summary.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '' || s.length > 200)
      f.problem(`summary[${i}]`, 'must be a text of 1 to 200 characters');
  });
  checkPlaceholders(f, obj, '', COURSE_PLACEHOLDERS);
  const published = f.text(obj, 'published', '', 10);
  if (published !== undefined && parseDate(published) === undefined)
    f.problem('published', `must be a date like 2026-11-30 (got "${published}")`);
  return {
    published: published ?? '',
    title: f.text(obj, 'title', '', 100) ?? '',
    intro: f.text(obj, 'intro', '', 500) ?? '',
    minutes: f.number(obj, 'minutes', '', 1, 240) ?? 0,
    summary: summary.filter((s): s is string => typeof s === 'string'),
  };
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
    const text = f.text(obj, key, '', key === 'defaultMonitoring' ? 600 : 400) ?? '';
    const known = key === 'defaultMonitoring' ? MONITORING_PLACEHOLDERS : allowed;
    for (const name of placeholders(text)) {
      if (!known.includes(name)) f.problem(key, `uses an unknown placeholder {${name}}`);
    }
    ui[key] = text;
  }
  return ui as Ui;
}

/** The policy version: the lessons' ids and revisions in course order, so an edit that raises no revision keeps it. */
function policyVersion(lessons: readonly Lesson[]): string {
  return createHash('sha256')
    .update(lessons.map((l) => `${l.id}@${l.revision}`).join('\n'))
    .digest('hex')
    .slice(0, 10);
}

/** A hash of one lesson's texts in every language, before the organisation's names are filled in. */
function textHash(raw: Record<Language, RawLanguage>, lessonId: string): string {
  const hash = createHash('sha256');
  for (const language of LANGUAGES)
    hash.update(
      `${language}\n${JSON.stringify(raw[language].lessons.find((l) => l.lesson?.id === lessonId)?.lesson)}\n`,
    );
  return hash.digest('hex').slice(0, 16);
}

/**
 * A number from 100 to 999 taken from the policy version: with the policy's date it names the
 * version, and a change that keeps the date still gets another name (but for 1 in 900).
 */
function versionNumber(version: string): number {
  return 100 + (Number.parseInt(version.slice(0, 8), 16) % 900);
}

async function loadImages(
  dir: string,
  raw: Record<Language, RawLanguage>,
  problems: Problems,
): Promise<Map<string, string>> {
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
        problems.add(
          where,
          'image.file',
          `is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES} fit in a Teams message`,
        );
      } else {
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
