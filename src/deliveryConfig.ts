import { ConfigError } from './domain/configError.js';
import { flag, GUID, numberIn, text, type Env } from './configValues.js';

/** Install the app for a person through Graph before messaging them first. */
export interface ProactiveInstall {
  readonly enabled: boolean;
  readonly catalogAppId: string | undefined;
}

const MAX_SEND_RATE = 1000;

/**
 * The pace delivery starts at and the ceiling it may rise to (Teams documents about 50 requests/s per app and tenant).
 */
export function sendRates(env: Env): { sendRate: number; sendRateMax: number } {
  const sendRate = numberIn(env, 'POSTWISE_SEND_RATE', 45, 1, MAX_SEND_RATE, 'requests per second');
  const sendRateMax = numberIn(
    env,
    'POSTWISE_SEND_RATE_MAX',
    Math.max(60, sendRate),
    1,
    MAX_SEND_RATE,
    'requests per second',
  );
  if (sendRateMax < sendRate)
    throw new ConfigError(
      'POSTWISE_SEND_RATE_MAX',
      `must be at least POSTWISE_SEND_RATE (${sendRate}) (got '${sendRateMax}')`,
    );
  return { sendRate, sendRateMax };
}

/** POSTWISE_PROACTIVE_INSTALL and the app's catalog id it needs. */
export function proactiveInstall(env: Env): ProactiveInstall {
  const enabled = flag(env, 'POSTWISE_PROACTIVE_INSTALL');
  const catalogAppId = text(env, 'POSTWISE_TEAMS_APP_ID');
  if (catalogAppId !== undefined && !GUID.test(catalogAppId)) {
    throw new ConfigError(
      'POSTWISE_TEAMS_APP_ID',
      `must be the app's id in the Teams app catalog, a GUID (got '${catalogAppId}')`,
    );
  }
  if (enabled && catalogAppId === undefined) {
    throw new ConfigError(
      'POSTWISE_TEAMS_APP_ID',
      'is required when POSTWISE_PROACTIVE_INSTALL is true (the id Teams admin centre shows for the app)',
    );
  }
  return Object.freeze({ enabled, catalogAppId });
}
