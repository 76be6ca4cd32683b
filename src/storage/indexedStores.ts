import type { Progress } from '../domain/course/progress.js';
import type { CoverageIndex } from '../domain/coverage/coverageIndex.js';
import type { Stores } from './stores.js';

/**
 * The stores, telling the coverage index of every write once it is durable: answers,
 * acknowledgements and the rest of progress, roster members, assignments and campaign
 * deliveries. Whatever store is underneath, the index hears of every write made through these.
 * Once a roster, assignment or delivery write is durable the index is given the key's record as
 * the store holds it then, not what the write wrote: when two writes of one key finish out of
 * order, the last told is the latest record either way.
 */
export function indexedStores(stores: Stores, index: CoverageIndex): Stores {
  const { progress, roster, assignments, deliveries } = stores;
  // A person's progress writes finish in the order they were made (each store queues them per
  // key), so the record a write returns is the latest one: no second read on the course's path.
  const told = async <T>(write: Promise<T>, record: (result: T) => Progress): Promise<T> => {
    const result = await write;
    index.progress(record(result));
    return result;
  };
  const itself = (p: Progress) => p;
  const inResult = (r: { progress: Progress }) => r.progress;
  return {
    ...stores,
    progress: {
      get: (userId) => progress.get(userId),
      scan: (pick) => progress.scan(pick),
      language: (userId) => progress.language(userId),
      openLesson: (userId, lessonId, at, revision) => told(progress.openLesson(userId, lessonId, at, revision), itself),
      recordAnswer: (userId, answer) => told(progress.recordAnswer(userId, answer), inResult),
      recordReview: (userId, attempt, answer) => told(progress.recordReview(userId, attempt, answer), inResult),
      recordAcknowledgement: (userId, ack) => told(progress.recordAcknowledgement(userId, ack), inResult),
      setLanguage: (userId, language, at) => told(progress.setLanguage(userId, language, at), itself),
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
