import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type Language } from './domain/course/course.js';
import { ConfigError } from './domain/configError.js';
import { storeConfig, type StoreConfig } from './storeConfig.js';
import { allowedTenants, botConfig, openIdMetadataUrl, type BotConfig } from './botConfig.js';
import { orgConfig, type OrgConfig } from './orgConfig.js';
import { acknowledgementMonths } from './renewalConfig.js';
import { proactiveInstall, sendRates, type ProactiveInstall } from './deliveryConfig.js';
import { vivaConfig, type VivaConfig } from './vivaConfig.js';
import { xapiConfig, type XapiConfig } from './xapiConfig.js';
import { activityFeedOn } from './feedConfig.js';

/** Everything Postwise reads from the environment, validated and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** True when no MicrosoftAppId is set: no token checks, loopback only. */
  readonly localMode: boolean;
  readonly bot: BotConfig;
  /**
   * Entra tenant ids (lower case) whose activities the bot serves; any other tenant gets 403.
   * Empty only in local mode without POSTWISE_ALLOWED_TENANTS or MicrosoftAppTenantId: then every tenant.
   */
  readonly allowedTenants: readonly string[];
  readonly dataFile: string;
  /** Where records live: the embedded store in dataFile's folder, or Azure Tables (several instances at once). */
  readonly store: StoreConfig;
  readonly contentDir: string;
  /** The organisation's own lessons, summary lines and left-out lessons; undefined means the standard course only. */
  readonly orgContentDir: string | undefined;
  /** Organisation texts; undefined means "use the language's default wording". */
  readonly org: OrgConfig;
  readonly defaultLanguage: Language;
  /** Entra object ids and e-mail addresses (lower case) of HR users. */
  readonly hrUsers: readonly string[];
  /** Who besides HR may choose the contact channel. */
  readonly contactAdmins: readonly string[];
  /** The point of contact's Entra object id, for @mentions on urgent reports. */
  readonly contactId: string | undefined;
  /** Working hours without an answer before a question's thread gets a reminder. */
  readonly contactSlaHours: number;
  readonly timeZone: string;
  /** Months an acknowledgement holds before it is to be renewed; undefined means it never lapses. */
  readonly acknowledgementMonths: number | undefined;
  /** Where the roster comes from: CSV imports, or Microsoft Graph users. */
  readonly rosterSource: 'csv' | 'graph';
  /** Microsoft Graph's base URL, ending in a slash (a local fake in tests). */
  readonly graphUrl: string;
  /** Requests per second to Teams when delivery starts; the pace then follows Teams' answers. */
  readonly sendRate: number;
  /** The most requests per second the pace rises to while Teams accepts them. */
  readonly sendRateMax: number;
  /** Install the app for a person through Graph before messaging them first. */
  readonly proactiveInstall: ProactiveInstall;
  /** Days before a campaign's due date that the automatic reminder goes out. */
  readonly reminderDaysBefore: number;
  /**
   * Refresher intervals in days, one per Leitner box: the first review after completion, then each after a right
   * answer.
   */
  readonly refresherDays: readonly number[];
  /** The base URL people reach this server on, for download links; undefined means the listening URL. */
  readonly publicUrl: string | undefined;
  /** The Teams service URL for people the bot has never talked with. */
  readonly serviceUrl: string;
  /** The Bot Framework's OpenID configuration, which names the keys that sign tokens to the bot. */
  readonly openIdMetadataUrl: string;
  /** Learning records as xAPI statements to a learning record store; undefined (off) unless configured. */
  readonly xapi: XapiConfig | undefined;
  /** Learning records as course activities in Viva Learning; undefined (off) unless configured. */
  readonly viva: VivaConfig | undefined;
  /** Due-date reminders and overdue notices go to the Teams activity feed (off by default). */
  readonly activityFeed: boolean;
}

import { EMAIL, GUID, httpUrl, numberIn, text, type Env } from './configValues.js';
export { ConfigError } from './domain/configError.js';
export type { StoreConfig } from './storeConfig.js';

