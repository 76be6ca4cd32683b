import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import { languageOfLocale, type Language } from '../domain/course/course.js';
import type { CourseService } from '../domain/course/courseService.js';
import { MAX_TEXT_LENGTH, parseCommand } from './commands.js';
import { HrCards } from '../cards/hrCards.js';
import type { AccessRule } from '../domain/access.js';
import { threadOf, type TeamsPlaceStore } from './conversations.js';
import { addressLookup, senderAddresses } from './members.js';
import { contactRoutes, relayContactReply, type ContactDeps } from './contactRoutes.js';
import { hrRoutes, rosterFileReply, type HrDeps, type RosterFile } from './hrRoutes.js';
import { isRouteName, ROUTE_RULES, type RouteName, type Routes } from './routeTable.js';
import { courseRoutes, type InvokeReply, type Outgoing, type Reply, type Turn } from './routes.js';

export interface BotDeps extends ContactDeps {
  readonly course: CourseService;
  readonly defaultLanguage: Language;
  /** Who is HR, and who may choose the contact channel. */
  readonly access: AccessRule;
  readonly hr: HrDeps;
  readonly settings: TeamsPlaceStore;
}

/** How Teams hands a bot a file someone dropped into the personal chat. */
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

type Scope = 'personal' | 'channel';

/** Turns Teams activities into routes, and replies into Teams messages. */
export class PostwiseBot extends TeamsActivityHandler {
  private readonly routes: Routes;
  /**
   * Teams announces a personal install twice (conversationUpdate and installationUpdate): one
   * welcome. Anything the person does ends that, so a later announcement (reinstalling, or
   * reloading the Agents Playground) is greeted again.
   */
  private readonly recentWelcomes = new Map<string, number>();
  private static readonly WELCOME_WINDOW_MS = 10_000;
  /** People not found on the roster by Entra id, and when their e-mail was last looked up. */
  private readonly rosterLookups = new Map<string, number>();
  private static readonly LOOKUP_AGAIN_MS = 60 * 60_000;

