import { readdir } from 'node:fs/promises';
import { LANGUAGES, type Course, type Language, type Lesson } from '../domain/course/course.js';
import type { Problems } from './contentError.js';
import { describeHit, figure, scoreCues, type CueItem } from './cueScores.js';
import { CUE_WORDS } from './cueWords.js';
import { fill, type Ui } from './ui.js';

/** How much longer than the longest wrong choice the correct one may be. */
const MAX_CORRECT_RATIO = 1.3;
/** What the choice lengths are measured with: the language's default names and these. */
const SAMPLE_EMAIL = 'socialmedia@example.org';
const SAMPLE_URL = 'https://example.org/social-media-policy';

/** One language's content as read, before it is checked against the others. */
export interface RawLanguage {
  course:
    (Omit<Course, 'lessons' | 'version' | 'versionName' | 'language'> & { readonly published: string }) | undefined;
  /** Each lesson file's name, where it is for messages (content/en/lessons/01-x.json), and the lesson read. */
  lessons: { file: string; where: string; lesson: Lesson | undefined }[];
  ui: Ui | undefined;
}

/** Reads a JSON file; undefined (reported under label) when missing or broken. */
export type ReadJson = (file: string, label: string) => Promise<unknown>;

/** The .json files in a folder, sorted by name; none when the folder does not exist. */
export async function jsonFiles(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json')).sort();
}

/**
 * Length must not give the answer away: in each language the correct choice is the longest in at
 * most a third of the questions, and never more than 1.3 × as long as the longest wrong choice.
 * Measured with the language's default organisation and contact names.
 */
export function checkChoiceLengths(language: RawLanguage, problems: Problems, where: string): void {
  const sample = sampleNames(language);
  const length = (text: string) => fill(text, sample).length;
  const longest: string[] = [];
  let questions = 0;
  for (const { file, where: lessonWhere, lesson } of language.lessons) {
    lesson?.questions.forEach((question, qi) => {
      const correct = question.choices.filter((c) => c.correct);
      const wrong = question.choices.filter((c) => !c.correct);
      if (correct.length !== 1 || wrong.length === 0) return;
      questions += 1;
      const right = length(correct[0]?.text ?? '');
      const longestWrong = Math.max(...wrong.map((c) => length(c.text)));
      if (right >= longestWrong) longest.push(`${file} ${question.id}`);
      if (right > MAX_CORRECT_RATIO * longestWrong) {
        problems.add(
          lessonWhere,
          `questions[${qi}].choices`,
          `give the answer away: the correct choice of "${question.id}" has ${right} characters, more than ` +
            `${MAX_CORRECT_RATIO} × its longest wrong choice (${longestWrong})`,
        );
      }
    });
  }
  if (longest.length * 3 > questions) {
    problems.add(
      where,
      '(all questions)',
      `give the answer away: the correct choice is the longest in ${longest.length} of ${questions} ` +
        `questions, at most a third (${Math.floor(questions / 3)}) may be: ${longest.join(', ')}`,
    );
  }
}

/**
 * The names texts are measured and judged with: the language's default organisation and contact,
 * the contact for privacy too, and the default monitoring statement.
 */
function sampleNames(language: RawLanguage): Record<string, string> {
  const names = { org: language.ui?.defaultOrg ?? '', contactName: language.ui?.defaultContact ?? '' };
  const withPrivacy = { ...names, privacyContact: names.contactName };
  const monitoring = fill(language.ui?.defaultMonitoring ?? '', withPrivacy);
  return { ...withPrivacy, monitoring, contactEmail: SAMPLE_EMAIL, policyUrl: SAMPLE_URL };
}

/**
 * The language's questions with one right choice, filled as the guessers read them. A lesson in
 * `lessonsFolder` is named by its file name, one elsewhere (the organisation's) by its full path.
 */
