import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';

type Schema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v[\w.]+)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/;

/** The Teams schemas @microsoft/app-manifest ships, one folder per manifest version. */
export const BUNDLED_SCHEMAS = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
);

/** The file of the schema a manifest or localization file names in $schema, inside BUNDLED_SCHEMAS. */
export function bundledSchemaFile(schemaUrl: unknown): string {
  const match = typeof schemaUrl === 'string' ? SCHEMA_URL.exec(schemaUrl) : null;
  if (!match)
    throw new Error(`$schema must be a Teams schema URL on developer.microsoft.com (got ${JSON.stringify(schemaUrl)})`);
  return path.join(BUNDLED_SCHEMAS, match[1] ?? '', match[2] ?? '');
}

/**
 * Checks a manifest or localization file against the schema its $schema names, using the copy
 * bundled with @microsoft/app-manifest (offline: never fetched). Empty when valid.
 */
export async function schemaErrors(json: Readonly<Record<string, unknown>>): Promise<string[]> {
  // The localization schema's activityTypes patterns end in an unescaped ']' (MicrosoftDocs/msteams-docs#8858),
  // which the unicode regular expressions ajv compiles reject; escaping it keeps the pattern's meaning.
  const text = (await readFile(bundledSchemaFile(json.$schema), 'utf8')).replaceAll('\\\\b]', '\\\\b\\\\]');
  const schema = JSON.parse(text) as Schema;
  return AppManifestUtils.validateAgainstSchema(json as unknown as AppManifest, schema);
}
