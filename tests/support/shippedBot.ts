import { afterAll, beforeAll } from 'vitest';
import type { Content } from '../../src/content/load.js';
import { startHarness, type BotHarness } from './harness.js';
import { shippedContent } from './shippedContent.js';

/** The bot with default settings, and the content it ships with. */
export interface ShippedBot {
  readonly h: BotHarness;
  readonly content: Content;
}

/** Starts the bot before a file's tests and closes it after them; the fields are there once the tests run. */
export function useShippedBot(): ShippedBot {
  const bot = {} as { h: BotHarness; content: Content };
  beforeAll(async () => {
    [bot.h, bot.content] = await Promise.all([startHarness(), shippedContent()]);
  });
  afterAll(() => bot.h.close());
  return bot;
}
