import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Mention,
} from 'botbuilder';
import { languageOfLocale } from '../domain/course/course.js';
import type { AccessRule } from '../domain/access.js';
import { MAX_TEXT_LENGTH } from './commands.js';
import type { ConversationStore, TeamsPlaceStore, WelcomeStore } from '../domain/conversations/ports.js';
import { threadOf } from './conversations.js';
import { answerMessage, routeForCard, run } from './dispatch.js';
import { addressLookup, senderAddresses } from './members.js';
import { plainText } from './messageText.js';
import { refuse } from './replies.js';
import type { RouteDeps } from './routeDeps.js';
import type { DroppedFile, InvokeReply, Outgoing, Scope, Turn } from './turn.js';

export interface BotDeps extends RouteDeps {
  /** Who is HR, and who may choose the contact channel. */
  readonly access: AccessRule;
  readonly settings: TeamsPlaceStore;
  /** Where each person's chat is: remembered as they talk to the bot. */
  readonly conversations: ConversationStore;
  /** Shared by several instances: welcomes are claimed there. Absent when this process is the only one. */
  readonly welcomes?: WelcomeStore;
}

/** How Teams hands a bot a file someone dropped into the personal chat. */
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** Turns Teams activities into turns, hands them to the routes, and replies as Teams messages. */
export class PostwiseBot extends TeamsActivityHandler {
  /**
   * Teams announces a personal install twice (conversationUpdate and installationUpdate), maybe
   * to two instances: one welcome, claimed in the store. Anything the person does ends that, so
   * a later announcement (reinstalling, or reloading the Agents Playground) is greeted again;
   * this map holds the chats this instance welcomed lately, so other turns cost no store write.
   */
  private readonly recentWelcomes = new Map<string, number>();
  private static readonly WELCOME_WINDOW_MS = 10_000;
  /** People not found on the roster by Entra id, and when their e-mail was last looked up. */
  private readonly rosterLookups = new Map<string, number>();
  private static readonly LOOKUP_AGAIN_MS = 60 * 60_000;

