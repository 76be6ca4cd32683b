import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { cardsFor } from './cards/courseCards.js';
import { QuestionCards } from './cards/questionCards.js';
import { CardTemplates } from './cards/templates.js';
import { PROJECT_ROOT, type Config } from './config.js';
import { loadContent } from './content/load.js';
import { editedWithoutRevision } from './domain/course/lessonTexts.js';
import { DeliveryWorker } from './delivery/worker.js';
import { downloadRoster } from './directory/download.js';
import { GraphClient, graphCredential } from './directory/graph.js';
import { AccessRule } from './domain/access.js';
import { CampaignService } from './domain/campaigns/campaignService.js';
import { ReminderService } from './domain/campaigns/reminderService.js';
import { languageOfLocale } from './domain/course/course.js';
import { CourseService } from './domain/course/courseService.js';
import { CoverageIndex } from './domain/coverage/coverageIndex.js';
import { CoverageService } from './domain/coverage/coverageService.js';
import { UnderstandingService } from './domain/understanding/understandingService.js';
import { InventoryService } from './domain/inventory/inventoryService.js';
import { QuestionService } from './domain/questions/questionService.js';
import { RosterImportService } from './domain/roster/rosterImport.js';
import { RosterService } from './domain/roster/rosterService.js';
import { systemClock, type Clock } from './domain/time/clock.js';
import { createDownloads, newDownloadLink } from './http/downloadLinks.js';
import { createServer } from './http/server.js';
import { consoleLog, type Log } from './log.js';
import { reportFiles } from './reports/reportFiles.js';
import { indexedStores } from './storage/indexedStores.js';
import { openLowdbStores } from './storage/lowdb/stores.js';
import type { Stores } from './storage/stores.js';
import { createAdapter, messageEndpoint } from './teams/adapter.js';
import { PostwiseBot } from './teams/bot.js';
import { TeamsDeliveryMessages } from './teams/deliveryMessages.js';
import { guardedEndpoint } from './teams/edge.js';
import { Messenger } from './teams/messenger.js';
import { sendDueNudges } from './teams/nudges.js';
import { connectorToken, TeamsSender } from './teams/proactive.js';
import { TicketThreads } from './teams/ticketThreads.js';

export interface RunningApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly contentVersion: string;
  /** The stores as the app writes through them: every write keeps HR's figures up to date. */
  readonly stores: Stores;
  /** Posts the nudge for questions left unanswered too long (also runs every minute). */
  sendDueNudges(): Promise<number>;
  /** Posts questions and reports that are still waiting for their thread (also runs every minute); returns how many. */
  postWaitingTickets(): Promise<number>;
  /** Starts the automatic campaign reminders that are due (also runs every minute); returns how many. */
  remindEmployees(): Promise<number>;
  /** Builds HR's figures again from the store: for writes this instance did not make (several instances on one store). */
  refreshFigures(): Promise<void>;
  /** Resolves once every campaign and reminder message has been delivered or given up on. */
  deliveriesIdle(): Promise<void>;
  /** Stops taking requests, waits for pending writes, releases the store. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Defaults to the embedded lowdb store at config.dataFile. */
  readonly stores?: Stores;
  readonly clock?: Clock;
  readonly log?: Log;
}

const TIMER_INTERVAL_MS = 60_000;
const ROSTER_SYNC_INTERVAL_MS = 24 * 60 * 60_000;

