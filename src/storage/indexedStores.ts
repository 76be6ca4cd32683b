import type { Progress } from '../domain/course/progress.js';
import type { FiguresFeed } from '../domain/figures/figuresFeed.js';
import { pagesOf } from '../domain/paging/pagedScan.js';
import type { Stores } from './stores.js';
import { WriteOrder } from './writeOrder.js';

/**
 * The stores, telling HR's figures (domain/figures) of every write once it is durable through
 * their feed: answers, acknowledgements and the rest of progress, roster members, assignments
 * and campaign deliveries. Whatever store is underneath, the feed hears of every write made
 * through these, and of none that failed. Once a roster write is durable the feed is given the
 * member as the store holds it then, not what the write wrote. An assignment or delivery write is
 * told with the record it returned, without a second read, unless a later write of the key was
 * told first (WriteOrder): when two writes of one key finish out of order, the last told is the
 * latest record either way.
 */
export function indexedStores(stores: Stores, feed: FiguresFeed): Stores {
  const { progress, roster, assignments, deliveries } = stores;
  const [assignmentWrites, deliveryWrites] = [new WriteOrder(), new WriteOrder()];
  const told = async <T>(write: Promise<T>, record: (result: T) => Progress): Promise<T> => {
    const result = await write;
    feed.progressWritten(record(result));
    return result;
  };
  const itself = (p: Progress) => p;
  const inResult = (r: { progress: Progress }) => r.progress;
  return {
    ...stores,
    progress: {
      get: (userId) => progress.get(userId),
      scan: (pick) => progress.scan(pick),
      scanPages: (pick, size) => pagesOf(progress, pick, size),
      language: (userId) => progress.language(userId),
      openLesson: (userId, lessonId, at, revision) => told(progress.openLesson(userId, lessonId, at, revision), itself),
      recordAnswer: (userId, answer) => told(progress.recordAnswer(userId, answer), inResult),
      recordReview: (userId, attempt, answer) => told(progress.recordReview(userId, attempt, answer), inResult),
      recordAcknowledgement: (userId, ack) => told(progress.recordAcknowledgement(userId, ack), inResult),
      recordRenewal: (userId, change) => told(progress.recordRenewal(userId, change), inResult),
      setLanguage: (userId, language, at) => told(progress.setLanguage(userId, language, at), itself),
    },
    roster: {
      get: (key) => roster.get(key),
      byAadObjectId: (id) => roster.byAadObjectId(id),
      list: () => roster.list(),
      scan: (pick) => roster.scan(pick),
      scanPages: (pick, size) => pagesOf(roster, pick, size),
      put: async (member) => {
        await roster.put(member);
        const now = await roster.get(member.key);
        if (now) feed.memberPut(now);
      },
    },
    assignments: {
      get: (key) => assignments.get(key),
      scan: (pick) => assignments.scan(pick),
      scanPages: (pick, size) => pagesOf(assignments, pick, size),
      update: (key, change) =>
        assignmentWrites.write(
          key,
          change,
          (stamped) => assignments.update(key, stamped),
          (a) => feed.assignmentWritten(a),
        ),
    },
    deliveries: {
      get: (id) => deliveries.get(id),
      forSend: (sendId) => deliveries.forSend(sendId),
      open: () => deliveries.open(),
      add: async (list) => {
        const added = await deliveries.add(list);
        feed.deliveriesAdded(list);
        return added;
      },
      update: (id, change) =>
        deliveryWrites.write(
          id,
          change,
          (stamped) => deliveries.update(id, stamped),
          (d) => feed.deliveryWritten(d),
        ),
    },
  };
}
