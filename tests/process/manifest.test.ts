import { execFile } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { buildAppPackage } from '../../scripts/appPackage.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { BUNDLED_SCHEMAS, bundledSchemaFile, schemaErrors } from '../../scripts/manifestSchema.js';
import { useTempDirs } from '../support/tempDirs.js';
import { PackageError } from '../../scripts/manifestSettings.js';

const TEAMS_APP_ID = '3f7c1a52-9d4e-4b8a-a1f0-6c2e5d7b9a10';
const BOT_ID = '8b2d4f60-1c3e-4a5b-9d7f-2e4c6a8b0d12';
const ENV = {
  POSTWISE_TEAMS_APP_ID: TEAMS_APP_ID,
  MicrosoftAppId: BOT_ID,
  POSTWISE_DEVELOPER_NAME: 'Example Org',
  POSTWISE_DEVELOPER_WEBSITE_URL: 'https://example.com/postwise',
  POSTWISE_DEVELOPER_PRIVACY_URL: 'https://example.com/privacy',
  POSTWISE_DEVELOPER_TERMS_URL: 'https://example.com/terms',
  POSTWISE_VALID_DOMAINS: 'postwise.example.com, *.example.org',
};

type Json = Record<string, unknown>;

const tempDir = useTempDirs('manifest');

/** Builds the package into a fresh folder and reads the zip back. */
async function built(env: Record<string, string> = ENV) {
  const outDir = await tempDir();
  const { zipPath } = await buildAppPackage({ env, outDir });
  const zip = await JSZip.loadAsync(await readFile(zipPath));
  const read = async (name: string) =>
    zip.file(name)?.async('nodebuffer') ?? Promise.reject(new Error(`${name} is not in the zip`));
  const json = async (name: string) => JSON.parse((await read(name)).toString('utf8')) as Json;
  return { zipPath, zip, read, manifest: await json('manifest.json'), nl: await json('nl.json') };
}

