import { createHash } from 'node:crypto';

/** How many words in a row count as a copied sentence. */
export const RUN_LENGTH = 8;

/** Every run of RUN_LENGTH words in `text`, lower-cased, accents and punctuation dropped. */
export function wordRuns(text: string): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const runs: string[] = [];
  for (let i = 0; i + RUN_LENGTH <= words.length; i++) runs.push(words.slice(i, i + RUN_LENGTH).join(' '));
  return runs;
}

/** A run's fingerprint: enough of its SHA-256 to tell runs apart, nothing of its text. */
export function runFingerprint(run: string): string {
  return createHash('sha256').update(run).digest('hex').slice(0, 16);
}
