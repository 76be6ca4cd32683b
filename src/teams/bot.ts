import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import type { Cards } from '../cards/views.js';
import { LANGUAGES, type Language } from '../domain/course.js';
import type { CourseService } from '../domain/courseService.js';
import type { Log } from '../log.js';
import type { ConversationStore } from '../storage/interfaces.js';
import { MAX_TEXT_LENGTH, parseCommand } from './commands.js';
import { CARD_VERBS, routeTable, type InvokeReply, type Outgoing, type Reply, type RouteName, type Turn } from './routes.js';

export interface BotDeps {
  readonly service: CourseService;
  readonly cards: Readonly<Record<Language, Cards>>;
  readonly conversations: ConversationStore;
  readonly defaultLanguage: Language;
  readonly log: Log;
}

/** Turns Teams activities into routes, and replies into Teams messages. */
export class PostwiseBot extends TeamsActivityHandler {
  private readonly routes: ReturnType<typeof routeTable>;
  /** Teams announces a personal install twice (conversationUpdate and installationUpdate). */
  private readonly recentWelcomes = new Map<string, number>();

  constructor(private readonly deps: BotDeps) {
    super();
    this.routes = routeTable(deps.service, deps.cards);

    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      const turn = await this.turn(context, [], {});
      if (text.length > MAX_TEXT_LENGTH) {
        await this.send(context, [{ text: turn.cards.text('tooLong', { max: MAX_TEXT_LENGTH }) }]);
      } else {
        await this.remember(context);
        const command = parseCommand(text);
        const reply = command
          ? await this.dispatch(command.route, { ...turn, args: command.args })
          : { send: [{ card: turn.cards.help(turn.cards.text('notUnderstood')) }] };
        await this.send(context, reply.send);
      }
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

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const verb = value.action.verb as RouteName;
    const data = typeof value.action.data === 'object' && value.action.data !== null ? value.action.data : {};
    const turn = await this.turn(context, [], data);
    if (!CARD_VERBS.has(verb)) {
      this.deps.log.info('card.unknown-verb');
      return invokeResponse({ error: turn.cards.text('staleCard') });
    }
    await this.remember(context);
    const reply = await this.dispatch(verb, turn);
    await this.send(context, reply.send);
    return invokeResponse(reply.invoke);
  }

  private async dispatch(route: RouteName, turn: Turn): Promise<Reply> {
    this.deps.log.info('route', { route });
    return this.routes[route](turn);
  }

  private async welcome(context: TurnContext): Promise<void> {
    if (context.activity.conversation?.conversationType && context.activity.conversation.conversationType !== 'personal') return;
    await this.remember(context);
    const key = context.activity.conversation.id;
    const now = Date.now();
    if (now - (this.recentWelcomes.get(key) ?? 0) < 60_000) return;
    this.recentWelcomes.set(key, now);
    for (const [k, at] of this.recentWelcomes) if (now - at >= 60_000) this.recentWelcomes.delete(k);
    const turn = await this.turn(context, [], {});
    await this.send(context, [{ card: turn.cards.welcome() }]);
  }

  private async turn(context: TurnContext, args: readonly string[], data: Record<string, unknown>): Promise<Turn> {
    const userId = userIdOf(context);
    const progress = await this.deps.service.progress(userId);
    const language = progress.language ?? languageOf(context.activity.locale) ?? this.deps.defaultLanguage;
    return { userId, cards: this.deps.cards[language], args, data };
  }

  /** Keeps the conversation reference so later features can message the employee first. */
  private async remember(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.conversation?.conversationType && activity.conversation.conversationType !== 'personal') return;
    const tenantId = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    await this.deps.conversations.put(userIdOf(context), {
      serviceUrl: activity.serviceUrl,
      channelId: activity.channelId,
      conversationId: activity.conversation.id,
      botId: activity.recipient?.id ?? '',
      ...(tenantId ? { tenantId } : {}),
    });
  }

  private async send(context: TurnContext, outgoing: readonly Outgoing[]): Promise<void> {
    for (const item of outgoing) {
      await context.sendActivity(
        'card' in item ? MessageFactory.attachment(CardFactory.adaptiveCard(item.card)) : MessageFactory.text(item.text),
      );
    }
  }
}

/** The employee's stable id: the Entra object id where Teams gives it. */
export function userIdOf(context: TurnContext): string {
  const from = context.activity.from;
  return from.aadObjectId ?? from.id;
}

function languageOf(locale: string | undefined): Language | undefined {
  const prefix = locale?.slice(0, 2).toLowerCase();
  return LANGUAGES.find((l) => l === prefix);
}

function invokeResponse(reply: InvokeReply): AdaptiveCardInvokeResponse {
  if ('card' in reply) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card };
  if ('message' in reply) {
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.message as unknown as Record<string, unknown> };
  }
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: reply.error } };
}

