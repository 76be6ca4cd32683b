import type { Delivery } from '../domain/campaigns/delivery.js';
import type { RosterStore } from '../domain/roster/ports.js';
import type { Recipient, RosterChanges } from './ports.js';

/**
 * Whom a delivery goes to while they are on the roster and active: as the delivery recorded them unless HR's figures
 * show they may have changed since, else as the roster holds them; undefined when they are no longer on it.
 */
export async function recipientOf(
  delivery: Delivery,
  roster: Pick<RosterStore, 'get'>,
  changes: RosterChanges | undefined,
): Promise<Recipient | undefined> {
  const { memberKey: key, recipient } = delivery;
  if (recipient && changes && !(await changes.changedFrom(key, recipient.aadObjectId)))
    return { key, aadObjectId: recipient.aadObjectId };
  const member = await roster.get(key);
  return member?.active ? member : undefined;
}
