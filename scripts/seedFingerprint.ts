// Regenerates tests/fixtures/seed-fingerprint.txt from the source articles in ../shared/seeds:
// one fingerprint per run of eight words, so the copy check runs without the articles' text.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { runFingerprint, wordRuns } from '../tests/support/wordRuns.js';

const seedsDir = path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, '..', 'shared', 'seeds'));
const out = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'seed-fingerprint.txt');

const prints = new Set<string>();
for (const file of (await readdir(seedsDir)).filter((f) => f.endsWith('.txt')).sort()) {
  for (const run of wordRuns(await readFile(path.join(seedsDir, file), 'utf8'))) prints.add(runFingerprint(run));
}
await writeFile(out, `${[...prints].sort().join('\n')}\n`);
console.log(`${prints.size} fingerprints from ${seedsDir} written to ${path.relative(PROJECT_ROOT, out)}`);
