import type { CourseCards } from '../cards/courseCards.js';
import type { Config } from '../config.js';
import type { Language } from '../domain/course/course.js';
import type { RefresherQuestion, RefresherService } from '../domain/refreshers/refresherService.js';
import type { Clock } from '../domain/time/clock.js';
import { DeliveryWorker } from '../delivery/worker.js';
import type { GraphClient } from '../directory/graph.js';
import type { Log } from '../log.js';
import type { Stores } from '../storage/stores.js';
import { TeamsDeliveryMessages } from '../teams/deliveryMessages.js';
import { connectorToken, TeamsSender } from '../teams/proactive.js';

export interface DeliveryWorkerParts {
  readonly config: Config;
  readonly stores: Stores;
  readonly cards: Readonly<Record<Language, CourseCards>>;
  readonly refreshers: RefresherService;
  /** Installs the app for people without a chat with the bot, when proactive install is on. */
  readonly graph: GraphClient | undefined;
  readonly clock: Clock;
  readonly log: Log;
}

/** A delivery worker sending campaign, reminder and refresher messages through Teams' REST API. */
export function newDeliveryWorker({ config, stores, cards, refreshers, graph, clock, log }: DeliveryWorkerParts) {
  const { catalogAppId } = config.proactiveInstall;
  const installer =
    graph && catalogAppId !== undefined && config.proactiveInstall.enabled
      ? { install: async (id: string) => void (await graph.installApp(id, catalogAppId)) }
      : undefined;
  return new DeliveryWorker({
    ...stores,
    sender: new TeamsSender(connectorToken(config.bot), stores.conversations, installer),
    messages: new TeamsDeliveryMessages(stores, cards, config.defaultLanguage, clock, config.timeZone, {
      current: (userId): Promise<RefresherQuestion | undefined> => refreshers.current(userId),
    }),
    clock,
    log,
    rate: config.sendRate,
    maxRate: config.sendRateMax,
    serviceUrl: config.serviceUrl,
    ...(config.bot.tenantId ? { tenantId: config.bot.tenantId } : {}),
    ...(config.bot.appId ? { botId: `28:${config.bot.appId}` } : {}),
  });
}
