import { ConfigError } from './domain/configError.js';
import { text, type Env } from './configValues.js';

/** POSTWISE_ACKNOWLEDGEMENT_MONTHS: whole months an acknowledgement holds (1 to 120); unset means it never lapses. */
export function acknowledgementMonths(env: Env): number | undefined {
  const raw = text(env, 'POSTWISE_ACKNOWLEDGEMENT_MONTHS');
  if (raw === undefined) return undefined;
  const months = Number(raw);
  if (!/^\d+$/.test(raw) || months < 1 || months > 120) {
    throw new ConfigError(
      'POSTWISE_ACKNOWLEDGEMENT_MONTHS',
      `must be a whole number of months from 1 to 120 (got '${raw}')`,
    );
  }
  return months;
}
