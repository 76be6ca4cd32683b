import type { QuestionCards, Mention } from '../cards/questionCards.js';
import type { QuestionService } from '../domain/questions/questionService.js';
import type { Ticket } from '../domain/questions/tickets.js';
import type { Log } from '../log.js';
import type { Messenger } from './messenger.js';

/**
 * Starts tickets' threads in the contact channel, one at a time, so that a ticket never gets two
 * threads and tickets that waited for a channel arrive in the order they were made.
 */
export class TicketThreads {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly questions: QuestionService,
    private readonly messenger: Messenger,
    /** Cards in the contact channel's language. */
    private readonly cards: QuestionCards,
    /** Who urgent reports @mention, when configured. */
    private readonly contactMention: Mention | undefined,
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
      if (!(await this.questions.contactChannel())) return 0;
      let opened = 0;
      for (const ticket of await this.questions.waiting()) {
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

  private async openNow(ticket: Ticket): Promise<Ticket> {
    const current = (await this.questions.ticket(ticket.number)) ?? ticket;
    const channel = await this.questions.contactChannel();
    if (current.thread || !channel) return current;
    const mention = current.urgency === 'urgent' ? this.contactMention : undefined;
    const thread = await this.messenger.startThread(channel, this.cards.ticket(current, mention));
    const posted = (await this.questions.attachThread(current.number, thread)) ?? { ...current, thread };
    this.log.info('ticket.posted', { kind: posted.kind, anonymous: posted.anonymous });
    return posted;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
