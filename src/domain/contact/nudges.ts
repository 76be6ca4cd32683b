import { workingMinutesBetween } from '../time/workingHours.js';
import type { Ticket } from './tickets.js';

/** When a question without an answer gets its one nudge in its thread. */
export interface NudgeRules {
  /** Working minutes without an answer before the thread gets a nudge. */
  readonly slaMinutes: number;
  readonly timeZone: string;
}

/** True when the ticket has a thread, no answer and no nudge yet, and waited the SLA's working minutes. */
export function isNudgeDue(ticket: Ticket, now: Date, rules: NudgeRules): boolean {
  return (
    ticket.thread !== undefined &&
    ticket.answeredAt === undefined &&
    ticket.remindedAt === undefined &&
    workingMinutesBetween(new Date(ticket.postedAt ?? ticket.createdAt), now, rules.timeZone) >= rules.slaMinutes
  );
}
