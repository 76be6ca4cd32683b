import type { CardJson } from '../cards/templates.js';
import type { LanguagePack } from '../cards/languagePack.js';
import type { ChannelPlace } from '../domain/contact/tickets.js';

/** Where a conversation with the bot takes place: the personal chat, or a team channel or group chat. */
export type Scope = 'personal' | 'channel';

/** A file someone dropped into the personal chat, as Teams describes it. */
export interface DroppedFile {
  readonly name: string;
  readonly downloadUrl: string;
  readonly fileType: string;
}

/** Who is asking, where, in which language, with what the card or the typed words carried. */
export interface Turn {
  readonly userId: string;
  /** The display name Teams gives; shown only where the person chose to be named. */
  readonly userName: string | undefined;
  readonly pack: LanguagePack;
  readonly scope: Scope;
  /** The message as the bot reads it (in a channel without mentions and formatting); '' for a card button. */
  readonly text: string;
  /** Whether the message speaks to the bot: every personal message, a channel message that @mentions it. */
  readonly addressed: boolean;
  /** A file dropped into the personal chat with this message. */
  readonly file?: DroppedFile;
  /** Teams announced the bot was installed here (conversationUpdate or installationUpdate): no words, no button. */
  readonly installed?: true;
  /** The words typed after the command. */
  readonly args: readonly string[];
  /** What the card button carried, with the card's inputs. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly conversation: {
    readonly id: string;
    readonly serviceUrl: string;
    readonly tenantId?: string;
    readonly teamId?: string;
    readonly channelId?: string;
    /** The channel thread this happened in, if any. */
    readonly thread?: Required<ChannelPlace>;
    /** For a card button: the id of the message that holds the card, so the bot can update it later. */
    readonly cardMessageId?: string;
    /** The bot's id in this conversation. */
    readonly botId?: string;
  };
  /** Whether this person may choose the contact channel (HR or a contact admin). */
  readonly isContactAdmin: () => Promise<boolean>;
  /** Whether this person is one of the HR users. */
  readonly isHr: () => Promise<boolean>;
  /** The ids the roster may name this person by as a manager (AccessRule.identities), looked up once a turn. */
  readonly identities: () => Promise<readonly string[]>;
}

export type Outgoing = { readonly card: CardJson } | { readonly text: string };

/**
 * The answer to a card button: a replacement card, or a short message shown under the card
 * (a confirmation or a refusal).
 */
export type InvokeReply = { readonly card: CardJson } | { readonly message: string };

/** What a route answers: messages to send, and (for a card button) what the button shows. */
export interface Reply {
  readonly send: readonly Outgoing[];
  readonly invoke: InvokeReply;
}

/** A short string from card data, or undefined for anything else. */
export function shortText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= 100 ? value : undefined;
}
