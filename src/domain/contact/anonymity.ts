import type { Ticket } from './tickets.js';

/**
 * Anonymity, decided here only. A question is anonymous when the employee ticked "Ask
 * anonymously" (the card sends 'yes'); a report never is, as the point of contact may need to
 * follow it up. An anonymous ticket keeps no name: who asked is kept only to route answers back.
 */
export function askerFields(
  kind: Ticket['kind'],
  name: string,
  anonymousChoice: unknown,
): Pick<Ticket, 'anonymous' | 'askerName'> {
  const anonymous = kind === 'question' && anonymousChoice === 'yes';
  return anonymous ? { anonymous } : { anonymous, askerName: name };
}

/** Who asked, as the contact channel may show it; undefined when it shows "an employee". */
export function shownAsker(ticket: Pick<Ticket, 'anonymous' | 'askerName'>): string | undefined {
  return ticket.anonymous ? undefined : ticket.askerName;
}
