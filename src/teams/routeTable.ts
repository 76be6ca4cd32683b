import type { UiKey } from '../content/ui.js';
import type { Language } from '../domain/course/course.js';
import type { ParsedCommand } from './commands.js';
import type { RouteDeps } from './routeDeps.js';
import { CAMPAIGNS_ROUTES } from './routes/campaigns.js';
import { COURSE_ROUTES } from './routes/course.js';
import { COVERAGE_ROUTES } from './routes/coverage.js';
import { INVENTORY_ROUTES } from './routes/inventory.js';
import { ITEMS_ROUTES } from './routes/items.js';
import { QUESTIONS_ROUTES } from './routes/questions.js';
import { REFRESHER_ROUTES } from './routes/refreshers.js';
import { ROSTER_ROUTES } from './routes/roster.js';
import { UNDERSTANDING_ROUTES } from './routes/understanding.js';
import { WELCOME_ROUTES } from './routes/welcome.js';
import type { Reply, Scope, Turn } from './turn.js';

/** How a person reaches a route: by typing one of its words, or with a card button whose verb is its name. */
export type Via = 'typed' | 'card';

/**
 * Who may use a route (everyone when a route names nobody): HR users, or contact admins in a
 * team's channel (the only place the contact channel can be chosen).
 */
export type Who = 'hr' | 'contactAdmin';

/** One thing a person can ask the bot for, declared once: where, how, by whom, and what it does. */
export interface RouteDeclaration {
  /** Also the verb of the card buttons that ask for it. */
  readonly name: string;
  readonly scope: Scope;
  readonly via: readonly Via[];
  /** What can be typed for it, in each language (both are understood); a phrase's later words must follow exactly. */
  readonly words?: Readonly<Record<Language, readonly string[]>>;
  /** Messages of a shape (a dropped file, a reply in a thread) that go here whatever their words. */
  readonly select?: (turn: Turn, command: ParsedCommand | undefined) => boolean;
  readonly who?: Who;
  /** What anyone else is told, instead of the role's usual refusal. */
  readonly refusal?: UiKey;
  /** The answer; undefined when the turn is not for this route after all (a thread that is not a ticket's). */
  readonly handle: (turn: Turn, deps: RouteDeps) => Promise<Reply | undefined>;
}

/** Everything a person can ask the bot for. */
export const ROUTES = [
  ...WELCOME_ROUTES,
  ...COURSE_ROUTES,
  ...QUESTIONS_ROUTES,
  ...ROSTER_ROUTES,
  ...CAMPAIGNS_ROUTES,
  ...COVERAGE_ROUTES,
  ...UNDERSTANDING_ROUTES,
  ...ITEMS_ROUTES,
  ...INVENTORY_ROUTES,
  ...REFRESHER_ROUTES,
] as const;

export type Route = (typeof ROUTES)[number];
export type RouteName = Route['name'];
/** The routes that can be typed. */
export type TypedRoute = Extract<Route, { readonly words: unknown }>;
