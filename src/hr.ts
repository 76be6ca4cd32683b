import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import { parseRosterCsv, MAX_ROSTER_BYTES } from './directory/csvRoster.js';
import { downloadFile } from './directory/download.js';
import type { GraphClient } from './directory/graph.js';
import { HrCards } from './cards/hrCards.js';
import type { CourseCards } from './cards/courseCards.js';
import type { Delivery } from './domain/campaigns/delivery.js';
import type { Member } from './domain/roster/roster.js';
import type { Language } from './domain/course/course.js';
import type { AppInstaller } from './teams/proactive.js';
import { localDate } from './domain/time/calendar.js';
import { CampaignService } from './domain/campaigns/campaignService.js';
import type { Clock } from './domain/time/clock.js';
import type { Course } from './domain/course/course.js';
import { CoverageService } from './domain/coverage/coverageService.js';
import { ReminderService } from './domain/campaigns/reminderService.js';
import { RosterService } from './domain/roster/rosterService.js';
import { createDownloads, downloadUrl, LINK_LIFETIME_MS, signLink, type DownloadKind } from './http/downloadLinks.js';
import type { Log } from './log.js';
import { auditCsv } from './reports/auditCsv.js';
import { exportCsv } from './reports/exportCsv.js';
import type { Stores } from './storage/interfaces.js';
import type { HrDeps } from './teams/hrRoutes.js';

/** HR's services, built from the configuration and the stores. */
export interface Hr {
  readonly deps: HrDeps;
  readonly reminders: ReminderService;
  /** GET /downloads/:token */
  readonly downloads: ReturnType<typeof createDownloads>;
}

export interface HrOptions {
  readonly config: Config;
  readonly stores: Stores;
  /** The course in the reference language: its structure decides who has finished. */
  readonly course: Course;
  readonly clock: Clock;
  readonly log: Log;
  /** The server's own base URL, for download links when POSTWISE_PUBLIC_URL is not set. */
  readonly baseUrl: () => string;
  readonly deliver: () => void;
  /** Microsoft Graph, when the roster comes from it. */
  readonly graph: GraphClient | undefined;
}

export function createHr(options: HrOptions): Hr {
  const { config, stores, course, clock, log } = options;
  const roster = new RosterService(stores.roster, clock);
  const coverage = new CoverageService(course, stores, clock, config.timeZone);
  const reminders = new ReminderService(course, stores, clock, config.timeZone, { daysBefore: config.reminderDaysBefore });

  /** HR users the bot confirmed through Teams (listed by e-mail) when it gave them a link. */
  const confirmedHr = new Set<string>();
  const isHr = async (userId: string): Promise<boolean> => {
    if (config.hrUsers.includes(userId.toLowerCase()) || confirmedHr.has(userId)) return true;
    const member = await roster.byAadObjectId(userId);
    return member !== undefined && member.active && config.hrUsers.includes(member.key);
  };

  const build = async (kind: DownloadKind): Promise<{ filename: string; body: Buffer }> => {
    const day = localDate(clock.now(), config.timeZone);
    if (kind === 'audit') return { filename: `postwise-audit-${day}.csv`, body: (await auditCsv(stores, config.defaultLanguage)).body };
    return { filename: `postwise-export-${day}.csv`, body: exportCsv(await coverage.reports({ includeInactive: true }), config.defaultLanguage) };
  };

  const { graph } = options;
  const syncRoster = graph
    ? async () => {
        const plan = await roster.apply(await graph.listUsers(), 'graph');
        log.info('roster.synced', { added: plan.added.length, deactivated: plan.deactivated.length });
        return { added: plan.added.length, updated: plan.updated.length, reactivated: plan.reactivated.length, deactivated: plan.deactivated.length };
      }
    : undefined;

  return {
    reminders,
    downloads: createDownloads({ secret: () => stores.settings.secret(), clock, isHr, useOnce: (id) => stores.settings.useLink(id, clock.now().toISOString()), build }),
    deps: {
      roster,
      uploads: stores.uploads,
      campaigns: new CampaignService(course, stores, clock, config.timeZone),
      reminders,
      coverage,
      inventory: stores.inventory,
      // Any policy version: someone who finished before the policy changed was offered the question then.
      finishedCourse: async (userId) => ((await stores.progress.get(userId))?.acknowledgements.length ?? 0) > 0,
      downloadLink: async (kind, userId) => {
        confirmedHr.add(userId);
        const token = signLink(await stores.settings.secret(), { id: randomUUID(), kind, userId, expiresAt: clock.now().getTime() + LINK_LIFETIME_MS });
        return downloadUrl(config.publicUrl ?? options.baseUrl(), token);
      },
      syncRoster,
      readRosterFile: async (url) => parseRosterCsv(await downloadFile(url, MAX_ROSTER_BYTES, { allowLoopback: config.localMode })),
      contactChannelSet: async () => (await stores.settings.contactChannel()) !== undefined,
      deliver: options.deliver,
      timeZone: config.timeZone,
      clock,
      log,
    },
  };
}

/** The Bot Framework activity a campaign or reminder delivery brings, in the person's language. */
export async function deliveryMessage(
  stores: Stores,
  cards: Readonly<Record<Language, CourseCards>>,
  config: Config,
  clock: Clock,
  delivery: Delivery,
  member: Member,
): Promise<Record<string, unknown>> {
  const campaign = await stores.campaigns.get(delivery.campaignId);
  if (!campaign) throw new Error('a delivery refers to a campaign that is not stored');
  const language = (member.aadObjectId ? await stores.progress.language(member.aadObjectId) : undefined) ?? config.defaultLanguage;
  const overdue = campaign.due < localDate(clock.now(), config.timeZone);
  const kind = delivery.kind === 'campaign' ? 'campaign' : overdue ? 'overdue' : 'reminder';
  const card = new HrCards(cards[language]).campaignMessage(kind, campaign);
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
}

/** Installs the Teams app for a person through Graph before the bot first messages them. */
export function appInstaller(graph: GraphClient, catalogAppId: string): AppInstaller {
  return {
    install: async (aadObjectId) => {
      await graph.installApp(aadObjectId, catalogAppId);
    },
  };
}