/** The project folder (one level above src/ or dist/), where content/ and cards/ ship. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

function port(env: Env): number {
  const raw = text(env, 'PORT');
  if (raw === undefined) return 3978;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 (any free port) to 65535 (got '${raw}')`);
  }
  return value;
}

function people(env: Env, name: string): string[] {
  const entries = (text(env, name) ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  for (const entry of entries) {
    if (!GUID.test(entry) && !EMAIL.test(entry)) {
      throw new ConfigError(
        name,
        `must be a comma-separated list of Entra object ids and e-mail addresses (got '${entry}')`,
      );
    }
  }
  return entries;
}

function contactId(env: Env): string | undefined {
  const id = text(env, 'POSTWISE_CONTACT_ID');
  if (id !== undefined && !GUID.test(id))
    throw new ConfigError(
      'POSTWISE_CONTACT_ID',
      `must be the point of contact's Entra object id, a GUID (got '${id}')`,
    );
  return id?.toLowerCase();
}

function slaHours(env: Env): number {
  const raw = text(env, 'POSTWISE_CONTACT_SLA_HOURS');
  if (raw === undefined) return 8;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 200) {
    throw new ConfigError(
      'POSTWISE_CONTACT_SLA_HOURS',
      `must be a number of working hours above 0 and at most 200 (got '${raw}')`,
    );
  }
  return value;
}

function timeZone(env: Env): string {
  const zone = text(env, 'POSTWISE_TIMEZONE') ?? 'Europe/Amsterdam';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError('POSTWISE_TIMEZONE', `must be an IANA time zone such as Europe/Amsterdam (got '${zone}')`);
  }
  return zone;
}

function rosterSource(env: Env): Config['rosterSource'] {
  const source = text(env, 'POSTWISE_ROSTER_SOURCE') ?? 'csv';
  if (source !== 'csv' && source !== 'graph')
    throw new ConfigError('POSTWISE_ROSTER_SOURCE', `must be csv or graph (got '${source}')`);
  return source;
}

/** POSTWISE_ORG_CONTENT: an existing folder, resolved. */
function orgContentDir(env: Env): string | undefined {
  const raw = text(env, 'POSTWISE_ORG_CONTENT');
  if (raw === undefined) return undefined;
  const dir = path.resolve(raw);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(
      'POSTWISE_ORG_CONTENT',
      `must be the organisation's content folder, which does not exist (got '${raw}')`,
    );
  }
  return dir;
}

/** POSTWISE_REFRESHER_DAYS: up to 10 rising whole numbers of days, comma separated. */
function refresherDays(env: Env): readonly number[] {
  const raw = text(env, 'POSTWISE_REFRESHER_DAYS') ?? '3,10,30,90';
  const days = raw.split(',').map((d) => (/^\s*\d{1,3}\s*$/.test(d) ? Number(d) : NaN));
  if (days.length > 10 || days.some((d, i) => !(d >= 1 && d <= 365) || (i > 0 && d <= (days[i - 1] as number)))) {
    throw new ConfigError(
      'POSTWISE_REFRESHER_DAYS',
      `must be up to 10 rising numbers of days from 1 to 365, comma separated, like 3,10,30,90 (got '${raw}')`,
    );
  }
  return Object.freeze(days);
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): Config {
  const bot = botConfig(env);
  const localMode = bot.appId === '';

  const contactEmail = text(env, 'POSTWISE_CONTACT_EMAIL') ?? 'socialmedia@example.com';
  if (!EMAIL.test(contactEmail) || contactEmail.length > 254) {
    throw new ConfigError('POSTWISE_CONTACT_EMAIL', `must be an e-mail address (got '${contactEmail}')`);
  }
  const defaultLanguage = text(env, 'POSTWISE_DEFAULT_LANGUAGE') ?? 'en';
  if (!(LANGUAGES as readonly string[]).includes(defaultLanguage)) {
    throw new ConfigError(
      'POSTWISE_DEFAULT_LANGUAGE',
      `must be one of ${LANGUAGES.join(', ')} (got '${defaultLanguage}')`,
    );
  }

  const tenants = Object.freeze(allowedTenants(env, bot.tenantId, localMode));
  return Object.freeze({
    port: port(env),
    host: localMode ? '127.0.0.1' : (text(env, 'HOST') ?? '0.0.0.0'),
    localMode,
    bot,
    allowedTenants: tenants,
    dataFile: path.resolve(text(env, 'POSTWISE_DATA_FILE') ?? 'data/postwise.json'),
    store: storeConfig(env),
    contentDir: path.resolve(text(env, 'POSTWISE_CONTENT_DIR') ?? path.join(PROJECT_ROOT, 'content')),
    orgContentDir: orgContentDir(env),
    org: orgConfig(env, contactEmail),
    defaultLanguage: defaultLanguage as Language,
    hrUsers: Object.freeze(people(env, 'POSTWISE_HR_USERS')),
    contactAdmins: Object.freeze(people(env, 'POSTWISE_CONTACT_ADMINS')),
    contactId: contactId(env),
    contactSlaHours: slaHours(env),
    timeZone: timeZone(env),
    acknowledgementMonths: acknowledgementMonths(env),
    rosterSource: rosterSource(env),
    graphUrl: withSlash(httpUrl(env, 'POSTWISE_GRAPH_URL', 'https://graph.microsoft.com/v1.0/')),
    ...sendRates(env),
    proactiveInstall: proactiveInstall(env),
    reminderDaysBefore: Math.round(numberIn(env, 'POSTWISE_REMINDER_DAYS', 3, 0, 60, 'a number of days')),
    refresherDays: refresherDays(env),
    publicUrl:
      text(env, 'POSTWISE_PUBLIC_URL') === undefined ? undefined : withSlash(httpUrl(env, 'POSTWISE_PUBLIC_URL', '')),
    serviceUrl: withSlash(httpUrl(env, 'POSTWISE_SERVICE_URL', 'https://smba.trafficmanager.net/teams/')),
    openIdMetadataUrl: openIdMetadataUrl(env),
    xapi: xapiConfig(env, tenants),
    viva: vivaConfig(env, bot.appId),
    activityFeed: activityFeedOn(env),
  });
}
