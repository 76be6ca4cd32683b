import { appendFile, readFile, truncate } from 'node:fs/promises';

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
  return text.slice(0, end).split('\n').filter((line) => line !== '');
}

/** Appends a batch of lines in one write. */
export async function appendLines(file: string, lines: readonly string[]): Promise<number> {
  const chunk = lines.join('');
  if (chunk !== '') await appendFile(file, chunk, 'utf8');
  return Buffer.byteLength(chunk);
}
