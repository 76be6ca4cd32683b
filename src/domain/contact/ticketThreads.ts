import { createHash } from 'node:crypto';
import type { Log } from '../log.js';
import type { Outbound } from '../outbound/ports.js';
import type { ContactMessages } from './contactMessages.js';
import type { ContactService, TicketAction } from './contactService.js';
import { cleanText, type ChannelPlace, type Ticket } from './tickets.js';

/** What became of a reply in a thread: not a ticket's thread, no chat with the asker, or passed on. */
export type Relayed = 'not-a-ticket' | 'undeliverable' | 'relayed';

/**
 * Everything the point of contact and the asker get sent about tickets: the ticket's thread in the
 * contact channel (started one at a time, so a ticket never gets two threads and tickets that
 * waited for a channel arrive in the order they were made), what is added to it, and the answers
 * in the asker's chat.
 */
export class TicketThreads {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly contact: ContactService,
    private readonly outbound: Outbound,
    private readonly messages: ContactMessages,
    /** Whether urgent reports @mention the point of contact (one is configured). */
    private readonly mentionUrgent: boolean,
    private readonly log: Log,
  ) {}

  /**
   * Starts the ticket's thread unless it has one. Returns the ticket as it is now: without a
   * thread when there is no contact channel yet. Throws when Teams refuses the thread.
   */
  open(ticket: Ticket): Promise<Ticket> {
    return this.serially(() => this.openNow(ticket));
  }

  /**
   * Starts the threads of the tickets still waiting, oldest first; stops at the first that fails,
   * to be tried again later. Returns how many threads were started.
   */
  openWaiting(): Promise<number> {
    return this.serially(async () => {
      if (!(await this.contact.contactChannel())) return 0;
      let opened = 0;
      for (const ticket of await this.contact.waiting()) {
        try {
          if ((await this.openNow(ticket)).thread) opened += 1;
        } catch (error) {
          this.log.error('ticket.thread-failed', error);
          break;
        }
      }
      return opened;
    });
  }

  /** The asker's follow-up goes to the ticket's thread, once per request. */
  async askerReplied(askerId: string, number: number, text: unknown, request: string): Promise<TicketAction> {
    const outcome = await this.contact.askerReplied(askerId, number, text);
    if (outcome.kind !== 'done') return outcome;
    const reply = cleanText(text) ?? '';
    const key = `reply/${request}/${createHash('sha256').update(reply).digest('hex').slice(0, 16)}`;
    const channel = await this.contact.contactChannel();
    const { ticket } = outcome;
    if (channel && ticket.thread && (await this.contact.firstTime(askerId, key)))
      await this.outbound.postInThread(channel, ticket.thread, this.messages.askerReply(ticket, reply));
    return outcome;
  }

  /** The asker reopens the ticket: its card in the thread shows it, and the thread is told. */
  async reopen(askerId: string, number: number): Promise<TicketAction> {
    const outcome = await this.contact.reopen(askerId, number);
    if (outcome.kind !== 'done') return outcome;
    const channel = await this.contact.contactChannel();
    const { ticket } = outcome;
    if (channel && ticket.thread) {
      await this.outbound.updateThreadRoot(channel, ticket.thread, this.messages.ticket(ticket, false));
      await this.outbound.postInThread(channel, ticket.thread, this.messages.reopened(ticket));
    }
    return outcome;
  }

  /** The point of contact resolves the ticket; the asker is told in their chat. */
  async resolve(number: number, by: string, place: ChannelPlace): Promise<TicketAction> {
    const outcome = await this.contact.resolve(number, by, place);
    if (outcome.kind === 'done')
      await this.outbound.toPerson(outcome.ticket.askerId, this.messages.resolved(outcome.ticket));
    return outcome;
  }

  /** A reply in a ticket's thread goes to the asker; the ticket's card then shows who answered. */
  async relayAnswer(threadConversationId: string, by: string, text: string): Promise<Relayed> {
    const ticket = await this.contact.contactReplied(threadConversationId, text);
    if (!ticket) return 'not-a-ticket';
    if (!(await this.outbound.toPerson(ticket.askerId, this.messages.answer(ticket, by, text)))) {
      this.log.info('ticket.answer-undeliverable');
      return 'undeliverable';
    }
    this.log.info('ticket.answer-relayed');
    const channel = await this.contact.contactChannel();
    const answered = await this.contact.answerDelivered(ticket.number, by);
    if (channel && ticket.thread && answered && answered.answeredBy !== ticket.answeredBy)
      await this.outbound.updateThreadRoot(channel, ticket.thread, this.messages.ticket(answered, false));
    return 'relayed';
  }

  /**
   * Posts the one nudge each question past its SLA gets in its thread; returns how many were sent. Each
   * ticket is claimed before its nudge is posted, so two leaders that overlap post it once.
   */
  async sendDueNudges(hours: number): Promise<number> {
    const channel = await this.contact.contactChannel();
    if (!channel) return 0;
    let sent = 0;
    for (const ticket of await this.contact.dueNudges()) {
      if (!ticket.thread) continue;
      const claimedAt = await this.contact.claimNudge(ticket.number);
      if (!claimedAt) continue;
      try {
        await this.outbound.postInThread(channel, ticket.thread, this.messages.nudge(hours));
        sent += 1;
      } catch (error) {
        this.log.error('nudge.failed', error);
        await this.contact.unclaimNudge(ticket.number, claimedAt);
      }
    }
    return sent;
  }

  private async openNow(ticket: Ticket): Promise<Ticket> {
    const current = (await this.contact.ticket(ticket.number)) ?? ticket;
    const channel = await this.contact.contactChannel();
    if (current.thread || !channel) return current;
    const mention = this.mentionUrgent && current.urgency === 'urgent';
    const thread = await this.outbound.startThread(channel, this.messages.ticket(current, mention));
    const posted = (await this.contact.attachThread(current.number, thread)) ?? { ...current, thread };
    this.log.info('ticket.posted', { kind: posted.kind, anonymous: posted.anonymous });
    return posted;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
