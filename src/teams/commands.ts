/** What a typed word asks for; several words (and both languages) lead to one route. */
export const TYPED_COMMANDS = {
  start: 'start',
  begin: 'start',
  beginnen: 'start',
  starten: 'start',
  continue: 'next',
  verder: 'next',
  next: 'next',
  volgende: 'next',
  resume: 'next',
  progress: 'progress',
  voortgang: 'progress',
  status: 'progress',
  language: 'language',
  taal: 'language',
  help: 'help',
  hulp: 'help',
  '?': 'help',
  ask: 'ask',
  vraag: 'ask',
  question: 'ask',
  report: 'report',
  melden: 'report',
  melding: 'report',
  faq: 'faq',
  contact: 'contactHere',
  hr: 'hr',
  coverage: 'coverage',
  dekking: 'coverage',
  campaign: 'hrCampaign',
  campagne: 'hrCampaign',
  remind: 'hrRemind',
  herinner: 'hrRemind',
  herinneren: 'hrRemind',
  roster: 'hrRoster',
  rooster: 'hrRoster',
  export: 'hrExport',
  exporteren: 'hrExport',
  audit: 'hrAudit',
} as const;

/** Commands that only count with one of these words after them ("contact here"). */
const REQUIRED_NEXT_WORD: Partial<Record<TypedRoute, readonly string[]>> = { contactHere: ['here', 'hier'] };

export type TypedRoute = (typeof TYPED_COMMANDS)[keyof typeof TYPED_COMMANDS];

export interface ParsedCommand {
  readonly route: TypedRoute;
  readonly args: readonly string[];
}

/** Longest text treated as a possible command; anything longer gets a "too long" answer. */
export const MAX_TEXT_LENGTH = 1000;

/**
 * Reads a typed message: case-insensitive, @mentions and punctuation ignored, one typo
 * forgiven in words of five letters or more. Undefined when no command matches.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const words = text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .toLowerCase()
    .replace(/[.,!;:"'()]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '');
  const [first, ...args] = words;
  if (first === undefined) return undefined;
  const route = lookup(first);
  if (!route) return undefined;
  const required = REQUIRED_NEXT_WORD[route];
  if (required && !required.includes(args[0] ?? '')) return undefined;
  return { route, args };
}

function lookup(word: string): TypedRoute | undefined {
  const exact = (TYPED_COMMANDS as Record<string, TypedRoute>)[word];
  if (exact) return exact;
  if (word.length < 5) return undefined;
  const near = Object.entries(TYPED_COMMANDS).filter(([known]) => known.length >= 5 && withinOneEdit(word, known));
  const routes = new Set(near.map(([, route]) => route));
  return routes.size === 1 ? (near[0]?.[1] as TypedRoute) : undefined;
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