  constructor(private readonly deps: BotDeps) {
    super();
    const inventoryCard = async (turn: Turn) => ((await deps.hr.inventory.offered(turn.userId)) ? [{ card: new HrCards(turn.cards).inventory() }] : []);
    this.routes = { ...courseRoutes(deps.course, deps.cards, inventoryCard), ...contactRoutes(deps), ...hrRoutes(deps.hr) };

    this.onMessage(async (context, next) => {
      if (scopeOf(context) === 'personal') await this.personalMessage(context);
      else await this.channelMessage(context);
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

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = value.action.verb;
    const data = typeof value.action.data === 'object' && value.action.data !== null ? value.action.data : {};
    const turn = await this.turn(context, [], data);
    if (!isRouteName(verb) || !ROUTE_RULES[verb].card) {
      this.deps.log.info('card.unknown-verb');
      return invokeResponse({ message: turn.cards.text('staleCard') });
    }
    if (ROUTE_RULES[verb].scope !== scopeOf(context)) {
      this.deps.log.info('card.wrong-place', { route: verb });
      return invokeResponse({ message: turn.cards.text(ROUTE_RULES[verb].scope === 'channel' ? 'notHere' : 'onlyPersonal') });
    }
    if (scopeOf(context) === 'personal') await this.remember(context, 'active');
    const reply = await this.dispatch(verb, turn);
    // A text the click's answer already shows under the card is not sent a second time.
    const notice = 'message' in reply.invoke ? reply.invoke.message : undefined;
    await this.send(context, reply.send.filter((item) => !('text' in item) || item.text !== notice));
    return invokeResponse(reply.invoke);
  }

  private async personalMessage(context: TurnContext): Promise<void> {
    const text = context.activity.text ?? '';
    const turn = await this.turn(context, [], {});
    if (text.length > MAX_TEXT_LENGTH) {
      await this.send(context, [{ text: turn.cards.text('tooLong', { max: MAX_TEXT_LENGTH }) }]);
      return;
    }
    await this.remember(context, 'active');
    const file = (context.activity.attachments ?? []).find((a) => a.contentType === FILE_DOWNLOAD_INFO);
    if (file) {
      const content = (file.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
      const upload: RosterFile = {
        name: typeof file.name === 'string' ? file.name.slice(0, 200) : '',
        downloadUrl: typeof content.downloadUrl === 'string' ? content.downloadUrl : '',
        fileType: typeof content.fileType === 'string' ? content.fileType : '',
      };
      await this.send(context, await rosterFileReply(this.deps.hr, turn, upload));
      return;
    }
    const command = parseCommand(text);
    const reply =
      command && ROUTE_RULES[command.route].scope === 'personal'
        ? await this.dispatch(command.route, { ...turn, args: command.args })
        : { send: [{ card: turn.cards.help(turn.cards.text('notUnderstood')) }] };
    await this.send(context, reply.send);
  }

  /** In a channel the bot answers commands addressed to it and relays replies in ticket threads. */
  private async channelMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.from.id === activity.recipient?.id || activity.from.role === 'bot') return;
    const mentioned = (activity.entities ?? []).some((e) => e.type === 'mention' && e.mentioned?.id === activity.recipient?.id);
    const text = plainText(activity.text ?? '');
    const command = mentioned ? parseCommand(text) : undefined;
    const turn = await this.turn(context, [], {});
    if (command && ROUTE_RULES[command.route].scope === 'channel') {
      const reply = await this.dispatch(command.route, { ...turn, args: command.args });
      await this.send(context, reply.send);
      return;
    }
    if (text !== '' && text.length <= 4000 && threadOf(activity.conversation.id).rootActivityId !== undefined) {
      if (await relayContactReply(this.deps, turn, text)) return;
    }
    if (mentioned) await this.send(context, [{ text: this.deps.cards[this.deps.defaultLanguage].text('channelHelp') }]);
  }

  private dispatch(route: RouteName, turn: Turn): Promise<Reply> {
    return this.routes[route](turn);
  }

  private async welcome(context: TurnContext): Promise<void> {
    if (scopeOf(context) !== 'personal') return;
    await this.remember(context, 'announced');
    const key = context.activity.conversation.id;
    const now = Date.now();
    if (now - (this.recentWelcomes.get(key) ?? 0) < PostwiseBot.WELCOME_WINDOW_MS) return;
    this.recentWelcomes.set(key, now);
    for (const [k, at] of this.recentWelcomes) if (now - at >= PostwiseBot.WELCOME_WINDOW_MS) this.recentWelcomes.delete(k);
    const turn = await this.turn(context, [], {});
    await this.send(context, [{ card: turn.cards.greeting(await this.deps.course.state(turn.userId)) }]);
  }

  private async turn(context: TurnContext, args: readonly string[], data: Record<string, unknown>): Promise<Turn> {
    const { activity } = context;
    const userId = userIdOf(context);
    const language = (await this.deps.course.language(userId)) ?? languageOfLocale(activity.locale) ?? this.deps.defaultLanguage;
    const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } };
    const tenantId = activity.conversation.tenantId ?? channelData.tenant?.id;
    return {
      userId,
      userName: activity.from.name,
      cards: this.deps.cards[language],
      args,
      data,
      conversation: {
        id: activity.conversation.id,
        serviceUrl: activity.serviceUrl,
        ...(tenantId ? { tenantId } : {}),
        ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
        ...(channelData.channel?.id ? { channelId: channelData.channel.id } : {}),
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
    if (how === 'active') this.recentWelcomes.delete(activity.conversation.id);
    const tenantId = activity.conversation.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
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
    if (!aadObjectId || (await this.deps.hr.roster.unlinked()) === 0 || (await this.deps.hr.roster.byAadObjectId(aadObjectId))) return;
    if (now - (this.rosterLookups.get(aadObjectId) ?? 0) < PostwiseBot.LOOKUP_AGAIN_MS) return;
    this.rosterLookups.set(aadObjectId, now);
    try {
      if (await this.deps.hr.roster.link(aadObjectId, await senderAddresses(context))) this.rosterLookups.delete(aadObjectId);
    } catch {
      // Teams could not say who this is; tried again after LOOKUP_AGAIN_MS.
      this.deps.log.info('roster.lookup-failed');
    }
    if (this.rosterLookups.size > 10_000) {
      for (const [id, at] of this.rosterLookups) if (now - at >= PostwiseBot.LOOKUP_AGAIN_MS) this.rosterLookups.delete(id);
    }
  }

  private async send(context: TurnContext, outgoing: readonly Outgoing[]): Promise<void> {
    for (const item of outgoing) {
      await context.sendActivity('card' in item ? MessageFactory.attachment(CardFactory.adaptiveCard(item.card)) : MessageFactory.text(item.text));
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

/** A channel message as words: mentions of the bot and HTML formatting removed. */
function plainText(html: string): string {
  return html
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Always 200: Teams shows nothing at all for an error status, so refusals are messages too. */
function invokeResponse(reply: InvokeReply): AdaptiveCardInvokeResponse {
  if ('card' in reply) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card };
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.message as unknown as Record<string, unknown> };
}
