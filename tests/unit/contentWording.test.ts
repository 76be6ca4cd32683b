import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { jsonFiles } from '../../src/content/checks.js';
import { loadContent, type OrgTexts } from '../../src/content/load.js';
import { RENDER_PLACEHOLDERS } from '../../src/content/ui.js';
import { LANGUAGES, type Language } from '../../src/domain/course/course.js';

const CONTENT = path.join(PROJECT_ROOT, 'content');

/** Names an organisation may give, per language; undefined is the language's default wording. */
type Names = (string | undefined)[];
const NAMES: Record<Language, { contact: Names; org: Names; privacy: Names }> = {
  en: {
    contact: [undefined, 'the communications team', 'Marketing', 'Jan de Vries'],
    org: [undefined, 'Acme', 'our organisation'],
    privacy: [undefined, 'the privacy officer', 'Priya Shah'],
  },
  nl: {
    contact: [undefined, 'het communicatieteam', 'Marketing', 'Jan de Vries'],
    org: [undefined, 'Acme', 'onze organisatie'],
    privacy: [undefined, 'de privacyfunctionaris', 'Priya Shah'],
  },
};

/** Marks where a name filled in for a placeholder starts and ends, so that only pairs across that edge count. */
const EDGE = '\u2063';

/** Two articles in a row, one of them the start or end of a filled-in name. */
function doubled(pairs: string): RegExp {
  const across = pairs.split(', ').flatMap((pair) => {
    const [first, second] = pair.split(' ');
    return [`${first}\\s+${EDGE}${second}`, `${first}${EDGE}\\s+${second}`];
  });
  return new RegExp(`\\b(?:${across.join('|')})\\b`, 'i');
}

const DOUBLED: Record<Language, RegExp> = {
  en: doubled('the the, a the, the a'),
  nl: doubled('het het, de de, het de, de het, een de'),
};

/** Words that refer back to a name and so fit only some of the names an organisation gives. */
const PRONOUNS: Record<Language, readonly string[]> = {
  en: ['he', 'she', 'they', 'it', 'who', 'which', 'him', 'her', 'them'],
  nl: ['die', 'dat', 'deze', 'hij', 'zij', 'ze', 'hem', 'haar'],
};

/** One text an employee sees: the file, the field in it, the text. */
interface Shown {
  readonly where: string;
  readonly field: string;
  readonly text: string;
}

type Json = Record<string, any>;

/** Every text of a lesson an employee reads, by field; works on a lesson file and on a loaded lesson alike. */
function lessonTexts(lesson: Json): [string, string][] {
  const texts: [string, string][] = [
    ['title', lesson.title],
    ['body', lesson.body],
    ['takeaway', lesson.takeaway],
  ];
  if (lesson.image) texts.push(['image.alt', lesson.image.alt]);
  lesson.questions.forEach((q: Json, i: number) => {
    if (q.scenario !== undefined) texts.push([`questions[${i}].scenario`, q.scenario]);
    texts.push([`questions[${i}].prompt`, q.prompt]);
    q.choices.forEach((c: Json, j: number) => {
      const choice = `questions[${i}].choices[${j}]`;
      texts.push([`${choice}.text`, c.text], [`${choice}.feedback`, c.feedback]);
    });
  });
  return texts;
}

/** Every text of a course (lessons, course.json, ui.json), as the files hold them or as loaded. */
function shownTexts(language: Language, course: Json, ui: Json, lessons: Json[], files: string[]): Shown[] {
  const folder = `content/${language}`;
  const shown: Shown[] = [];
  const add = (where: string, field: string, text: unknown) => {
    if (typeof text === 'string') shown.push({ where, field, text });
  };
  lessons.forEach((lesson, i) => {
    for (const [field, text] of lessonTexts(lesson)) add(`${folder}/lessons/${files[i]}`, field, text);
  });
  add(`${folder}/course.json`, 'title', course.title);
  add(`${folder}/course.json`, 'intro', course.intro);
  (course.summary as unknown[]).forEach((line, i) => add(`${folder}/course.json`, `summary[${i}]`, line));
  for (const [key, text] of Object.entries(ui)) if (key !== '$schema') add(`${folder}/ui.json`, key, text);
  return shown;
}

const read = async (file: string): Promise<Json> => JSON.parse(await readFile(file, 'utf8'));

/** The texts as the files hold them, placeholders unfilled. */
async function rawTexts(language: Language): Promise<Shown[]> {
  const dir = path.join(CONTENT, language);
  const files = await jsonFiles(path.join(dir, 'lessons'));
  const lessons = await Promise.all(files.map((f) => read(path.join(dir, 'lessons', f))));
  const [course, ui] = [await read(path.join(dir, 'course.json')), await read(path.join(dir, 'ui.json'))];
  return shownTexts(language, course, ui, lessons, files);
}

