import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { PROJECT_ROOT } from '../src/config.js';
import { schemaErrors } from './manifestSchema.js';
import { PackageError, readManifestSettings, type SettingValue } from './manifestSettings.js';

export interface PackageOptions {
  /** Where the settings come from, usually process.env. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder with manifest.template.json, nl.template.json and the icons. */
  readonly manifestDir?: string;
  /** Where the zip is written. */
  readonly outDir?: string;
}

export interface AppPackage {
  readonly zipPath: string;
  /** The files in the zip by name. */
  readonly files: Readonly<Record<string, Buffer>>;
}

type Json = Record<string, unknown>;

const ICON_SIZES = { color: 192, outline: 32 } as const;

/**
 * Fills the manifest templates from the settings, checks the icons and the schema (offline), and
 * writes build/<name>-<version>.zip holding the manifest, its Dutch localization file and the icons.
 * Throws PackageError naming every bad variable or file; nothing is written then.
 */
export async function buildAppPackage(options: PackageOptions): Promise<AppPackage> {
  const manifestDir = options.manifestDir ?? path.join(PROJECT_ROOT, 'manifest');
  const outDir = options.outDir ?? path.join(PROJECT_ROOT, 'build');
  const shown = (file: string) => path.join(path.basename(manifestDir), file);
  const pkg = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const values = { ...readManifestSettings(options.env), PACKAGE_VERSION: pkg.version };

  const problems: string[] = [];
  const template = async (file: string) => {
    const json = JSON.parse(await readFile(path.join(manifestDir, file), 'utf8')) as Json;
    return fill(json, values, (name) =>
      problems.push(`${shown(file)} uses \${{${name}}}, which is not a setting`),
    ) as Json;
  };
  const manifest = await template('manifest.template.json');
  const languages =
    (manifest.localizationInfo as { additionalLanguages?: { file: string }[] } | undefined)?.additionalLanguages ?? [];
  const files: Record<string, Buffer> = {};
  for (const { file } of languages) {
    const localization = await template(file.replace(/\.json$/, '.template.json'));
    problems.push(...(await schemaErrors(localization)).map((e) => `${file}: ${e}`));
    files[file] = Buffer.from(`${JSON.stringify(localization, null, 2)}\n`);
  }
  problems.push(...(await schemaErrors(manifest)).map((e) => `manifest.json: ${e}`));
  files['manifest.json'] = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);

  const icons = manifest.icons as Record<keyof typeof ICON_SIZES, string>;
  for (const [kind, size] of Object.entries(ICON_SIZES) as [keyof typeof ICON_SIZES, number][]) {
    const file = icons[kind];
    const data = await readFile(path.join(manifestDir, file)).catch(() => undefined);
    const problem = data === undefined ? 'is missing' : iconProblem(data, size, kind === 'outline');
    if (problem) problems.push(`${shown(file)} ${problem}`);
    else if (data) files[file] = data;
  }
  if (problems.length > 0) throw new PackageError(problems);

  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  const zipPath = path.join(outDir, `${pkg.name}-${pkg.version}.zip`);
  await mkdir(outDir, { recursive: true });
  await writeFile(`${zipPath}.tmp`, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  await rename(`${zipPath}.tmp`, zipPath);
  return { zipPath, files };
}

/**
 * Replaces ${{NAME}} in every string; a string that is only a placeholder takes the value as it is (a list stays a
 * list).
 */
function fill(node: unknown, values: Readonly<Record<string, SettingValue>>, unknown: (name: string) => void): unknown {
  if (typeof node === 'string') {
    const whole = /^\$\{\{(\w+)\}\}$/.exec(node)?.[1];
    if (whole !== undefined) {
      if (whole in values) return values[whole];
      unknown(whole);
      return node;
    }
    return node.replace(/\$\{\{(\w+)\}\}/g, (placeholder, name: string) => {
      const value = values[name];
      if (typeof value === 'string') return value;
      unknown(name);
      return placeholder;
    });
  }
  if (Array.isArray(node)) return node.map((item) => fill(item, values, unknown));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value, values, unknown)]));
  }
  return node;
}

/** What is wrong with an icon, or undefined: Teams wants exact sizes, and the outline white on transparent. */
function iconProblem(data: Buffer, size: number, outline: boolean): string | undefined {
  let png: PNG;
  try {
    png = PNG.sync.read(data);
  } catch (error) {
    return `is not a readable PNG file (${(error as Error).message})`;
  }
  if (png.width !== size || png.height !== size)
    return `must be ${size}×${size} pixels (got ${png.width}×${png.height})`;
  if (!outline) return undefined;
  let transparent = false;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i + 3] === 0) transparent = true;
    else if (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255) {
      const pixel = i / 4;
      return (
        'must be white on a transparent background (the pixel at ' +
        `${pixel % size},${Math.floor(pixel / size)} is not white)`
      );
    }
  }
  return transparent ? undefined : 'must have a transparent background (no pixel is transparent)';
}
