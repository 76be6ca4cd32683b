import { appendFile, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * Reads an append-only file of JSON lines. A last line torn by a crash (no newline) is cut
 * off the file, so that later appends start on a line of their own.
 */
export async function readLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) await truncate(file, Buffer.byteLength(text.slice(0, end)));
  return text
    .slice(0, end)
    .split('\n')
    .filter((line) => line !== '');
}

/** Cuts a last line torn by a crash (no newline) off an append-only file, reading only its end. */
export async function cutTornLine(file: string): Promise<void> {
  const handle = await open(file, 'r+').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return;
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) {
        end = start + newline + 1;
        break;
      }
      end = start;
    }
    if (end < size) await handle.truncate(end);
  } finally {
    await handle.close();
  }
}

/** The lines of an append-only file one at a time, without holding its whole text; none when it is missing. */
export async function* eachLine(file: string): AsyncIterable<string> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return;
  const stream = handle.createReadStream({ encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) if (line !== '') yield line;
  } finally {
    stream.destroy();
  }
}

/**
 * An append-only file kept open between writes, so that a group commit costs one write rather
 * than an open, a write and a close. A failed write closes it, and the part of the batch that
 * reached the disk is cut off again (before the next write, if cutting fails too), so a later
 * write never follows a torn line; the next write opens the file again.
 */
export class AppendOnlyFile {
  private handle: Promise<FileHandle> | undefined;
  /** The file's length after the last write that worked; undefined until the file is opened. */
  private length: number | undefined;
  private torn = false;

  constructor(readonly file: string) {}

  /** Appends a batch of lines in one write; resolves with the bytes written. */
  async append(lines: readonly string[]): Promise<number> {
    const chunk = lines.join('');
    if (chunk === '') return 0;
    try {
      if (this.torn) await this.cutBack();
      this.handle ??= open(this.file, 'a');
      const handle = await this.handle;
      this.length ??= (await handle.stat()).size;
      this.torn = true;
      await appendFile(handle, chunk, 'utf8');
      this.torn = false;
    } catch (error) {
      await this.close();
      if (this.torn) await this.cutBack().catch(() => {});
      throw error;
    }
    const bytes = Buffer.byteLength(chunk);
    this.length += bytes;
    return bytes;
  }

  /** Empties the file. */
  async truncate(): Promise<void> {
    await truncate(this.file, 0);
    this.length = 0;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.then((h) => h.close()).catch(() => {});
  }

  private async cutBack(): Promise<void> {
    await truncate(this.file, this.length);
    this.torn = false;
  }
}