  constructor(private readonly deps: BotDeps) {
    super();

    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
      if (botAdded) await this.welcome(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
  }

  /**
   * Messages and card clicks, nearly every turn, go straight to their handlers, as botbuilder's
   * ActivityHandler would send them; its chain of a dozen downlevelled async steps a turn (each a
   * generator with its own prototype, for the garbage collector to clear) is left to the rest.
   */
  override async run(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.type === 'message') return this.message(context);
    const value = activity.value as AdaptiveCardInvokeValue | undefined;
    if (
      activity.type === 'invoke' &&
      activity.name === 'adaptiveCard/action' &&
      value?.action?.type === 'Action.Execute'
    ) {
      const response = await this.onAdaptiveCardInvoke(context, value);
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: response.statusCode, body: response },
      });
      return;
    }
    return super.run(context);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const data = typeof value.action.data === 'object' && value.action.data !== null ? value.action.data : {};
    const turn = await this.turn(context, data);
    const route = routeForCard(value.action.verb, turn.scope, this.deps.log);
    if (typeof route === 'string') return invokeResponse({ message: turn.cards.text(route) });
    if (turn.scope === 'personal') await this.remember(context, 'active');
    const reply = (await run(route, turn, this.deps)) ?? refuse(turn.cards.text('staleCard'));
    // A text the click's answer already shows under the card is not sent a second time.
    const notice = 'message' in reply.invoke ? reply.invoke.message : undefined;
    await this.send(
      context,
      reply.send.filter((item) => !('text' in item) || item.text !== notice),
    );
    return invokeResponse(reply.invoke);
  }

  /** In the personal chat every message is for the bot; in a channel, commands addressed to it and replies in ticket threads. */
  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (scopeOf(context) === 'channel' && (activity.from.id === activity.recipient?.id || activity.from.role === 'bot'))
      return;
    const turn = await this.turn(context, {});
    if (turn.scope === 'personal') {
      if (turn.text.length > MAX_TEXT_LENGTH) {
        await this.send(context, [{ text: turn.cards.text('tooLong', { max: MAX_TEXT_LENGTH }) }]);
        return;
      }
      await this.remember(context, 'active');
    }
    await this.send(context, await answerMessage(turn, this.deps));
  }

  private async welcome(context: TurnContext): Promise<void> {
    if (scopeOf(context) !== 'personal') return;
    await this.remember(context, 'announced');
    const key = context.activity.conversation.id;
    const now = Date.now();
    if (now - (this.recentWelcomes.get(key) ?? 0) < PostwiseBot.WELCOME_WINDOW_MS) return;
    if (this.deps.welcomes && !(await this.deps.welcomes.claimWelcome(key, now, PostwiseBot.WELCOME_WINDOW_MS))) return;
    this.recentWelcomes.set(key, now);
    for (const [k, at] of this.recentWelcomes)
      if (now - at >= PostwiseBot.WELCOME_WINDOW_MS) this.recentWelcomes.delete(k);
    const turn = await this.turn(context, {});
    const state = await this.deps.course.state(turn.userId);
    const changed = turn.cards.whatChanged(state);
    await this.send(
      context,
      (changed.length > 0 ? changed : [turn.cards.greeting(state)]).map((card) => ({ card })),
    );
  }

  private async turn(context: TurnContext, data: Record<string, unknown>): Promise<Turn> {
    const { activity } = context;
    const userId = userIdOf(context);
    const scope = scopeOf(context);
    const language =
      (await this.deps.course.language(userId)) ?? languageOfLocale(activity.locale) ?? this.deps.defaultLanguage;
    const channelData = (activity.channelData ?? {}) as {
      tenant?: { id?: string };
      team?: { id?: string };
      channel?: { id?: string };
    };
    const tenantId = activity.conversation.tenantId ?? channelData.tenant?.id;
    const thread = threadOf(activity.conversation.id);
    const file = scope === 'personal' && activity.type === 'message' ? droppedFile(context) : undefined;
    return {
      userId,
      userName: activity.from.name,
      cards: this.deps.cards[language],
      scope,
      text: scope === 'personal' ? (activity.text ?? '') : plainText(activity.text ?? ''),
      addressed:
        scope === 'personal' ||
        (activity.entities ?? []).some(
          (e) => e.type === 'mention' && (e as Mention).mentioned?.id === activity.recipient?.id,
        ),
      ...(file ? { file } : {}),
      args: [],
      data,
      conversation: {
        id: activity.conversation.id,
        serviceUrl: activity.serviceUrl,
        ...(tenantId ? { tenantId } : {}),
        ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
        ...(channelData.channel?.id ? { channelId: channelData.channel.id } : {}),
        ...(thread.rootActivityId !== undefined
          ? { thread: { channelId: thread.channelId, rootActivityId: thread.rootActivityId } }
          : {}),
        ...(activity.type === 'invoke' && activity.replyToId ? { cardMessageId: activity.replyToId } : {}),
        ...(activity.recipient?.id ? { botId: activity.recipient.id } : {}),
      },
      isContactAdmin: () => this.deps.access.isContactAdmin(userId, addressLookup(context, this.deps.log)),
      isHr: () => this.deps.access.isHr(userId, addressLookup(context, this.deps.log)),
    };
  }

  /**
   * Keeps the personal conversation reference so the bot can message the employee first, the
   * place Teams reaches the bot from, and matches the employee to the roster. `active`: the
   * person did something (not just an install announcement).
   */
  private async remember(context: TurnContext, how: 'active' | 'announced'): Promise<void> {
    const { activity } = context;
    if (how === 'active' && this.recentWelcomes.delete(activity.conversation.id))
      await this.deps.welcomes?.endWelcome(activity.conversation.id);
    const tenantId =
      activity.conversation.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const botId = activity.recipient?.id ?? '';
    await this.deps.conversations.put(userIdOf(context), {
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId,
      conversationId: activity.conversation.id,
      botId,
      ...(tenantId ? { tenantId } : {}),
    });
    // Only allowed tenants get this far (edge.ts; every tenant in local mode without a list).
    if (tenantId) {
      await this.deps.settings.setTeamsPlace({ serviceUrl: activity.serviceUrl, tenantId, botId });
    }
    await this.matchRoster(context);
  }

  /**
   * Links a Teams user without a roster match by Entra id to the roster by e-mail or UPN, when
   * the roster has members still without an id (so no lookups with a Graph roster, or none at all).
   */
  private async matchRoster(context: TurnContext): Promise<void> {
    const aadObjectId = context.activity.from.aadObjectId;
    const now = Date.now();
    if (
      !aadObjectId ||
      (await this.deps.hr.roster.unlinked()) === 0 ||
      (await this.deps.hr.roster.byAadObjectId(aadObjectId))
    )
      return;
    if (now - (this.rosterLookups.get(aadObjectId) ?? 0) < PostwiseBot.LOOKUP_AGAIN_MS) return;
    this.rosterLookups.set(aadObjectId, now);
    try {
      if (await this.deps.hr.roster.link(aadObjectId, await senderAddresses(context)))
        this.rosterLookups.delete(aadObjectId);
    } catch {
      // Teams could not say who this is; tried again after LOOKUP_AGAIN_MS.
      this.deps.log.info('roster.lookup-failed');
    }
    if (this.rosterLookups.size > 10_000) {
      for (const [id, at] of this.rosterLookups)
        if (now - at >= PostwiseBot.LOOKUP_AGAIN_MS) this.rosterLookups.delete(id);
    }
  }

  private async send(context: TurnContext, outgoing: readonly Outgoing[]): Promise<void> {
    for (const item of outgoing) {
      await context.sendActivity(
        'card' in item
          ? MessageFactory.attachment(CardFactory.adaptiveCard(item.card))
          : MessageFactory.text(item.text),
      );
    }
  }
}

/** The employee's stable id: the Entra object id where Teams gives it. */
function userIdOf(context: TurnContext): string {
  const from = context.activity.from;
  return from.aadObjectId ?? from.id;
}

function scopeOf(context: TurnContext): Scope {
  const type = context.activity.conversation.conversationType;
  return type === undefined || type === 'personal' ? 'personal' : 'channel';
}

/** A file dropped into the chat with the message, as Teams describes it. */
function droppedFile(context: TurnContext): DroppedFile | undefined {
  const file = (context.activity.attachments ?? []).find((a) => a.contentType === FILE_DOWNLOAD_INFO);
  if (!file) return undefined;
  const content = (file.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
  return {
    name: typeof file.name === 'string' ? file.name.slice(0, 200) : '',
    downloadUrl: typeof content.downloadUrl === 'string' ? content.downloadUrl : '',
    fileType: typeof content.fileType === 'string' ? content.fileType : '',
  };
}

/** Always 200: Teams shows nothing at all for an error status, so refusals are messages too. */
function invokeResponse(reply: InvokeReply): AdaptiveCardInvokeResponse {
  if ('card' in reply) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card };
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: reply.message as unknown as Record<string, unknown>,
  };
}
