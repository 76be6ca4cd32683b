import type { FaqEntry, Ticket } from '../domain/contact/tickets.js';
import { MAX_TICKET_TEXT } from '../domain/contact/tickets.js';
import { shownAsker } from '../domain/contact/anonymity.js';
import type { CardJson } from './templates.js';
import type { LanguagePack } from './languagePack.js';

/** How many FAQ entries one card shows: the newest, to stay well under Teams' message size. */
const FAQ_ON_CARD = 10;

/** A mention of the point of contact, for urgent reports. */
export interface Mention {
  readonly id: string;
  readonly name: string;
}

/** Cards about questions and reports, for employees and for the contact channel. */
export class ContactCards {
  constructor(readonly pack: LanguagePack) {}

  /** `request` makes each card's Send button idempotent. */
  ask(request: string): CardJson {
    return this.pack.render('ask', { request, invalid: this.pack.text('askInvalid', { max: MAX_TICKET_TEXT }) });
  }

  report(request: string): CardJson {
    return this.pack.render('report', {
      request,
      invalid: this.pack.text('reportInvalid', { max: MAX_TICKET_TEXT }),
    });
  }

  /** The ticket as the contact channel sees it: never the asker's identity when anonymous. */
  ticket(ticket: Ticket, mention?: Mention): CardJson {
    const t = (key: Parameters<LanguagePack['text']>[0], values: Record<string, string | number> = {}) =>
      this.pack.text(key, values);
    const heading = t(ticket.kind === 'question' ? 'ticketQuestion' : 'ticketReport', { number: ticket.number });
    const categories = { policy: t('catPolicy'), 'post-check': t('catPostCheck'), other: t('catOther') };
    const state =
      ticket.status === 'resolved'
        ? t('statusResolved', { name: ticket.claimedBy ?? '' })
        : ticket.answeredBy !== undefined
          ? t('statusAnswered', { name: ticket.answeredBy })
          : ticket.status === 'claimed'
            ? t('statusClaimed', { name: ticket.claimedBy ?? '' })
            : t('statusOpen');
    const mentionText = mention ? `<at>${mention.name}</at>` : undefined;
    return this.pack.render('ticket', {
      number: ticket.number,
      heading,
      urgent: ticket.kind === 'report' && ticket.urgency === 'urgent',
      text: plain(ticket.text),
      from: shownAsker(ticket) ?? t('anEmployee'),
      category: ticket.category ? categories[ticket.category] : null,
      link: ticket.link ?? null,
      asked: ticket.createdAt.replace(/\.\d{3}Z$/, 'Z'),
      status: state,
      inFaq: ticket.faqAt !== undefined,
      canClaim: ticket.status === 'open',
      canResolve: ticket.status !== 'resolved',
      // Publishing again would change nothing, so a ticket in the FAQ no longer offers it.
      canFaq: ticket.kind === 'question' && ticket.answeredAt !== undefined && ticket.faqAt === undefined,
      mention: mentionText ?? null,
      mentions: mention
        ? [{ type: 'mention', text: mentionText, mentioned: { id: mention.id, name: mention.name } }]
        : [],
    });
  }

  /** An answer from the point of contact, in the employee's chat, with room to reply. */
  answer(ticket: Ticket, from: string, text: string, request: string): CardJson {
    return this.pack.render('answer', {
      number: ticket.number,
      request,
      title: this.pack.text(ticket.kind === 'report' ? 'answerTitleReport' : 'answerTitle', {
        number: ticket.number,
        name: from,
      }),
      text: plain(text),
      invalid: this.pack.text('replyInvalid', { max: MAX_TICKET_TEXT }),
    });
  }

  resolved(ticket: Ticket): CardJson {
    const notice = this.pack.text(ticket.kind === 'report' ? 'resolvedNoticeReport' : 'resolvedNotice', {
      number: ticket.number,
    });
    return this.pack.render('resolved', { number: ticket.number, notice });
  }

  faqEdit(ticket: Ticket): CardJson {
    return this.pack.render('faqEdit', {
      number: ticket.number,
      title: this.pack.text('faqEditTitle', { number: ticket.number }),
      question: ticket.text,
      answer: ticket.lastAnswer ?? '',
      language: ticket.language,
    });
  }

  /** A short message with an optional quote of someone's text, shown as typed. */
  note(title: string, text?: string): CardJson {
    return this.pack.render('note', { title, text: text === undefined ? null : plain(text) });
  }

  faq(entries: readonly FaqEntry[]): CardJson {
    return this.pack.render('faq', {
      entries: entries.slice(-FAQ_ON_CARD).map((e) => ({ question: plain(e.question), answer: plain(e.answer) })),
    });
  }
}

/** People's text shown as typed: Teams must not turn an `<at>` tag in it into a mention. */
export function plain(text: string): string {
  return text.replace(/<(\/?)at>/gi, '‹$1at›');
}
