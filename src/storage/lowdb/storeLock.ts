import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/** The embedded store, held by this process until released. */
export interface StoreLock {
  /** Removes the lock file (if it is still this process's). */
  release(): Promise<void>;
}

/** The file beside the data file that names the process writing the embedded store. */
export function lockFile(dataFile: string): string {
  return `${dataFile.replace(/\.json$/i, '')}.lock`;
}

/**
 * Takes the embedded store for this process, or returns the id of the running process that holds
 * it. A lock left by a process that no longer runs (killed with -9, a crash) is no lock.
 */
export async function lockStore(dataFile: string): Promise<StoreLock | { readonly heldBy: number }> {
  const file = lockFile(dataFile);
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await lockHolder(dataFile);
    if (holder === process.pid) return { release: () => releaseIfOurs(file) };
    if (holder !== undefined) return { heldBy: holder };
    // Stale: whoever wrote it is gone. If another process takes it first, the next round sees it.
    await unlink(file).catch(() => {});
  }
  throw new Error(`${file}: could not take the lock on the embedded store`);
}

/** The id of the running process that holds the embedded store; undefined if none does. */
export async function lockHolder(dataFile: string): Promise<number | undefined> {
  const text = await readFile(lockFile(dataFile), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && running(pid) ? pid : undefined;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfOurs(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (Number(text.trim()) === process.pid) await unlink(file).catch(() => {});
}
