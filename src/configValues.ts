import { ConfigError } from './domain/configError.js';

/** An Entra object or tenant id. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An e-mail address as configuration accepts it. */
export const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

/** The process environment as config reads it. */
export type Env = Record<string, string | undefined>;

/** A variable's value, trimmed; undefined when unset or blank. */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** An http or https URL, or the fallback when unset. */
export function httpUrl(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an http or https URL (got '${raw}')`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(name, `must be an http or https URL (got '${raw}')`);
  }
  return url.toString();
}

/** A text of at most `max` characters. */
export function limited(env: Env, name: string, max: number): string | undefined {
  const value = text(env, name);
  if (value !== undefined && value.length > max) {
    throw new ConfigError(name, `must be at most ${max} characters (got ${value.length})`);
  }
  return value;
}

/** A number from `min` to `max`, `what` naming its unit in the error. */
export function numberIn(env: Env, name: string, fallback: number, min: number, max: number, what: string): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(name, `must be ${what} from ${min} to ${max} (got '${raw}')`);
  }
  return value;
}

/** true or false, default false. */
export function flag(env: Env, name: string): boolean {
  const raw = (text(env, name) ?? 'false').toLowerCase();
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(name, `must be true or false (got '${raw}')`);
  return raw === 'true';
}

/** `url` when it is https, or http on this machine (a test's fake, Azurite); else an error naming the variable. */
export function httpsOrLoopback(name: string, raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const loopback = url?.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!url || (url.protocol !== 'https:' && !loopback)) {
    throw new ConfigError(name, `must be an https URL, or http on 127.0.0.1 or localhost (got '${raw}')`);
  }
  return url.toString();
}
