import type { UiKey } from '../content/ui.js';
import type { Language } from '../domain/course/course.js';
import type { RouteDeps } from './routeDeps.js';
import type { Reply, Scope, Turn } from './turn.js';

/** How a person reaches a route: by typing one of its words, or with a card button whose verb is its name. */
export type Via = 'typed' | 'card';

/**
 * Who may use a route (everyone when a route names nobody): HR users, contact admins in a
 * team's channel (the only place the contact channel can be chosen), or managers of someone on the roster.
 */
export type Who = 'hr' | 'contactAdmin' | 'manager';

/** A typed message read as a command: the route whose words it starts with, and the words after them. */
export interface TypedCommand<Name extends string = string> {
  readonly route: Name;
  readonly args: readonly string[];
}

/** The verb of a route's card buttons. */
export function verbOf(route: RouteDeclaration): string {
  return route.verb ?? route.name;
}

/** One thing a person can ask the bot for, declared once: where, how, by whom, and what it does. */
export interface RouteDeclaration {
  /** Also the verb of the card buttons that ask for it, unless `verb` says otherwise. */
  readonly name: string;
  /**
   * The verb its card buttons carry where it is not the name: HR's buttons keep the verbs they had
   * before their routes were renamed, as cards already sent (and the campaign status HR watches) carry them.
   */
  readonly verb?: string;
  readonly scope: Scope;
  readonly via: readonly Via[];
  /**
   * What can be typed for it, in each language (both are understood); a phrase's later words
   * must follow exactly.
   */
  readonly words?: Readonly<Record<Language, readonly string[]>>;
  /** Messages of a shape (a dropped file, a reply in a thread) that go here whatever their words. */
  readonly select?: (turn: Turn, command: TypedCommand | undefined) => boolean;
  readonly who?: Who;
  /** What anyone else is told, instead of the role's usual refusal. */
  readonly refusal?: UiKey;
  /** The answer; undefined when the turn is not for this route after all (a thread that is not a ticket's). */
  readonly handle: (turn: Turn, deps: RouteDeps) => Promise<Reply | undefined>;
}
