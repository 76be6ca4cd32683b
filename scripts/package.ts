/** `npm run package`: writes build/postwise-<version>.zip from the environment (see docs/app-package.md). */
import path from 'node:path';
import { buildAppPackage } from './appPackage.js';
import { PackageError } from './manifestSettings.js';

try {
  const { zipPath, files } = await buildAppPackage({ env: process.env });
  console.log(`Wrote ${path.relative(process.cwd(), zipPath)} (${Object.keys(files).join(', ')})`);
} catch (error) {
  if (!(error instanceof PackageError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
