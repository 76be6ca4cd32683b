/** Problems that stop the app package; each line names the variable or file it is about. */
export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Cannot build the Teams app package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

type Env = Record<string, string | undefined>;

/** A setting's value: text, or a list for POSTWISE_VALID_DOMAINS. */
export type SettingValue = string | readonly string[];

/** Checks a raw value; returns the value, or the problem (without the variable's name). */
type Rule = (raw: string) => { value: SettingValue } | { problem: string };

interface Setting {
  readonly rule: Rule;
  /** Used when the variable is unset or blank; without one the variable is required. */
  readonly fallback?: string;
  /** What to set, shown when a required variable is missing. */
  readonly needs?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/i;

const guid: Rule = (raw) =>
  GUID.test(raw)
    ? { value: raw }
    : { problem: `must be a GUID like 6f1c3b8e-2d4a-4c5e-9b7f-0a1b2c3d4e5f (got '${raw}')` };

const text =
  (max: number): Rule =>
  (raw) =>
    raw.length <= max ? { value: raw } : { problem: `must be at most ${max} characters (got ${raw.length}: '${raw}')` };

const httpsUrl: Rule = (raw) => {
  const problem = { problem: `must be an https URL of at most 2048 characters (got '${raw}')` };
  try {
    return new URL(raw).protocol === 'https:' && raw.length <= 2048 ? { value: raw } : problem;
  } catch {
    return problem;
  }
};

const domains: Rule = (raw) => {
  const list = raw
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const bad = list.filter((d) => !DOMAIN.test(d));
  if (bad.length > 0) {
    return {
      problem:
        'must be host names separated by commas, without https:// or a path, e.g. ' +
        `postwise.example.com,*.example.com (not valid: ${bad.join(', ')})`,
    };
  }
  return list.length <= 100 ? { value: list } : { problem: `may list at most 100 domains (got ${list.length})` };
};

/** Every ${{VARIABLE}} the manifest templates use, with its rule and default. */
export const MANIFEST_SETTINGS: Readonly<Record<string, Setting>> = {
  POSTWISE_TEAMS_APP_ID: {
    rule: guid,
    needs: 'the Teams app id, a GUID you create once (node -p "crypto.randomUUID()") and keep for every version',
  },
  MicrosoftAppId: { rule: guid, needs: "the bot's Microsoft app id (a GUID) from its Azure Bot registration" },
  POSTWISE_DEVELOPER_NAME: {
    rule: text(32),
    needs: 'the name of the organisation that publishes the app (at most 32 characters)',
  },
  POSTWISE_DEVELOPER_WEBSITE_URL: { rule: httpsUrl, needs: "the https URL of the publisher's website or support page" },
  POSTWISE_DEVELOPER_PRIVACY_URL: { rule: httpsUrl, needs: 'the https URL of the privacy statement' },
  POSTWISE_DEVELOPER_TERMS_URL: { rule: httpsUrl, needs: 'the https URL of the terms of use' },
  POSTWISE_APP_NAME: { rule: text(30), fallback: 'Postwise' },
  POSTWISE_APP_FULL_NAME: { rule: text(100), fallback: 'Postwise: social media policy course' },
  POSTWISE_APP_FULL_NAME_NL: { rule: text(100), fallback: 'Postwise: cursus socialemediabeleid' },
  POSTWISE_APP_DESCRIPTION: {
    rule: text(80),
    fallback: 'Learn the social media policy in short lessons, right in Teams.',
  },
  POSTWISE_APP_DESCRIPTION_NL: {
    rule: text(80),
    fallback: 'Leer het socialemediabeleid in korte lessen, gewoon in Teams.',
  },
  POSTWISE_APP_FULL_DESCRIPTION: {
    rule: text(4000),
    fallback:
      'Postwise teaches everyone in the organisation how to use social media well at work and in their free time. ' +
      ('In a personal chat it gives short lessons with questions and immediate feedback, asks each employee ' +
        'to acknowledge the policy, ') +
      'and lets them ask the point of contact a question or report a situation. ' +
      'HR sees who has finished the course, and the point of contact answers questions in a Teams channel.',
  },
  POSTWISE_APP_FULL_DESCRIPTION_NL: {
    rule: text(4000),
    fallback:
      'Postwise leert iedereen in de organisatie hoe je sociale media goed gebruikt, op het werk en in je ' +
      'vrije tijd. ' +
      ('In een persoonlijke chat geeft het korte lessen met vragen en directe feedback, vraagt het elke ' +
        'medewerker het beleid te bevestigen, ') +
      'en kun je het aanspreekpunt een vraag stellen of een situatie melden. ' +
      'HR ziet wie de cursus heeft afgerond, en het aanspreekpunt beantwoordt vragen in een Teams-kanaal.',
  },
  POSTWISE_VALID_DOMAINS: { rule: domains, fallback: '' },
};

/** Reads and checks every manifest setting; throws PackageError listing all problems at once. */
export function readManifestSettings(env: Env): Record<string, SettingValue> {
  const values: Record<string, SettingValue> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(MANIFEST_SETTINGS)) {
    const raw = env[name]?.trim() || setting.fallback;
    if (raw === undefined) {
      problems.push(`${name} is required: ${setting.needs ?? 'set it'}`);
      continue;
    }
    const result = setting.rule(raw);
    if ('problem' in result) problems.push(`${name} ${result.problem}`);
    else values[name] = result.value;
  }
  if (problems.length > 0) throw new PackageError(problems);
  return values;
}