/** The one composition root: config -> content and cards -> stores -> services -> bot -> server. */
export async function startPostwise(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? consoleLog;
  const clock = options.clock ?? systemClock;
  const { timeZone } = config;
  const content = await loadContent(config.contentDir, config.org, config.orgContentDir);
  const templates = await CardTemplates.load(path.join(PROJECT_ROOT, 'cards'));
  // The course in the reference language: its structure decides who has finished.
  const reference = content.courses.en;
  const index = new CoverageIndex(reference);
  const stores = indexedStores(options.stores ?? (await openLowdbStores(config.dataFile, clock.now())), index);
  const refreshFigures = () => index.refresh(stores);
  // Built a chunk at a time while requests are served; HR's figures wait for it.
  void refreshFigures().catch((error: unknown) => log.error('figures.build-failed', error));
  const cards = cardsFor(templates, content, config.org.policyUrl);
  const channelCards = cards[config.defaultLanguage];
  const adapter = createAdapter(config, (locale) => cards[languageOfLocale(locale) ?? config.defaultLanguage].text('error'), log);
  const messenger = new Messenger(adapter, config.bot.appId);
  const graph = config.rosterSource === 'graph' || config.proactiveInstall.enabled ? new GraphClient({ baseUrl: config.graphUrl, credential: graphCredential() }) : undefined;
  const { catalogAppId } = config.proactiveInstall;
  const installer = graph && catalogAppId !== undefined && config.proactiveInstall.enabled ? { install: async (id: string) => void (await graph.installApp(id, catalogAppId)) } : undefined;

  const worker = new DeliveryWorker({
    ...stores,
    sender: new TeamsSender(connectorToken(config.bot), stores.conversations, installer),
    messages: new TeamsDeliveryMessages(stores, cards, config.defaultLanguage, clock, timeZone),
    clock,
    log,
    rate: config.sendRate,
    serviceUrl: config.serviceUrl,
    ...(config.bot.tenantId ? { tenantId: config.bot.tenantId } : {}),
    ...(config.bot.appId ? { botId: `28:${config.bot.appId}` } : {}),
  });
  const queued = { ...stores, deliveries: worker.queue };
  const course = new CourseService(content.courses, stores.progress, stores.events, clock);
  const questions = new QuestionService(stores.tickets, stores.settings, stores.faq, clock, { slaMinutes: config.contactSlaHours * 60, timeZone });
  const roster = new RosterService(stores.roster, clock);
  const coverage = new CoverageService(reference, stores, clock, timeZone, index);
  const reminders = new ReminderService(reference, queued, clock, timeZone, { daysBefore: config.reminderDaysBefore });
  const access = new AccessRule({ hr: config.hrUsers, contactAdmins: config.contactAdmins }, stores.roster);
  const rosterGraph = config.rosterSource === 'graph' ? graph : undefined;
  const syncRoster = rosterGraph
    ? async () => {
        const change = await roster.sync(rosterGraph);
        log.info('roster.synced', { added: change.added, deactivated: change.deactivated });
        return change;
      }
    : undefined;

  const contactMention = config.contactId ? { id: config.contactId, name: config.org.contactName ?? channelCards.text('defaultContact') } : undefined;
  const threads = new TicketThreads(questions, messenger, new QuestionCards(channelCards), contactMention, log);
  // Before anyone is served: events of answers stored just before the process last stopped.
  const recovered = await course.recoverEvents();
  if (recovered > 0) log.info('events.recovered', { count: recovered });
  for (const lesson of await editedWithoutRevision(content.lessonTexts, stores.lessonTexts)) log.info('content.edited-without-revision', { lesson });
  let baseUrl = '';
  const bot = new PostwiseBot({
    course,
    questions,
    cards,
    messenger,
    conversations: stores.conversations,
    channelLanguage: config.defaultLanguage,
    threads,
    access,
    hr: {
      roster,
      rosterImport: new RosterImportService(roster, stores.uploads, clock),
      campaigns: new CampaignService(reference, queued, clock, timeZone, index),
      reminders,
      coverage,
      understanding: new UnderstandingService(reference, stores, index),
      inventory: new InventoryService(stores.inventory, stores.progress),
      downloadLink: (kind, userId, language) => newDownloadLink(stores.settings, clock, config.publicUrl ?? baseUrl, kind, userId, language),
      syncRoster,
      readRosterFile: (url) => downloadRoster(url, config.localMode),
      timeZone,
      clock,
      log,
    },
    settings: stores.settings,
    defaultLanguage: config.defaultLanguage,
    log,
  });
  const downloads = createDownloads({
    secret: () => stores.settings.secret(),
    clock,
    isHr: (userId) => access.isHr(userId),
    useOnce: (id) => stores.settings.useLink(id, clock.now().toISOString()),
    build: reportFiles({ stores, coverage, clock, timeZone }),
    text: (key, language) => cards[language ?? config.defaultLanguage].text(key),
  });

  await worker.start();
  const server = createServer({ messages: guardedEndpoint(messageEndpoint(adapter, bot, config, log), log), version: content.version, log, downloads });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await worker.stop();
    await stores.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  baseUrl = url;
  log.info('server.listening', {
    url,
    mode: config.localMode ? 'local: no Bot Framework authentication, loopback only' : 'Bot Framework authentication on',
    contentVersion: content.version,
  });

  const nudges = () => sendDueNudges(questions, messenger, new QuestionCards(channelCards), config.contactSlaHours, log);
  const remindEmployees = async () => {
    const round = await reminders.dueAutomatic();
    if (!round) return 0;
    log.info('reminders.round', { recipients: round.recipients, overdue: round.overdue });
    return round.recipients;
  };
  const timers = [
    setInterval(() => {
      void nudges().catch((error: unknown) => log.error('nudges.failed', error));
      void threads.openWaiting().catch((error: unknown) => log.error('tickets.waiting-failed', error));
      void remindEmployees().catch((error: unknown) => log.error('reminders.employees-failed', error));
    }, TIMER_INTERVAL_MS),
  ];
  if (syncRoster) {
    const sync = () => void syncRoster().catch((error: unknown) => log.error('roster.sync-failed', error));
    sync();
    timers.push(setInterval(sync, ROSTER_SYNC_INTERVAL_MS));
  }
  for (const timer of timers) timer.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    contentVersion: content.version,
    stores,
    sendDueNudges: nudges,
    postWaitingTickets: () => threads.openWaiting(),
    remindEmployees,
    refreshFigures,
    deliveriesIdle: () => worker.idle(),
    close: () =>
      (closing ??= (async () => {
        for (const timer of timers) clearInterval(timer);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await worker.stop();
        await stores.close();
        log.info('server.stopped');
      })()),
  };
}
