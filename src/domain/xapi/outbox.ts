import type { RefresherAnswer } from '../refreshers/refresher.js';
import type { XapiEntry } from './outboxEntry.js';
import type { XapiOutbox } from './ports.js';

/** Changes to an outbox record, for stores that apply them atomically; undefined means nothing to write. */
export const outboxChanges = {
  add(
    userId: string,
    current: Readonly<XapiOutbox> | undefined,
    entries: readonly XapiEntry[],
  ): XapiOutbox | undefined {
    const waiting = new Set(current?.entries.map((e) => e.id));
    const added = entries.filter((e) => !waiting.has(e.id));
    if (added.length === 0) return undefined;
    return { ...(current ?? { userId }), entries: [...(current?.entries ?? []), ...added] };
  },

  expectRefresher(userId: string, current: Readonly<XapiOutbox> | undefined, at: string): XapiOutbox {
    return { ...(current ?? { userId, entries: [] }), refresherPending: at };
  },

  addRefresherAnswers(
    userId: string,
    current: Readonly<XapiOutbox> | undefined,
    answers: readonly RefresherAnswer[],
    entry: (answer: RefresherAnswer) => XapiEntry,
  ): XapiOutbox | undefined {
    const after = current?.refresherN ?? 0;
    const added = answers.filter((a) => a.n > after).sort((a, b) => a.n - b.n);
    if (added.length === 0 && current?.refresherPending === undefined) return undefined;
    const { refresherPending: _done, ...rest } = current ?? { userId, entries: [] };
    const refresherN = added.reduce((n, a) => Math.max(n, a.n), after);
    return { ...rest, entries: [...rest.entries, ...added.map(entry)], ...(refresherN > 0 ? { refresherN } : {}) };
  },

  remove(current: Readonly<XapiOutbox> | undefined, entryId: string): XapiOutbox | undefined {
    if (!current?.entries.some((e) => e.id === entryId)) return undefined;
    return { ...current, entries: current.entries.filter((e) => e.id !== entryId) };
  },
};

/** Whether a record has work for the sender. */
export function isWaiting(outbox: Readonly<XapiOutbox>): boolean {
  return outbox.entries.length > 0 || outbox.refresherPending !== undefined;
}
