import type { OutboundMessage } from '../outbound/ports.js';
import type { Ticket } from './tickets.js';

/** The messages about a ticket, as the contact channel (in its language) and the asker (in theirs) see them. */
export interface ContactMessages {
  /** The ticket's card at the top of its thread; `mention` calls the point of contact in. */
  ticket(ticket: Ticket, mention: boolean): OutboundMessage;
  /** The asker's follow-up, in the thread. */
  askerReply(ticket: Ticket, text: string): OutboundMessage;
  /** The asker reopened the ticket, in the thread. */
  reopened(ticket: Ticket): OutboundMessage;
  /** The one nudge a ticket past its SLA gets in its thread. */
  nudge(hours: number): OutboundMessage;
  /** The point of contact's answer, in the asker's chat. */
  answer(ticket: Ticket, by: string, text: string): OutboundMessage;
  /** The ticket was resolved, in the asker's chat. */
  resolved(ticket: Ticket): OutboundMessage;
}