/** The problems a build with this input reports, after checking that it wrote nothing. */
async function refused(options: { env: Record<string, string>; manifestDir?: string }): Promise<string> {
  const outDir = await tempDir();
  const error = await buildAppPackage({ ...options, outDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PackageError);
  expect(await readdir(outDir)).toEqual([]);
  return (error as PackageError).message;
}

function png(width: number, height: number): Buffer {
  return PNG.sync.write(new PNG({ width, height }));
}

describe('npm run package', () => {
  it('writes build/postwise-<version>.zip holding the manifest, its Dutch localization and the icons, nothing else', async () => {
    const { zipPath, zip, manifest } = await built();
    const { version } = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(path.basename(zipPath)).toBe(`postwise-${version}.zip`);
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'nl.json', 'outline.png']);
    expect(manifest.version).toBe(version);
  });

  it('passes the official schema bundled with @microsoft/app-manifest, offline, for the manifest and nl.json', async () => {
    const { manifest, nl } = await built();
    for (const json of [manifest, nl]) {
      const file = bundledSchemaFile(json.$schema);
      expect(file.startsWith(BUNDLED_SCHEMAS)).toBe(true);
      expect(await schemaErrors(json)).toEqual([]);
    }
  });

  // 1.30 is generally available (microsoft/json-schemas#620); re-check that before following a newer bundled schema.
  it('uses the newest manifest version bundled with @microsoft/app-manifest', async () => {
    const { manifest } = await built();
    const versions = (await readdir(BUNDLED_SCHEMAS))
      .filter((v) => /^v\d+\.\d+$/.test(v))
      .map((v) => Number(v.split('.')[1]));
    expect(manifest.manifestVersion).toBe(`1.${Math.max(...versions)}`);
  });

  it('fails the schema check when a manifest breaks the schema (the check is real)', async () => {
    const { manifest } = await built();
    const bots = manifest.bots as Json[];
    const broken = { ...manifest, bots: [{ ...bots[0], scopes: ['Personal'] }], name: { short: 'x'.repeat(31) } };
    const schema = JSON.parse(await readFile(bundledSchemaFile(manifest.$schema), 'utf8')) as Parameters<
      typeof AppManifestUtils.validateAgainstSchema
    >[1];
    const errors = await AppManifestUtils.validateAgainstSchema(broken as unknown as AppManifest, schema);
    expect(errors.join('\n')).toMatch(/\/bots\/0\/scopes\/0/);
    expect(errors.join('\n')).toMatch(/\/name\/short must NOT have more than 30 characters/);
  });

  it('fills the ids, developer and domains from the environment', async () => {
    const { manifest, nl } = await built();
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.developer).toEqual({
      name: 'Example Org',
      websiteUrl: 'https://example.com/postwise',
      privacyUrl: 'https://example.com/privacy',
      termsOfUseUrl: 'https://example.com/terms',
    });
    expect(manifest.validDomains).toEqual(['postwise.example.com', '*.example.org']);
    expect(manifest.name).toEqual({ short: 'Postwise', full: 'Postwise: social media policy course' });
    expect(nl['name.short']).toBe('Postwise');
    expect(nl['description.short']).toMatch(/socialemediabeleid/);
  });

  it('declares the bot for personal chat and teams, with files, commands and the channel-message permission', async () => {
    const { manifest, nl } = await built();
    const [bot] = manifest.bots as {
      botId: string;
      scopes: string[];
      supportsFiles: boolean;
      commandLists: { scopes: string[]; commands: { title: string }[] }[];
    }[];
    expect(bot?.botId).toBe(BOT_ID);
    expect(bot?.scopes).toEqual(['personal', 'team']);
    expect(bot?.supportsFiles).toBe(true);
    const titles = (scope: string) =>
      bot?.commandLists.find((l) => l.scopes.includes(scope))?.commands.map((c) => c.title);
    expect(titles('personal')).toEqual(['start', 'continue', 'progress', 'ask', 'report', 'faq', 'help', 'language']);
    expect(titles('team')).toEqual(['contact here', 'help']);
    expect(manifest.webApplicationInfo).toMatchObject({ id: BOT_ID });
    expect(manifest.authorization).toEqual({
      permissions: {
        resourceSpecific: [
          { name: 'ChannelMessage.Read.Group', type: 'Application' },
          { name: 'TeamsActivity.Send.User', type: 'Application' },
        ],
      },
    });
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'nl', file: 'nl.json' }],
    });
    const dutchTitles = Object.entries(nl)
      .filter(([key]) => key.endsWith('.title'))
      .map(([, title]) => title);
    expect(dutchTitles).toEqual([
      'start',
      'verder',
      'voortgang',
      'vraag',
      'melden',
      'faq',
      'hulp',
      'taal',
      'contact hier',
      'hulp',
    ]);
  });

  it('always declares the activity feed: its types with Dutch texts, the bot as web application, the RSC to send', async () => {
    const { manifest, nl } = await built();
    const { activityTypes } = manifest.activities as {
      activityTypes: { type: string; description: string; templateText: string }[];
    };
    expect(activityTypes.map((a) => a.type)).toEqual(['dueSoon', 'overdue', 'refresherDue']);
    // The template parameters Postwise sends (src/teams/feedNotices.ts) are the ones the texts name.
    const parameters = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(activityTypes.map((a) => parameters(a.templateText))).toEqual([
      ['actor', 'due'],
      ['actor', 'due'],
      ['actor'],
    ]);
    activityTypes.forEach((activity, i) => {
      const dutch = nl[`activities.activityTypes[${i}].templateText`] as string;
      expect(nl[`activities.activityTypes[${i}].description`]).toMatch(/\S/);
      expect(dutch).not.toBe(activity.templateText);
      expect(parameters(dutch)).toEqual(parameters(activity.templateText));
    });
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: 'https://RscBasedStoreApp' });
    const rsc = (manifest.authorization as { permissions: { resourceSpecific: unknown[] } }).permissions;
    expect(rsc.resourceSpecific).toContainEqual({ name: 'TeamsActivity.Send.User', type: 'Application' });
    expect(await schemaErrors(manifest)).toEqual([]);
    expect(await schemaErrors(nl)).toEqual([]);
    const unknownType = { ...nl, 'activities.activityTypes[200].templateText': 'x' };
    expect((await schemaErrors(unknownType)).join('\n')).toMatch(/activityTypes\[200\]|additional/i);
  });

  it('ships a 192×192 colour icon on the accent colour and a 32×32 white outline icon on transparent', async () => {
    const { manifest, read } = await built();
    const color = PNG.sync.read(await read('color.png'));
    const outline = PNG.sync.read(await read('outline.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const corner = [...color.data.subarray(0, 4)].map((v) => v.toString(16).padStart(2, '0')).join('');
    expect(`#${corner}`.toUpperCase()).toBe(`${manifest.accentColor as string}FF`.toUpperCase());
    const pixels = [...Array(32 * 32).keys()].map((i) => [...outline.data.subarray(i * 4, i * 4 + 4)]);
    expect(pixels.some(([, , , a]) => a === 0)).toBe(true);
    expect(pixels.filter(([r, g, b, a]) => a !== 0 && (r !== 255 || g !== 255 || b !== 255))).toEqual([]);
  });

  describe('refuses bad input with a message naming the variable or file, and writes no zip', () => {
    it('a Teams app id that is not a GUID', async () => {
      expect(await refused({ env: { ...ENV, POSTWISE_TEAMS_APP_ID: 'postwise-app' } })).toMatch(
        /POSTWISE_TEAMS_APP_ID must be a GUID .*\(got 'postwise-app'\)/,
      );
    });

    it('a bot id that is missing', async () => {
      const { MicrosoftAppId: _, ...env } = ENV;
      expect(await refused({ env })).toMatch(/MicrosoftAppId is required: the bot's Microsoft app id/);
    });

    it('a bot id that is not a GUID', async () => {
      expect(await refused({ env: { ...ENV, MicrosoftAppId: '8b2d4f60-1c3e-4a5b-9d7f' } })).toMatch(
        /MicrosoftAppId must be a GUID/,
      );
    });

    it('a short name over the 30 characters Teams allows', async () => {
      const name = 'Postwise social media training';
      expect(await refused({ env: { ...ENV, POSTWISE_APP_NAME: `${name}!` } })).toMatch(
        /POSTWISE_APP_NAME must be at most 30 characters \(got 31/,
      );
      await expect(built({ ...ENV, POSTWISE_APP_NAME: name })).resolves.toBeDefined();
    });

    it('a developer URL that is not https', async () => {
      expect(await refused({ env: { ...ENV, POSTWISE_DEVELOPER_PRIVACY_URL: 'http://example.com/privacy' } })).toMatch(
        /POSTWISE_DEVELOPER_PRIVACY_URL must be an https URL/,
      );
    });

    it('a valid domain with a scheme', async () => {
      expect(await refused({ env: { ...ENV, POSTWISE_VALID_DOMAINS: 'https://postwise.example.com' } })).toMatch(
        /POSTWISE_VALID_DOMAINS must be host names .*https:\/\/postwise\.example\.com/,
      );
    });

    it('several problems at once, each on its own line', async () => {
      const message = await refused({
        env: { ...ENV, POSTWISE_TEAMS_APP_ID: '', POSTWISE_DEVELOPER_NAME: 'x'.repeat(33) },
      });
      expect(
        message
          .split('\n')
          .filter((l) => l.startsWith('  - '))
          .map((l) => l.split(' ')[3]),
      ).toEqual(['POSTWISE_TEAMS_APP_ID', 'POSTWISE_DEVELOPER_NAME']);
    });

    it('an icon of the wrong size', async () => {
      const manifestDir = path.join(await tempDir(), 'manifest');
      await cp(path.join(PROJECT_ROOT, 'manifest'), manifestDir, { recursive: true });
      await writeFile(path.join(manifestDir, 'color.png'), png(100, 100));
      await writeFile(path.join(manifestDir, 'outline.png'), png(32, 48));
      const message = await refused({ env: ENV, manifestDir });
      expect(message).toMatch(/manifest\/color\.png must be 192×192 pixels \(got 100×100\)/);
      expect(message).toMatch(/manifest\/outline\.png must be 32×32 pixels \(got 32×48\)/);
    });

    it('an outline icon that is not white on transparent', async () => {
      const manifestDir = path.join(await tempDir(), 'manifest');
      await cp(path.join(PROJECT_ROOT, 'manifest'), manifestDir, { recursive: true });
      const opaque = new PNG({ width: 32, height: 32 });
      opaque.data.fill(255);
      await writeFile(path.join(manifestDir, 'outline.png'), PNG.sync.write(opaque));
      expect(await refused({ env: ENV, manifestDir })).toMatch(
        /manifest\/outline\.png must have a transparent background/,
      );
    });

    it('from the command line: the message on stderr, exit code 1, no stack trace', async () => {
      const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/package.ts'], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, ...ENV, POSTWISE_TEAMS_APP_ID: 'not-a-guid' },
      });
      const failure = (await run.then(
        () => undefined,
        (e: unknown) => e,
      )) as { code: number; stderr: string } | undefined;
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(
        /Cannot build the Teams app package:\n {2}- POSTWISE_TEAMS_APP_ID must be a GUID/,
      );
      expect(failure?.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
