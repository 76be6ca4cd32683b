import { ConfigError } from './domain/configError.js';
import { text, type Env } from './configValues.js';

/**
 * POSTWISE_ACTIVITY_FEED: on, or off (the default). On, due-date reminders, overdue notices and the refreshers of
 * people away from the chat go to the Teams activity feed through Microsoft Graph.
 */
export function activityFeedOn(env: Env): boolean {
  const raw = (text(env, 'POSTWISE_ACTIVITY_FEED') ?? 'off').toLowerCase();
  if (raw !== 'on' && raw !== 'off')
    throw new ConfigError('POSTWISE_ACTIVITY_FEED', `must be on or off (got '${raw}')`);
  return raw === 'on';
}
