import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { ContentError } from '../../src/content/contentError.js';
import { loadContent } from '../../src/content/load.js';
import { CONTENT_DIR, DEFAULT_ORG } from '../support/shippedContent.js';
import { useTempDirs } from '../support/tempDirs.js';

const LESSON = path.join('en', 'lessons', '04-the-party.json');
const COURSE = path.join('en', 'course.json');

const ajv = new Ajv2020({ allErrors: true });
let schemas: Record<'lesson' | 'course', ReturnType<typeof ajv.compile>>;
beforeAll(async () => {
  const schema = async (name: string) =>
    ajv.compile(JSON.parse(await readFile(path.join(CONTENT_DIR, 'schemas', `${name}.schema.json`), 'utf8')));
  schemas = { lesson: await schema('lesson'), course: await schema('course') };
});

type Edit = (json: any) => void;
const q = (json: any) => json.questions[0];
/** Broken files: each breaks one rule, and both the schema and the start-up check must refuse it. */
const BROKEN: [string, string, Edit][] = [
  ['a lesson without a title', LESSON, (l) => delete l.title],
  ['a title of 81 characters', LESSON, (l) => (l.title = 'x'.repeat(81))],
  ['a body of spaces', LESSON, (l) => (l.body = '   ')],
  ['no policy ids', LESSON, (l) => (l.covers = [])],
  ['an unknown policy id', LESSON, (l) => (l.covers = ['G21'])],
  ['a lesson without a revision', LESSON, (l) => delete l.revision],
  ['revision 0', LESSON, (l) => (l.revision = 0)],
  ['a revision of 1.5', LESSON, (l) => (l.revision = 1.5)],
  ['a revision as text', LESSON, (l) => (l.revision = '2')],
  ['an id that is not a slug', LESSON, (l) => (l.id = 'The Party')],
  ['no questions', LESSON, (l) => (l.questions = [])],
  ['five questions', LESSON, (l) => (l.questions = [q(l), q(l), q(l), q(l), q(l)])],
  ['two choices', LESSON, (l) => (q(l).choices = q(l).choices.slice(0, 2))],
  ['two correct choices', LESSON, (l) => q(l).choices.forEach((c: any) => (c.correct = true))],
  ['no correct choice', LESSON, (l) => q(l).choices.forEach((c: any) => (c.correct = false))],
  ['"correct" as text', LESSON, (l) => (q(l).choices[0].correct = 'yes')],
  ['an unknown placeholder', LESSON, (l) => (q(l).prompt = 'What would {manager} say?')],
  ['{lessons} in a lesson', LESSON, (l) => (l.takeaway = 'One of {lessons}.')],
  ['feedback of 401 characters', LESSON, (l) => (q(l).choices[0].feedback = 'y'.repeat(401))],
  ['an image that is not a png', LESSON, (l) => (l.image = { file: 'party.jpg', alt: 'A party' })],
  ['a question without a prompt', LESSON, (l) => delete q(l).prompt],
  ['a course of 0 minutes', COURSE, (c) => (c.minutes = 0)],
  ['a date written the Dutch way', COURSE, (c) => (c.published = '30-11-2026')],
  ['a summary of two lines', COURSE, (c) => (c.summary = c.summary.slice(0, 2))],
  ['an empty summary line', COURSE, (c) => (c.summary[0] = '')],
  ['an unknown placeholder in the intro', COURSE, (c) => (c.intro = `${c.intro} {name}`)],
  ['a course without a title', COURSE, (c) => delete c.title],
];

const tempDir = useTempDirs('schema');

describe('the JSON Schemas and the start-up check agree', () => {
  it.each(BROKEN)('both refuse %s', async (_, file, edit) => {
    const dir = path.join(await tempDir(), 'content');
    await cp(CONTENT_DIR, dir, { recursive: true });
    const json = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    edit(json);
    await writeFile(path.join(dir, file), JSON.stringify(json));

    expect(schemas[file === COURSE ? 'course' : 'lesson'](json)).toBe(false);
    const error = await loadContent(dir, DEFAULT_ORG).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).problems.map((p) => p.file)).toContain(`content/${file}`);
  });

  it('both accept every shipped file, and every content file names its schema', async () => {
    await expect(loadContent(CONTENT_DIR, DEFAULT_ORG)).resolves.toBeDefined();
    const files: [string, 'lesson' | 'course', string][] = [];
    for (const language of ['en', 'nl']) {
      files.push([path.join(CONTENT_DIR, language, 'course.json'), 'course', '../schemas/course.schema.json']);
      for (const name of await readdir(path.join(CONTENT_DIR, language, 'lessons'))) {
        files.push([path.join(CONTENT_DIR, language, 'lessons', name), 'lesson', '../../schemas/lesson.schema.json']);
      }
    }
    for (const [file, kind, ref] of files) {
      const json = JSON.parse(await readFile(file, 'utf8'));
      expect(json.$schema, file).toBe(ref);
      expect(path.resolve(path.dirname(file), ref)).toBe(path.join(CONTENT_DIR, 'schemas', `${kind}.schema.json`));
      expect(schemas[kind](json), `${file}: ${JSON.stringify(schemas[kind].errors)}`).toBe(true);
    }
    expect(files).toHaveLength(26);
    // The test organisation's lessons, with O-ids, pass the same lesson schema.
    for (const language of ['en', 'nl']) {
      const file = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'org', language, 'lessons', '01-customer-sites.json');
      const json = JSON.parse(await readFile(file, 'utf8'));
      expect(path.resolve(path.dirname(file), json.$schema)).toBe(
        path.join(CONTENT_DIR, 'schemas', 'lesson.schema.json'),
      );
      expect(schemas.lesson(json)).toBe(true);
    }
  });
});
