import path from 'node:path';
import { LANGUAGES, type Language } from '../domain/course/course.js';
import { compareLanguages, jsonFiles, type RawLanguage, type ReadJson } from './checks.js';
import type { Problems } from './contentError.js';
import { Fields, join } from './fields.js';
import { checkPlaceholders, ORG_POLICY_ID, readLesson } from './lessonFields.js';
import { MONITORING_PLACEHOLDERS, ORG_PLACEHOLDERS } from './ui.js';

/** At most this many summary lines of its own an organisation adds to the acknowledgement card. */
const MAX_ORG_SUMMARY = 5;

/**
 * The organisation's folder as read: its own lessons per language, summary lines, and standard lessons to leave out.
 */
export interface OrgContent {
  readonly label: string;
  readonly leaveOut: readonly { id: string; field: string }[];
  readonly summary: Readonly<Record<Language, readonly string[]>>;
  readonly lessons: Readonly<Record<Language, RawLanguage['lessons']>>;
  /** What the organisation says it watches online, per language, when org.json says it. */
  readonly monitoring: Readonly<Record<Language, string>> | undefined;
}

/** Reads <org>/org.json and <org>/<language>/lessons/*.json, reporting mistakes by file and field. */
export async function readOrgContent(orgDir: string, readJson: ReadJson, problems: Problems): Promise<OrgContent> {
  const root = path.basename(orgDir);
  const rel = (file: string) => path.join(root, path.relative(orgDir, file));
  const read = (file: string) => readJson(file, rel(file));
  const orgFile = path.join(orgDir, 'org.json');
  const f = new Fields(problems, rel(orgFile));
  const json = await read(orgFile);
  const obj = json === undefined ? undefined : f.object(json, '(root)');
  const leaveOut: { id: string; field: string }[] = [];
  const summary = Object.fromEntries(LANGUAGES.map((l) => [l, [] as string[]])) as Record<Language, string[]>;
  let monitoring: Record<Language, string> | undefined;
  if (obj) {
    for (const key of Object.keys(obj)) {
      if (!['$schema', 'leaveOut', 'summary', 'monitoring'].includes(key)) {
        f.problem(key, 'is not a field of org.json (leaveOut, summary, monitoring)');
      }
    }
    if (obj.monitoring !== undefined) monitoring = readMonitoring(f, obj.monitoring);
    if (obj.leaveOut !== undefined) {
      f.array(obj, 'leaveOut', '', 0, 50).forEach((id, i) => {
        if (typeof id === 'string' && id !== '') leaveOut.push({ id, field: join('leaveOut', i) });
        else f.problem(join('leaveOut', i), 'must be the id of a standard lesson, like "other-peoples-work"');
      });
    }
    if (obj.summary !== undefined) readSummary(f, obj.summary, summary);
  }

  const raw = {} as Record<Language, RawLanguage>;
  for (const language of LANGUAGES) {
    raw[language] = { course: undefined, ui: undefined, lessons: [] };
    for (const name of await jsonFiles(path.join(orgDir, language, 'lessons'))) {
      const file = path.join(orgDir, language, 'lessons', name);
      const lessonJson = await read(file);
      const lf = new Fields(problems, rel(file));
      const lesson = lessonJson === undefined ? undefined : readLesson(lf, lessonJson, 'organisation');
      if (lesson?.image) lf.problem('image', 'is not supported in organisation lessons; leave it out');
      raw[language].lessons.push({ file: name, where: rel(file), lesson });
    }
  }
  compareLanguages(raw, problems, root);
  checkOrgIdsTaughtAndTested(raw[LANGUAGES[0]], problems);
  const lessons = Object.fromEntries(LANGUAGES.map((l) => [l, raw[l].lessons])) as OrgContent['lessons'];
  return { label: rel(orgFile), leaveOut, summary, lessons, monitoring };
}

/**
 * Leaves the named standard lessons out, then adds the organisation's lessons after the standard ones and its summary
 * lines after the standard summary.
 */
