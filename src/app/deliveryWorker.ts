import type { LanguagePack } from '../cards/languagePack.js';
import type { Config } from '../config.js';
import type { Campaign } from '../domain/campaigns/campaign.js';
import type { CampaignStore } from '../domain/campaigns/ports.js';
import type { CoverageIndex } from '../domain/figures/coverageIndex.js';
import type { Language } from '../domain/course/course.js';
import type { RefresherQuestion, RefresherService } from '../domain/refreshers/refresherService.js';
import type { RenewalService } from '../domain/renewal/renewalService.js';
import type { Clock } from '../domain/time/clock.js';
import type { ProactiveRequests } from '../domain/outbound/ports.js';
import { DeliveryWorker } from '../delivery/worker.js';
import type { GraphClient } from '../directory/graph.js';
import type { Log } from '../log.js';
import type { Stores } from '../storage/stores.js';
import { TeamsDeliveryMessages } from '../teams/deliveryMessages.js';
import type { ActivityFeed } from '../domain/outbound/activityFeed.js';
import { TeamsFeedNotices } from '../teams/feedNotices.js';

export interface DeliveryWorkerParts {
  readonly config: Config;
  readonly stores: Stores;
  readonly packs: Readonly<Record<Language, LanguagePack>>;
  readonly refreshers: RefresherService;
  readonly renewals: Pick<RenewalService, 'step'>;
  /** The requests that reach one person, each at most one call to Teams. */
  readonly sender: ProactiveRequests;
  readonly clock: Clock;
  readonly log: Log;
  /** The leader generation the worker sends for. */
  readonly generation: number;
  /** HR's figures, kept up to date with the roster: a recorded recipient they show no change of needs no read. */
  readonly figures: Pick<CoverageIndex, 'read'>;
  /** The Teams activity feed, when POSTWISE_ACTIVITY_FEED is on: due dates go there instead of the chat. */
  readonly feed?: ActivityFeed;
}

/** A delivery worker sending campaign, reminder and refresher messages through Teams' REST API. */
export function newDeliveryWorker(parts: DeliveryWorkerParts) {
  const { config, stores, packs, refreshers, renewals, sender, clock, log, generation, figures } = parts;
  return new DeliveryWorker({
    ...stores,
    rosterChanges: { changedFrom: async (key, id) => (await figures.read()).changedFrom(key, id) },
    sender,
    messages: new TeamsDeliveryMessages(
      { ...stores, campaigns: onceRead(stores.campaigns) },
      packs,
      config.defaultLanguage,
      clock,
      config.timeZone,
      {
        current: (userId): Promise<RefresherQuestion | undefined> => refreshers.current(userId),
      },
      renewals,
    ),
    clock,
    log,
    generation,
    rate: config.sendRate,
    maxRate: config.sendRateMax,
    serviceUrl: config.serviceUrl,
    ...(config.bot.tenantId ? { tenantId: config.bot.tenantId } : {}),
    ...(config.bot.appId ? { botId: `28:${config.bot.appId}` } : {}),
    ...(parts.feed
      ? {
          feed: {
            feed: parts.feed,
            notices: new TeamsFeedNotices(
              { ...stores, campaigns: onceRead(stores.campaigns) },
              config.defaultLanguage,
              clock,
              config.timeZone,
              renewals,
            ),
            hasChat: async (id: string) => (await sender.chatWith(id)) !== undefined,
          },
        }
      : {}),
  });
}

/** Installs the app for people without a chat with the bot through Graph, when proactive install is on. */
export function appInstaller(config: Config, graph: GraphClient | undefined) {
  const { catalogAppId } = config.proactiveInstall;
  return graph && catalogAppId !== undefined && config.proactiveInstall.enabled
    ? { install: async (id: string) => void (await graph.installApp(id, catalogAppId)) }
    : undefined;
}

/** Campaigns as the worker reads them: a campaign never changes once stored, so each is read once. */
function onceRead(campaigns: Pick<CampaignStore, 'get'>): Pick<CampaignStore, 'get'> {
  const read = new Map<string, Promise<Campaign | undefined>>();
  return {
    get: (id) => {
      const known = read.get(id) ?? campaigns.get(id);
      read.set(id, known);
      void known.then(
        (c) => c ?? read.delete(id),
        () => read.delete(id),
      );
      return known;
    },
  };
}
