import type { TurnContext } from 'botbuilder';
import type { LanguagePack } from '../cards/languagePack.js';
import { languageOfLocale } from '../domain/course/course.js';
import type { Log } from '../domain/log.js';
import { StoreUnavailable } from '../domain/storeUnavailable.js';
import { FiguresNotReady } from '../domain/figures/figuresNotReady.js';
import type { RouteDeps } from './routeDeps.js';

/**
 * How long all store requests of one turn may take, retries included: Teams waits about 15 s for
 * an answer, and this leaves time to send it.
 */
export const TURN_STORE_BUDGET_MS = 9_000;

/** Whether the error is the store not answering in time; if so it is logged (the operation, never the person). */
export function storeFailed(error: unknown, log: Log): error is StoreUnavailable {
  if (!(error instanceof StoreUnavailable)) return false;
  log.info('store.unavailable', { operation: error.operation, fault: error.fault });
  return true;
}

/** What to tell the person when the turn gave up on the store or on HR's figures; undefined for any other error. */
export function unansweredText(error: unknown, log: Log): 'notSaved' | 'figuresCounting' | undefined {
  if (error instanceof FiguresNotReady) return 'figuresCounting';
  return storeFailed(error, log) ? 'notSaved' : undefined;
}

/** The person's language pack as far as it is known without the store: their Teams locale's. */
export function packWithoutStore(context: TurnContext, deps: RouteDeps): LanguagePack {
  return deps.packs[languageOfLocale(context.activity.locale) ?? deps.defaultLanguage];
}
