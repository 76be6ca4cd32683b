import { deliveryId, type Delivery } from '../campaigns/delivery.js';
import type { Course, Language } from '../course/course.js';
import { lapsesOn, memberStatus, type Progress } from '../course/progress.js';
import { localDate } from '../time/calendar.js';
import { yieldToEventLoop } from '../time/eventLoop.js';
import { isWorkingTime } from '../time/workingHours.js';
import { renewalDue, type Validity } from '../course/validity.js';
import type { RenewalStores } from './renewalPorts.js';

const CHUNK = 200;

interface Lapsed {
  readonly userId: string;
  readonly lapse: string;
  /** The language they chose, if any. */
  readonly language?: Language;
}

/** The send id of the renewal messages for acknowledgements that lapsed on `lapse`. */
export function renewalSendId(lapse: string): string {
  return `renew:${lapse}`;
}

/**
 * Adds a renewal delivery (one per person and lapse: adding it again adds nothing) for every
 * active member whose acknowledgement lapsed, and gives them the renewal's due date (renewalDue()).
 * Undefined outside office hours.
 */
export async function sendDueRenewals(
  course: Course,
  stores: RenewalStores,
  now: Date,
  validity: Validity,
): Promise<number | undefined> {
  if (!isWorkingTime(now, validity.timeZone)) return undefined;
  const today = localDate(now, validity.timeZone);
  const lapsed = await lapsedOn(course, stores, validity, today);
  const at = now.toISOString();
  let added = 0;
  for (let i = 0; i < lapsed.length; i += CHUNK) {
    const people = await Promise.all(
      lapsed.slice(i, i + CHUNK).map(async (l) => ({ ...l, member: await stores.roster.byAadObjectId(l.userId) })),
    );
    const reached = people.flatMap(({ lapse, language, member }) =>
      member?.active ? [{ lapse, key: member.key, aadObjectId: member.aadObjectId, language }] : [],
    );
    const deliveries = reached.map(({ lapse, key }): Delivery => {
      const sendId = renewalSendId(lapse);
      const id = deliveryId(sendId, key);
      return { id, sendId, kind: 'renewal', memberKey: key, state: 'pending', attempts: 0, updatedAt: at };
    });
    // The deliveries first: the due date is only written for those whose message is queued.
    if (deliveries.length > 0) added += await stores.deliveries.add(deliveries);
    await Promise.all(
      reached.map(({ lapse, key, aadObjectId, language }) =>
        stores.assignments.update(
          key,
          (current) => {
            if (current?.renewal === lapse) return undefined;
            // Asked for on its own: an earlier campaign's id would make the reminders about that campaign.
            const { campaignId: _earlier, ...rest } = current ?? { key };
            return { ...rest, key, due: renewalDue(lapse), renewal: lapse, renewalSentAt: at };
          },
          aadObjectId ? { aadObjectId, ...(language ? { language } : {}) } : undefined,
        ),
      ),
    );
    await yieldToEventLoop();
  }
  return added;
}

/** Everyone whose acknowledgement lapsed by `today`: from their own records when HR's figures name them. */
async function lapsedOn(course: Course, stores: RenewalStores, validity: Validity, today: string): Promise<Lapsed[]> {
  const lapsed = (p: Readonly<Progress>): Lapsed | undefined =>
    memberStatus(course, p, { validity, today }) === 'renewal-due'
      ? {
          userId: p.userId,
          lapse: lapsesOn(course, p, validity) ?? today,
          ...(p.language ? { language: p.language } : {}),
        }
      : undefined;
  if (!stores.completions) return (await stores.progress.scan(lapsed)).filter((l) => l !== undefined);
  const named = await stores.completions.completedWhere((lapse) => lapse !== undefined && lapse <= today);
  const found: Lapsed[] = [];
  for (let i = 0; i < named.length; i += CHUNK) {
    const records = await Promise.all(named.slice(i, i + CHUNK).map((userId) => stores.progress.get(userId)));
    for (const p of records) {
      const l = p && lapsed(p);
      if (l) found.push(l);
    }
    await yieldToEventLoop();
  }
  return found;
}
