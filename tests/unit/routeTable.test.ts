import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { LANGUAGES } from '../../src/domain/course/course.js';
import { parseCommand } from '../../src/teams/commands.js';
import { verbOf, type RouteDeclaration } from '../../src/teams/route.js';
import { ROUTES } from '../../src/teams/routeTable.js';

const routes: readonly RouteDeclaration[] = ROUTES;
const VERB = /["']?verb["']?\s*:\s*["']([^"'$]+)["']/g;

/** Every file below a folder, with its text. */
async function filesUnder(dir: string, extension: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(extension))
    .map((e) => path.join(e.parentPath, e.name));
  return Promise.all(
    files.map(async (file) => ({ file: path.relative(PROJECT_ROOT, file), text: await readFile(file, 'utf8') })),
  );
}

/** The verbs of the card buttons: in the templates, and any a card built in code carries. */
async function buttonVerbs(): Promise<{ file: string; verb: string }[]> {
  const sources = [
    ...(await filesUnder(path.join(PROJECT_ROOT, 'cards'), '.json')),
    ...(await filesUnder(path.join(PROJECT_ROOT, 'src'), '.ts')),
  ];
  return sources.flatMap(({ file, text }) => [...text.matchAll(VERB)].map(([, verb = '']) => ({ file, verb })));
}

const isCardRoute = (r: RouteDeclaration) => r.via.includes('card');

describe('the route table', () => {
  it('has a card route for every button verb', async () => {
    const verbs = await buttonVerbs();
    expect(verbs.length).toBeGreaterThan(20);
    const cardRoutes = routes.filter(isCardRoute).map(verbOf);
    for (const { file, verb } of verbs) expect(cardRoutes, `${file}: verb ${verb}`).toContain(verb);
  });

  it('has no route nobody can reach: each is typed, on a button, or selects messages of its shape', async () => {
    const verbs = new Set((await buttonVerbs()).map((v) => v.verb));
    const unreachable = routes.filter(
      (r) => !r.via.includes('typed') && !(isCardRoute(r) && verbs.has(verbOf(r))) && r.select === undefined,
    );
    expect(unreachable.map((r) => r.name)).toEqual([]);
  });

  it('declares each route once, with words in every language exactly when it can be typed', () => {
    const names = routes.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const route of routes) {
      expect(route.words !== undefined, `${route.name}: words`).toBe(route.via.includes('typed'));
      for (const language of LANGUAGES)
        if (route.words) expect(route.words[language].length, `${route.name}: ${language}`).toBeGreaterThan(0);
    }
  });

  it('reads every typed word as its own route, and no word as two', () => {
    for (const route of routes) {
      for (const words of LANGUAGES.flatMap((l) => route.words?.[l] ?? [])) {
        expect(parseCommand(words)?.route, `"${words}"`).toBe(route.name);
        expect(parseCommand(words.toUpperCase())?.route, `"${words}" in capitals`).toBe(route.name);
      }
    }
  });

  it('knows every command the Teams command menu offers, in both languages', async () => {
    const titles = [
      ...(await readFile(path.join(PROJECT_ROOT, 'manifest', 'manifest.template.json'), 'utf8')).matchAll(
        /"title":\s*"([^"]+)",\s*"description"/g,
      ),
      ...(await readFile(path.join(PROJECT_ROOT, 'manifest', 'nl.template.json'), 'utf8')).matchAll(
        /commands\[\d+\]\.title":\s*"([^"]+)"/g,
      ),
    ].map(([, title = '']) => title);
    expect(titles).toContain('contact hier');
    for (const title of titles) expect(parseCommand(title), title).toBeDefined();
  });

  it('still needs the word after "contact", and forgives one typo in a long word', () => {
    expect(parseCommand('contact')).toBeUndefined();
    expect(parseCommand('contact us')).toBeUndefined();
    expect(parseCommand('Contcat here please')).toEqual({ route: 'contactHere', args: ['please'] });
    expect(parseCommand('dekkign')?.route).toBe('coverage');
  });
});