export function mergeOrgContent(raw: Record<Language, RawLanguage>, org: OrgContent, problems: Problems): void {
  const standardIds = raw[LANGUAGES[0]].lessons.map((l) => l.lesson?.id);
  for (const { id, field } of org.leaveOut) {
    if (!standardIds.includes(id))
      problems.add(
        org.label,
        field,
        `names no standard lesson (got "${id}"; lesson ids are the "id" in content/en/lessons)`,
      );
  }
  const left = new Set(org.leaveOut.map((l) => l.id));
  for (const language of LANGUAGES) {
    const r = raw[language];
    r.lessons = [...r.lessons.filter((l) => !left.has(l.lesson?.id ?? '')), ...org.lessons[language]];
    if (r.lessons.length === 0) problems.add(org.label, 'leaveOut', 'leaves no lesson in the course');
    if (r.course) r.course = { ...r.course, summary: [...r.course.summary, ...org.summary[language]] };
  }
}

function readSummary(f: Fields, value: unknown, summary: Record<Language, string[]>): void {
  const obj = f.object(value, 'summary');
  if (!obj) return;
  for (const key of Object.keys(obj))
    if (!(LANGUAGES as readonly string[]).includes(key))
      f.problem(join('summary', key), `is not a course language (${LANGUAGES.join(', ')})`);
  checkPlaceholders(f, obj, 'summary', ORG_PLACEHOLDERS);
  for (const language of LANGUAGES) {
    const lines = obj[language] === undefined ? [] : f.array(obj, language, 'summary', 1, MAX_ORG_SUMMARY);
    lines.forEach((s, i) => {
      if (typeof s === 'string' && s.trim() !== '' && s.length <= 200) summary[language].push(s);
      else f.problem(join(join('summary', language), i), 'must be a text of 1 to 200 characters');
    });
  }
  const [base, ...others] = LANGUAGES;
  for (const language of others) {
    if (summary[language].length !== summary[base].length) {
      f.problem(
        join('summary', language),
        `has ${summary[language].length} lines and ${base} has ${summary[base].length}: every language needs ` +
          'the same lines',
      );
    }
  }
}

/** `monitoring`: a text of 1 to 600 characters in every language, with only the organisation's names as {…}. */
function readMonitoring(f: Fields, value: unknown): Record<Language, string> | undefined {
  const obj = f.object(value, 'monitoring');
  if (!obj) return undefined;
  for (const key of Object.keys(obj)) {
    if (!(LANGUAGES as readonly string[]).includes(key)) {
      f.problem(join('monitoring', key), `is not a course language (${LANGUAGES.join(', ')})`);
    }
  }
  checkPlaceholders(f, obj, 'monitoring', MONITORING_PLACEHOLDERS);
  const texts = LANGUAGES.map((language) => f.text(obj, language, 'monitoring', 600));
  if (texts.some((t) => t === undefined)) return undefined;
  return Object.fromEntries(LANGUAGES.map((l, i) => [l, texts[i]])) as Record<Language, string>;
}

/** Every O-id the organisation uses is taught by one of its lessons and tested by one of its questions. */
function checkOrgIdsTaughtAndTested(reference: RawLanguage, problems: Problems): void {
  const taught = new Map<string, string>();
  const tested = new Map<string, string>();
  for (const { where, lesson } of reference.lessons) {
    for (const id of lesson?.covers ?? []) if (ORG_POLICY_ID.test(id)) taught.set(id, where);
    for (const id of lesson?.questions.flatMap((q) => q.covers) ?? [])
      if (ORG_POLICY_ID.test(id)) tested.set(id, where);
  }
  for (const [id, where] of taught)
    if (!tested.has(id))
      problems.add(where, 'covers', `teaches ${id}, but no question tests it (add ${id} to a question's covers)`);
  for (const [id, where] of tested)
    if (!taught.has(id))
      problems.add(where, 'questions', `test ${id}, but no lesson teaches it (add ${id} to the lesson's covers)`);
}
