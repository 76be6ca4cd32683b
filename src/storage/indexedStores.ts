import type { CoverageIndex } from '../domain/coverage/coverageIndex.js';
import type { Stores } from './stores.js';

/**
 * The stores, telling the coverage index of every write once it is durable: answers,
 * acknowledgements and the rest of progress, roster members, assignments and campaign
 * deliveries. Whatever store is underneath, the index hears of every write made through these.
 */
export function indexedStores(stores: Stores, index: CoverageIndex): Stores {
  const { progress, roster, assignments, deliveries } = stores;
  const told = async <T extends { progress: Parameters<CoverageIndex['progress']>[0] }>(write: Promise<T>): Promise<T> => {
    const result = await write;
    index.progress(result.progress);
    return result;
  };
  const progressTold = async (write: Promise<Parameters<CoverageIndex['progress']>[0]>) => {
    const result = await write;
    index.progress(result);
    return result;
  };
  return {
    ...stores,
    progress: {
      get: (userId) => progress.get(userId),
      scan: (pick) => progress.scan(pick),
      language: (userId) => progress.language(userId),
      openLesson: (userId, lessonId, at, revision) => progressTold(progress.openLesson(userId, lessonId, at, revision)),
      recordAnswer: (userId, answer) => told(progress.recordAnswer(userId, answer)),
      recordReview: (userId, attempt, answer) => told(progress.recordReview(userId, attempt, answer)),
      recordAcknowledgement: (userId, ack) => told(progress.recordAcknowledgement(userId, ack)),
      setLanguage: (userId, language, at) => progressTold(progress.setLanguage(userId, language, at)),
    },
    roster: {
      get: (key) => roster.get(key),
      byAadObjectId: (id) => roster.byAadObjectId(id),
      list: () => roster.list(),
      scan: (pick) => roster.scan(pick),
      put: async (member) => {
        await roster.put(member);
        index.member(member);
      },
    },
    assignments: {
      get: (key) => assignments.get(key),
      scan: (pick) => assignments.scan(pick),
      update: async (key, change) => {
        const written = await assignments.update(key, change);
        if (written) index.assignment(written);
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
        if (written) index.delivery(written);
        return written;
      },
    },
  };
}