export function cueItems(language: RawLanguage, lessonsFolder: string): CueItem[] {
  const sample = sampleNames(language);
  const t = (text: string) => fill(text, sample);
  return language.lessons.flatMap(({ file, where, lesson }) =>
    (lesson?.questions ?? []).flatMap((question) => {
      const correct = question.choices.findIndex((c) => c.correct);
      if (correct < 0 || question.choices.filter((c) => c.correct).length !== 1) return [];
      const cue = {
        scenario: t(question.scenario ?? ''),
        prompt: t(question.prompt),
        choices: question.choices.map((c) => t(c.text)),
        lesson: t(`${lesson?.body ?? ''}\n\n${lesson?.takeaway ?? ''}`),
        contactName: sample.contactName ?? '',
      };
      const name = where === `${lessonsFolder}/${file}` ? file : where;
      return [{ label: `${name} ${question.id}`, question: cue, correct }];
    }),
  );
}

/**
 * Surface cues must not give the answer away: no test-wise guesser (guessers.ts) may score more
 * than chance plus 10 percentage points of the language's questions.
 */
export function checkCues(code: Language, language: RawLanguage, problems: Problems, where: string): void {
  const scores = scoreCues(cueItems(language, where), CUE_WORDS[code]);
  for (const { name, score, hits } of scores.guessers) {
    if (score <= scores.limit + 1e-9) continue;
    problems.add(
      where,
      '(all questions)',
      `give the answer away to the guesser "${name}": it scores ${figure(score, scores.limit)} of ` +
        `${scores.questions} questions, ` +
        `more than chance (${figure(scores.chance)}) + 10 % = ${figure(scores.limit)}; ` +
        `its cue points to the right choice in: ${hits.map(describeHit).join(', ')}`,
    );
  }
}

/** Every language must have the same policy date, lessons, questions, choices, answers and coverage. */
export function compareLanguages(raw: Record<Language, RawLanguage>, problems: Problems, root: string): void {
  const [base, ...others] = LANGUAGES;
  const reference = raw[base];
  for (const language of others) {
    const other = raw[language];
    if (reference.course && other.course && other.course.published !== reference.course.published) {
      problems.add(
        `${root}/${language}/course.json`,
        'published',
        `differs from ${base} (${other.course.published} here, ${reference.course.published} in ${base})`,
      );
    }
    const where = (file: string) => `${root}/${language}/lessons/${file}`;
    const refFiles = reference.lessons.map((l) => l.file);
    const files = other.lessons.map((l) => l.file);
    for (const file of refFiles)
      if (!files.includes(file))
        problems.add(where(file), '(file)', `is missing: ${base} has it (missing translation)`);
    for (const file of files)
      if (!refFiles.includes(file)) problems.add(where(file), '(file)', `has no counterpart in ${base}`);
    for (const { file, lesson } of other.lessons) {
      const ref = reference.lessons.find((l) => l.file === file)?.lesson;
      if (!ref || !lesson) continue;
      const diff = (field: string, a: unknown, b: unknown) => {
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          problems.add(
            where(file),
            field,
            `differs from ${base} (${JSON.stringify(b)} here, ${JSON.stringify(a)} in ${base})`,
          );
        }
      };
      diff('id', ref.id, lesson.id);
      diff('revision', ref.revision, lesson.revision);
      diff('covers', ref.covers, lesson.covers);
      diff('image.file', ref.image?.url, lesson.image?.url);
      diff('questions.length', ref.questions.length, lesson.questions.length);
      ref.questions.forEach((rq, qi) => {
        const q = lesson.questions[qi];
        if (!q) return;
        const p = `questions[${qi}]`;
        diff(`${p}.id`, rq.id, q.id);
        diff(`${p}.covers`, rq.covers, q.covers);
        diff(`${p}.scenario (present)`, rq.scenario !== undefined, q.scenario !== undefined);
        diff(
          `${p}.choices`,
          rq.choices.map((c) => [c.id, c.correct]),
          q.choices.map((c) => [c.id, c.correct]),
        );
      });
    }
  }
}

/** Lesson and question ids are unique across the course. */
export function checkUniqueIds(reference: RawLanguage, problems: Problems): void {
  const seen = new Map<string, string>();
  for (const { file, where, lesson } of reference.lessons) {
    if (!lesson) continue;
    for (const id of [lesson.id, ...lesson.questions.map((q) => q.id)]) {
      const first = seen.get(id);
      if (first !== undefined) problems.add(where, 'id', `"${id}" is already used in ${first}`);
      else seen.set(id, file);
    }
  }
}
