import { ConfigError } from './domain/configError.js';
import { httpUrl, limited, type Env } from './configValues.js';
import { MONITORING_PLACEHOLDERS, placeholders } from './content/ui.js';
import { LANGUAGES, type Language } from './domain/course/course.js';

/** Organisation texts; undefined means "use the language's default wording". */
export interface OrgConfig {
  readonly name: string | undefined;
  readonly contactName: string | undefined;
  /** Who handles privacy and data leaks; undefined means the contact name. */
  readonly privacyContact: string | undefined;
  readonly contactEmail: string;
  readonly policyUrl: string;
  /** What the organisation says it watches online, per language; undefined means org.json's or the default. */
  readonly monitoring: Readonly<Record<Language, string>> | undefined;
}

/** The organisation's names, policy link and monitoring statement, with the contact e-mail already checked. */
export function orgConfig(env: Env, contactEmail: string): OrgConfig {
  return Object.freeze({
    name: limited(env, 'POSTWISE_ORG_NAME', 80),
    contactName: limited(env, 'POSTWISE_CONTACT_NAME', 80),
    privacyContact: limited(env, 'POSTWISE_PRIVACY_CONTACT', 80),
    contactEmail,
    policyUrl: httpUrl(env, 'POSTWISE_POLICY_URL', 'https://example.com/social-media-policy'),
    monitoring: monitoring(env),
  });
}

/** POSTWISE_MONITORING_EN and _NL: both or neither, 1 to 600 characters, only the organisation's names as {…}. */
function monitoring(env: Env): OrgConfig['monitoring'] {
  const names = LANGUAGES.map((language) => `POSTWISE_MONITORING_${language.toUpperCase()}`);
  const texts = names.map((name) => limited(env, name, 600));
  const missing = names.find((_, i) => texts[i] === undefined);
  const allowed: readonly string[] = MONITORING_PLACEHOLDERS;
  if (missing === undefined) {
    names.forEach((name, i) => {
      const unknown = placeholders(texts[i] ?? '').find((p) => !allowed.includes(p));
      if (unknown !== undefined) {
        throw new ConfigError(name, `may use only ${allowed.map((p) => `{${p}}`).join(', ')} (got {${unknown}})`);
      }
    });
    return Object.freeze(Object.fromEntries(LANGUAGES.map((l, i) => [l, texts[i]])) as Record<Language, string>);
  }
  const set = names.find((_, i) => texts[i] !== undefined);
  if (set !== undefined) {
    throw new ConfigError(missing, `is required when ${set} is set: the statement in every language, or none`);
  }
  return undefined;
}