/** The sentences of `text` from the one around `index` to the one around `until`, without edge marks. */
function sentenceAt(text: string, index: number, until = index): string {
  const marks = ['. ', '! ', '? ', '\n'];
  const start = Math.max(
    0,
    ...marks.map((mark) => {
      const at = text.lastIndexOf(mark, index - 1);
      return at === -1 ? 0 : at + mark.length;
    }),
  );
  const ends = marks.map((mark) => text.indexOf(mark, until)).filter((i) => i >= 0);
  return text
    .slice(start, ends.length > 0 ? Math.min(...ends) + 1 : text.length)
    .replaceAll(EDGE, '')
    .trim();
}

/** What may stand between a name and the end of its clause: an address (and up to three words, "right away"). */
const ADDRESS_AFTER = /^(?:\s*(?:\(|at |via |op )?\{(?:contactEmail|policyUrl)\}\)?(?:\s+\p{L}+){0,3})?/u;

/**
 * A pronoun that starts the clause or sentence right after {contactName}, {org} or {privacyContact}
 * (and the address that may follow the name), with where it is.
 */
function pronounAfterName(language: Language, text: string): { index: number; at: number; word: string } | undefined {
  for (const match of text.matchAll(/\{(?:contactName|org|privacyContact)\}/g)) {
    let at = match.index + match[0].length;
    at += ADDRESS_AFTER.exec(text.slice(at))?.[0].length ?? 0;
    const clause = /^(?:[,;:.!?)]+['"’”]?\s+|\s*\n+\s*)['"‘“(*]*/.exec(text.slice(at));
    if (!clause) continue;
    at += clause[0].length;
    const word = /^\p{L}+/u.exec(text.slice(at))?.[0].toLowerCase();
    if (word !== undefined && PRONOUNS[language].includes(word)) return { index: match.index, at, word };
  }
  return undefined;
}

const marked = (name: string) => `${EDGE}${name}${EDGE}`;

/** Every combination of the names above (the language's defaults from its ui.json), edges marked. */
function namings(language: Language, ui: Json): OrgTexts[] {
  const { contact, org, privacy } = NAMES[language];
  return contact.flatMap((contactName) =>
    org.flatMap((name) =>
      privacy.map((privacyContact) => ({
        name: marked(name ?? ui.defaultOrg),
        contactName: marked(contactName ?? ui.defaultContact),
        privacyContact: marked(privacyContact ?? contactName ?? ui.defaultContact),
        contactEmail: 'socialmedia@example.com',
        policyUrl: 'https://example.com/p',
      })),
    ),
  );
}

describe.each(LANGUAGES)('the wording of every text an employee sees, in %s', (language) => {
  let files: string[];
  beforeAll(async () => {
    files = await jsonFiles(path.join(CONTENT, language, 'lessons'));
  });

  it('never doubles an article and leaves no {…} unfilled, whatever names the organisation gives', async () => {
    const problems = new Set<string>();
    const ui = await read(path.join(CONTENT, language, 'ui.json'));
    for (const org of namings(language, ui)) {
      const content = await loadContent(CONTENT, org);
      const course = content.courses[language];
      const lessons = course.lessons as unknown as Json[];
      for (const { where, field, text } of shownTexts(language, course, content.ui[language], lessons, files)) {
        const doubled = DOUBLED[language].exec(text);
        if (doubled) problems.add(`${where}: ${field} doubles an article: "${sentenceAt(text, doubled.index)}"`);
        const rendered = where.endsWith('ui.json') ? (RENDER_PLACEHOLDERS as readonly string[]) : [];
        const left = [...text.matchAll(/\{([^{}]*)\}/g)].find((m) => !rendered.includes(m[1] ?? ''));
        if (left) problems.add(`${where}: ${field} leaves ${left[0]} unfilled: "${sentenceAt(text, left.index)}"`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  it('refers back to a name with no pronoun that fits only some names', async () => {
    const problems: string[] = [];
    for (const { where, field, text } of await rawTexts(language)) {
      const found = pronounAfterName(language, text);
      if (found) {
        const sentence = sentenceAt(text, found.index, found.at);
        problems.push(`${where}: ${field} refers back with "${found.word}": "${sentence}"`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the wording rules themselves', () => {
  it('catch a doubled article, a pronoun after a name and a sentence around them', () => {
    expect(DOUBLED.nl.exec(`Vraag het ${marked('het communicatieteam')}.`)).not.toBeNull();
    expect(DOUBLED.nl.exec(`Alsof het het standpunt van ${marked('Acme')} is.`)).toBeNull();
    expect(DOUBLED.en.exec(`Ask ${marked('the communications team')} the question.`)).toBeNull();
    expect(pronounAfterName('nl', 'Mail {contactName} via {contactEmail}. Die volgt het op.')?.word).toBe('die');
    expect(pronounAfterName('en', 'Mail {contactName} at {contactEmail} right away. They help.')?.word).toBe('they');
    expect(pronounAfterName('en', 'Tell {contactName}, who will help.')?.word).toBe('who');
    expect(pronounAfterName('en', 'Tell {contactName} what happened. Then wait.')).toBeUndefined();
    expect(pronounAfterName('en', 'Mark leaves {org} next month. He told me.')).toBeUndefined();
    expect(sentenceAt('One. Two three. Four. Five.', 6, 17)).toBe('Two three. Four.');
  });
});
