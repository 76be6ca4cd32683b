import type { CoverageIndex } from '../domain/coverage/coverageIndex.js';
import type { Stores } from './stores.js';

/**
 * The stores, telling the coverage index of every write once it is durable: answers,
 * acknowledgements and the rest of progress, roster members, assignments and campaign
 * deliveries. Whatever store is underneath, the index hears of every write made through these.
 * Once a write is durable the index is given the key's record as the store holds it then, not
 * what the write wrote: when two writes of one key finish out of order, the last told is the
 * latest record either way.
 */
export function indexedStores(stores: Stores, index: CoverageIndex): Stores {
  const { progress, roster, assignments, deliveries } = stores;
  const tell = async (userId: string) => {
    const now = await progress.get(userId);
    if (now) index.progress(now);
  };
  const told = async <T>(userId: string, write: Promise<T>): Promise<T> => {
    const result = await write;
    await tell(userId);
    return result;
  };
  return {
    ...stores,
    progress: {
      get: (userId) => progress.get(userId),
      scan: (pick) => progress.scan(pick),
      language: (userId) => progress.language(userId),
      openLesson: (userId, lessonId, at, revision) => told(userId, progress.openLesson(userId, lessonId, at, revision)),
      recordAnswer: (userId, answer) => told(userId, progress.recordAnswer(userId, answer)),
      recordReview: (userId, attempt, answer) => told(userId, progress.recordReview(userId, attempt, answer)),
      recordAcknowledgement: (userId, ack) => told(userId, progress.recordAcknowledgement(userId, ack)),
      setLanguage: (userId, language, at) => told(userId, progress.setLanguage(userId, language, at)),
    },
    roster: {
      get: (key) => roster.get(key),
      byAadObjectId: (id) => roster.byAadObjectId(id),
      list: () => roster.list(),
      scan: (pick) => roster.scan(pick),
      put: async (member) => {
        await roster.put(member);
        const now = await roster.get(member.key);
        if (now) index.member(now);
      },
    },
    assignments: {
      get: (key) => assignments.get(key),
      scan: (pick) => assignments.scan(pick),
      update: async (key, change) => {
        const written = await assignments.update(key, change);
        const now = written && (await assignments.get(key));
        if (now) index.assignment(now);
        return written;
      },
    },
    deliveries: {
      get: (id) => deliveries.get(id),
      forSend: (sendId) => deliveries.forSend(sendId),
      open: () => deliveries.open(),
      add: async (list) => {
        const added = await deliveries.add(list);
        index.deliveriesAdded(list);
        return added;
      },
      update: async (id, change) => {
        const written = await deliveries.update(id, change);
        const now = written && (await deliveries.get(id));
        if (now) index.delivery(now);
        return written;
      },
    },
  };
}
