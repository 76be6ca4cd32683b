import {
  ActivityTypes,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import { withinDeadline } from '../domain/time/turnDeadline.js';
import { turnOf, scopeOf } from './activityTurn.js';
import type { BotDeps } from './botDeps.js';
import { MAX_TEXT_LENGTH } from './commands.js';
import { ConversationMemory } from './conversationMemory.js';
import { answerInstall, answerMessage, routeForCard, run } from './dispatch.js';
import { refuse } from './replies.js';
import { RosterMatching } from './rosterMatching.js';
import { invokeResponse, sendReplies } from './sendReplies.js';
import type { Turn } from './turn.js';
import { packWithoutStore, storeFailed, TURN_STORE_BUDGET_MS, unansweredText } from './storeFaults.js';

/** Hands Teams activities, as turns, to the routes, and sends their replies. */
export class PostwiseBot extends TeamsActivityHandler {
  private readonly memory: ConversationMemory;

  constructor(private readonly deps: BotDeps) {
    super();
    const matching = new RosterMatching(deps.hr.roster, deps.log);
    this.memory = new ConversationMemory(deps.conversations, deps.settings, deps.welcomes, matching, deps.hr.clock);

    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
      if (botAdded) await this.install(context);
      await next();
    });

    this.onInstallationUpdateAdd(async (context, next) => {
      await this.install(context);
      await next();
    });
  }

  /**
   * Messages and card clicks, nearly every turn, go straight to their handlers, as botbuilder's
   * ActivityHandler would send them; its chain of a dozen downlevelled async steps a turn (each a
   * generator with its own prototype, for the garbage collector to clear) is left to the rest. The
   * turn's store requests share one deadline.
   */
  override run(context: TurnContext): Promise<void> {
    return withinDeadline(Date.now() + TURN_STORE_BUDGET_MS, () => this.runTurn(context));
  }

  private async runTurn(context: TurnContext): Promise<void> {
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
    let pack = packWithoutStore(context, this.deps);
    try {
      const turn = await turnOf(context, { data }, this.deps);
      pack = turn.pack;
      return await this.click(context, turn, value.action.verb);
    } catch (error) {
      // The card is left as it was, so the same click can be tried again.
      const text = unansweredText(error, this.deps.log);
      if (text) return invokeResponse({ message: pack.text(text) });
      throw error;
    }
  }

  /** Runs the route a card button asks for, and sends its replies. */
  private async click(context: TurnContext, turn: Turn, verb: string): Promise<AdaptiveCardInvokeResponse> {
    const route = routeForCard(verb, turn.scope, this.deps.log);
    if (typeof route === 'string') return invokeResponse({ message: turn.pack.text(route) });
    if (turn.scope === 'personal') await this.memory.remember(context, 'active');
    const reply = (await run(route, turn, this.deps)) ?? refuse(turn.pack.text('staleCard'));
    // A text the click's answer already shows under the card is not sent a second time.
    const notice = 'message' in reply.invoke ? reply.invoke.message : undefined;
    await sendReplies(
      context,
      reply.send.filter((item) => !('text' in item) || item.text !== notice),
    );
    return invokeResponse(reply.invoke);
  }

  /** In the personal chat every message is for the bot; in a channel, commands to it and replies in ticket threads. */
  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (scopeOf(context) === 'channel' && (activity.from.id === activity.recipient?.id || activity.from.role === 'bot'))
      return;
    let pack = packWithoutStore(context, this.deps);
    try {
      const turn = await turnOf(context, { data: {} }, this.deps);
      pack = turn.pack;
      await this.answer(context, turn);
    } catch (error) {
      const text = unansweredText(error, this.deps.log);
      if (!text) throw error;
      await sendReplies(context, [{ text: pack.text(text) }]);
    }
  }

  private async answer(context: TurnContext, turn: Turn): Promise<void> {
    if (turn.scope === 'personal') {
      if (turn.text.length > MAX_TEXT_LENGTH) {
        await sendReplies(context, [{ text: turn.pack.text('tooLong', { max: MAX_TEXT_LENGTH }) }]);
        return;
      }
      await this.memory.remember(context, 'active');
    }
    await sendReplies(context, await answerMessage(turn, this.deps));
  }

  /** Teams announces the bot was installed: the conversation is kept, and the install's route answers. */
  private async install(context: TurnContext): Promise<void> {
    try {
      const turn = await turnOf(context, { installed: true }, this.deps);
      if (turn.scope === 'personal') await this.memory.remember(context, 'announced');
      await sendReplies(context, await answerInstall(turn, this.deps));
    } catch (error) {
      // Nobody clicked or typed anything to be told about it: the fault is only logged.
      if (!storeFailed(error, this.deps.log)) throw error;
    }
  }
}
