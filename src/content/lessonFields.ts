import { POLICY_IDS, type Choice, type Lesson, type Question } from '../domain/course/course.js';
import { Fields, join } from './fields.js';
import { ORG_PLACEHOLDERS, placeholders } from './ui.js';

/** The organisation's own policy ids: O1, O2, … (allowed only in the organisation's folder). */
export const ORG_POLICY_ID = /^O[1-9][0-9]?$/;

/** Which policy ids a lesson file may name: the standard ones, or those plus O-ids. */
export type PolicyIds = 'standard' | 'organisation';

/** Reads one lesson file; every mistake is reported with the file and field. */
export function readLesson(f: Fields, json: unknown, ids: PolicyIds): Lesson | undefined {
  const obj = f.object(json, '(root)');
  if (!obj) return undefined;
  checkPlaceholders(f, obj, '', ORG_PLACEHOLDERS);
  const image = obj.image === undefined ? undefined : f.object(obj.image, 'image');
  return {
    id: f.id(obj, 'id', '') ?? '',
    revision: f.number(obj, 'revision', '', 1, 999) ?? 1,
    title: f.text(obj, 'title', '', 80) ?? '',
    covers: readCovers(f, obj, '', ids),
    body: f.text(obj, 'body', '', 1200) ?? '',
    takeaway: f.text(obj, 'takeaway', '', 200) ?? '',
    ...(image
      ? { image: { url: f.text(image, 'file', 'image', 100) ?? '', alt: f.text(image, 'alt', 'image', 250) ?? '' } }
      : {}),
    questions: f.array(obj, 'questions', '', 1, 4).map((q, i) => readQuestion(f, q, join('questions', i), ids)),
  };
}

function readQuestion(f: Fields, json: unknown, path: string, ids: PolicyIds): Question {
  const obj = f.object(json, path) ?? {};
  const choices = f.array(obj, 'choices', path, 3, 4).map((c, i) => readChoice(f, c, join(join(path, 'choices'), i)));
  const correct = choices.filter((c) => c.correct).length;
  if (choices.length > 0 && correct !== 1)
    f.problem(join(path, 'choices'), `must have exactly one correct choice (has ${correct})`);
  const choiceIds = choices.map((c) => c.id);
  if (new Set(choiceIds).size !== choiceIds.length)
    f.problem(join(path, 'choices'), 'has two choices with the same id');
  const scenario = f.text(obj, 'scenario', path, 500, true);
  return {
    id: f.id(obj, 'id', path) ?? '',
    covers: readCovers(f, obj, path, ids),
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

function readCovers(f: Fields, obj: Record<string, unknown>, path: string, ids: PolicyIds): string[] {
  const covers = f.array(obj, 'covers', path, 1, 23);
  covers.forEach((id, i) => {
    const field = join(join(path, 'covers'), i);
    if (typeof id === 'string' && POLICY_IDS.includes(id)) return;
    if (typeof id === 'string' && ORG_POLICY_ID.test(id)) {
      if (ids === 'standard')
        f.problem(
          field,
          `is an organisation policy id (${id}); those belong in the organisation's folder (POSTWISE_ORG_CONTENT)`,
        );
      return;
    }
    const known = ids === 'standard' ? 'G1–G20, P1–P3' : 'G1–G20, P1–P3, O1–O99';
    f.problem(field, `is not a known policy id (got ${JSON.stringify(id)}; known: ${known})`);
  });
  return covers.filter((c): c is string => typeof c === 'string');
}

/** Texts may use only the placeholders the loader fills ({lessons} only in course.json). */
export function checkPlaceholders(f: Fields, value: unknown, path: string, allowed: readonly string[]): void {
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
