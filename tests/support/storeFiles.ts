import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` with its content: two equal snapshots mean nothing was written in between. */
export async function filesUnder(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const contents = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  return Object.fromEntries(files.map((file, i) => [path.relative(dir, file), contents[i] as string]));
}
