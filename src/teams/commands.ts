import { LANGUAGES } from '../domain/course/course.js';
import { withoutMentions } from './messageText.js';
import type { TypedCommand } from './route.js';
import { ROUTES, type TypedRoute } from './routeTable.js';

/** A typed message read as a command of the route table. */
export type ParsedCommand = TypedCommand<TypedRoute['name']>;

/** Longest text treated as a possible command; anything longer gets a "too long" answer. */
export const MAX_TEXT_LENGTH = 1000;

/** A typed phrase: its first word, and the words that must follow it ("contact here"). */
interface Phrase {
  readonly route: TypedRoute['name'];
  readonly first: string;
  readonly rest: readonly string[];
}

const PHRASES: readonly Phrase[] = ROUTES.filter((r): r is TypedRoute => 'words' in r).flatMap((route) =>
  LANGUAGES.flatMap((language) => route.words[language]).map((words) => {
    const [first = '', ...rest] = words.split(' ');
    return { route: route.name, first, rest };
  }),
);

/**
 * Reads a typed message: case-insensitive, @mentions and punctuation ignored, one typo
 * forgiven in words of five letters or more. Undefined when no command matches.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const words = withoutMentions(text)
    .toLowerCase()
    .replace(/[.,!;:"'()]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '');
  const [first, ...after] = words;
  if (first === undefined) return undefined;
  const route = lookup(first);
  if (!route) return undefined;
  // The longest of the route's phrases whose later words follow.
  const rest = PHRASES.filter((p) => p.route === route && p.rest.every((word, i) => after[i] === word))
    .map((p) => p.rest.length)
    .sort((a, b) => b - a)[0];
  return rest === undefined ? undefined : { route, args: after.slice(rest) };
}

function lookup(word: string): TypedRoute['name'] | undefined {
  const exact = PHRASES.find((p) => p.first === word);
  if (exact) return exact.route;
  if (word.length < 5) return undefined;
  const routes = new Set(
    PHRASES.filter((p) => p.first.length >= 5 && withinOneEdit(word, p.first)).map((p) => p.route),
  );
  return routes.size === 1 ? [...routes][0] : undefined;
}

/** True when a and b differ by at most one insertion, deletion, substitution or swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.slice(i) === longer.slice(i + 1);
}
