import type { LessonTextStore } from './ports.js';

/** One lesson's revision and a hash of its texts, as loaded at start-up. */
export interface LessonText {
  readonly id: string;
  readonly revision: number;
  readonly hash: string;
}

/**
 * Records each lesson's text hash under its revision and returns the ids of lessons whose text
 * changed since the last start without a revision change (an editorial edit, which keeps the version).
 */
export async function editedWithoutRevision(texts: readonly LessonText[], store: LessonTextStore): Promise<string[]> {
  const edited: string[] = [];
  for (const { id, revision, hash } of texts) {
    const before = await store.record(id, revision, hash);
    if (before !== undefined && before !== hash) edited.push(id);
  }
  return edited;
}
