import { randomUUID } from 'node:crypto';
import type { LanguagePack } from '../cards/languagePack.js';
import { ContactCards, type Mention } from '../cards/contactCards.js';
import type { Language } from '../domain/course/course.js';
import { shownAsker } from '../domain/contact/anonymity.js';
import type { ContactMessages } from '../domain/contact/contactMessages.js';
import type { Ticket } from '../domain/contact/tickets.js';
import { cardMessage } from './cardMessage.js';

/** Tickets' cards: in the contact channel's language in its threads, in the asker's language in their chat. */
export class TeamsContactMessages implements ContactMessages {
  private readonly channel: ContactCards;

  constructor(
    private readonly packs: Readonly<Record<Language, LanguagePack>>,
    channelLanguage: Language,
    /** Who urgent reports @mention, when configured. */
    private readonly contactMention: Mention | undefined,
  ) {
    this.channel = new ContactCards(packs[channelLanguage]);
  }

  ticket(ticket: Ticket, mention: boolean) {
    return cardMessage(this.channel.ticket(ticket, mention ? this.contactMention : undefined));
  }

  askerReply(ticket: Ticket, text: string) {
    const name = shownAsker(ticket) ?? this.channel.pack.text('anEmployee');
    return cardMessage(this.channel.note(this.channel.pack.text('employeeReply', { name }), text));
  }

  reopened(ticket: Ticket) {
    const key = ticket.kind === 'report' ? 'threadReopenedReport' : 'threadReopened';
    return cardMessage(this.channel.note(this.channel.pack.text(key)));
  }

  nudge(hours: number) {
    return cardMessage(this.channel.note(this.channel.pack.text('ticketNudge', { hours })));
  }

  answer(ticket: Ticket, by: string, text: string) {
    return cardMessage(this.asker(ticket).answer(ticket, by, text, randomUUID()));
  }

  resolved(ticket: Ticket) {
    return cardMessage(this.asker(ticket).resolved(ticket));
  }

  private asker(ticket: Ticket): ContactCards {
    return new ContactCards(this.packs[ticket.language]);
  }
}
