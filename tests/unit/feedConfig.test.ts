import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('activity feed configuration', () => {
  it('is off by default and turned on by POSTWISE_ACTIVITY_FEED=on alone', () => {
    expect(loadConfig({}).activityFeed).toBe(false);
    expect(loadConfig({ POSTWISE_ACTIVITY_FEED: 'off' }).activityFeed).toBe(false);
    expect(loadConfig({ POSTWISE_ACTIVITY_FEED: 'on' }).activityFeed).toBe(true);
    expect(loadConfig({ POSTWISE_ACTIVITY_FEED: ' ON ' }).activityFeed).toBe(true);
  });

  it.each(['yes', 'true', '1', 'feed'])('refuses %s, naming the variable', (value) => {
    const start = () => loadConfig({ POSTWISE_ACTIVITY_FEED: value });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/POSTWISE_ACTIVITY_FEED must be on or off/);
  });
});
