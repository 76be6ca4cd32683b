import type { ChangedTable, ChangeLog } from '../../domain/changes/changeLog.js';
import type { Stores } from '../stores.js';
import { pagesOf } from '../../domain/paging/pagedScan.js';

/**
 * How long an announcement of an assignment or delivery write waits for others to share its request: a campaign's
 * messages make them many at a time, and a delivery's own write waits for its send's transaction anyway.
 */
const GATHER_MS = 25;

/**
 * The stores, each write HR's figures follow (progress, roster members, assignments, deliveries)
 * announced in the change log BEFORE it is made: a crash between the two leaves an announcement of
 * a write that never landed, which readers, reading the record itself, take as no change; the
 * other way round a write could land that no other instance ever heard of. A write whose
 * announcement fails is not made. Announcements made together share a request; those of assignments and deliveries
 * wait GATHER_MS for others.
 */
export function announcedStores(stores: Stores, changes: ChangeLog): Stores {
  const { progress, roster, assignments, deliveries } = stores;
  const announced =
    (table: ChangedTable, gatherMs = 0) =>
    async <T>(key: string, write: () => Promise<T>): Promise<T> => {
      await changes.append([{ table, key }], gatherMs);
      return write();
    };
  const ofProgress = announced('progress');
  const ofMember = announced('members');
  const ofAssignment = announced('assignments', GATHER_MS);
  const ofDelivery = announced('deliveries', GATHER_MS);
  return {
    ...stores,
    changes,
    progress: {
      get: (userId) => progress.get(userId),
      scan: (pick) => progress.scan(pick),
      scanPages: (pick, size) => pagesOf(progress, pick, size),
      language: (userId) => progress.language(userId),
      openLesson: (userId, ...rest) => ofProgress(userId, () => progress.openLesson(userId, ...rest)),
      recordAnswer: (userId, ...rest) => ofProgress(userId, () => progress.recordAnswer(userId, ...rest)),
      recordReview: (userId, ...rest) => ofProgress(userId, () => progress.recordReview(userId, ...rest)),
      recordAcknowledgement: (userId, ...rest) =>
        ofProgress(userId, () => progress.recordAcknowledgement(userId, ...rest)),
      recordRenewal: (userId, ...rest) => ofProgress(userId, () => progress.recordRenewal(userId, ...rest)),
      setLanguage: (userId, ...rest) => ofProgress(userId, () => progress.setLanguage(userId, ...rest)),
    },
    roster: {
      get: (key) => roster.get(key),
      byAadObjectId: (id) => roster.byAadObjectId(id),
      list: () => roster.list(),
      scan: (pick) => roster.scan(pick),
      scanPages: (pick, size) => pagesOf(roster, pick, size),
      put: (member) => ofMember(member.key, () => roster.put(member)),
    },
    assignments: {
      get: (key) => assignments.get(key),
      scan: (pick) => assignments.scan(pick),
      scanPages: (pick, size) => pagesOf(assignments, pick, size),
      update: (key, change) => ofAssignment(key, () => assignments.update(key, change)),
    },
    deliveries: {
      get: (id) => deliveries.get(id),
      forSend: (sendId) => deliveries.forSend(sendId),
      open: () => deliveries.open(),
      add: async (list) => {
        await changes.append(
          list.map((d) => ({ table: 'deliveries', key: d.id })),
          GATHER_MS,
        );
        return deliveries.add(list);
      },
      update: (id, change) => ofDelivery(id, () => deliveries.update(id, change)),
    },
  };
}
