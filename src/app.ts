import path from 'node:path';
import { cardsFor } from './cards/courseCards.js';
import { CardTemplates } from './cards/templates.js';
import { ConfigError, PROJECT_ROOT, type Config } from './config.js';
import { loadContent } from './content/load.js';
import { editedWithoutRevision } from './domain/course/lessonTexts.js';
import { DeliveryWorker } from './delivery/worker.js';
import { downloadRoster } from './directory/download.js';
import { GraphClient, graphCredential } from './directory/graph.js';
import { AccessRule } from './domain/access.js';
import { CampaignService } from './domain/campaigns/campaignService.js';
import type { DeliveryQueue } from './domain/campaigns/ports.js';
import type { Leadership } from './domain/leadership.js';
import { ReminderService } from './domain/campaigns/reminderService.js';
import { languageOfLocale } from './domain/course/course.js';
import { CourseService } from './domain/course/courseService.js';
import { CoverageIndex } from './domain/figures/coverageIndex.js';
import { CoverageService } from './domain/coverage/coverageService.js';
import { UnderstandingService } from './domain/understanding/understandingService.js';
import { ItemService } from './domain/items/itemService.js';
import { InventoryService } from './domain/inventory/inventoryService.js';
import { QuestionService } from './domain/questions/questionService.js';
import { RefresherService, type RefresherQuestion } from './domain/refreshers/refresherService.js';
import { RosterImportService } from './domain/roster/rosterImport.js';
import { RosterService } from './domain/roster/rosterService.js';
import { systemClock, type Clock } from './domain/time/clock.js';
import { createDownloads, newDownloadLink } from './http/downloadLinks.js';
import { closeServer, createServer } from './http/server.js';
import { consoleLog, type Log } from './log.js';
import { reportFiles } from './reports/reportFiles.js';
import { leadershipFor, openStores } from './storage/open.js';
import { indexedStores } from './storage/indexedStores.js';
import { lockStore } from './storage/lowdb/storeLock.js';
import type { Stores } from './storage/stores.js';
import { createAdapter, messageEndpoint } from './teams/adapter.js';
import { PostwiseBot } from './teams/bot.js';
import { TeamsDeliveryMessages } from './teams/deliveryMessages.js';
import { guardedEndpoint } from './teams/edge.js';
import { TicketThreads } from './domain/questions/ticketThreads.js';
import { ConnectorRequests, connectorToken } from './teams/connectorRequests.js';
import { TeamsContactMessages } from './teams/contactMessages.js';
import { TeamsOutbound } from './teams/outbound.js';

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
  /** Starts the refreshers that are due (also runs every minute); returns how many. */
  sendDueRefreshers(): Promise<number>;
  /** Builds HR's figures again from the store: for writes this instance did not make (several instances on one store). */
  refreshFigures(): Promise<void>;
  /** Resolves once every campaign and reminder message has been delivered or given up on. */
  deliveriesIdle(): Promise<void>;
  /** Stops taking requests, waits for pending writes, releases the store. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Defaults to the store config.store names (the embedded store at config.dataFile unless set). */
  readonly stores?: Stores;
  readonly clock?: Clock;
  readonly log?: Log;
  /** Defaults to a lease on Azure Tables, and to always leading on the embedded store. */
  readonly leadership?: Leadership;
}

const TIMER_INTERVAL_MS = 60_000;
const ROSTER_SYNC_INTERVAL_MS = 24 * 60 * 60_000;
/** How often the leader looks for deliveries other instances added, on a shared store. */
const SHARED_DELIVERY_POLL_MS = 2_000;
/** How often, with several instances on one store, HR's figures catch up on the other instances' writes. */
const SHARED_FIGURES_REFRESH_MS = 60_000;

/** The one composition root: config -> content and cards -> stores -> services -> bot -> server. */
export async function startPostwise(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? consoleLog;
  const clock = options.clock ?? systemClock;
  const { timeZone } = config;
  const content = await loadContent(config.contentDir, config.org, config.orgContentDir);
  if (content.monitoringDefault) log.info('content.monitoring-default');
  const templates = await CardTemplates.load(path.join(PROJECT_ROOT, 'cards'));
  // The course in the reference language: its structure decides who has finished.
  const reference = content.courses.en;
  const index = new CoverageIndex(reference);
  // The embedded store belongs to one process: the roster CLI refuses while the bot runs, and the other way round.
  const lock = options.stores || config.store.kind === 'azure-tables' ? undefined : await lockStore(config.dataFile);
  if (lock && 'heldBy' in lock) {
    const problem = `(${config.dataFile}) is in use by process ${lock.heldBy}: stop it first`;
    throw new ConfigError('POSTWISE_DATA_FILE', problem);
  }
  const stores = indexedStores(options.stores ?? (await openStores(config.store, config.dataFile, clock.now())), index);
  const refreshFigures = () => index.refresh(stores);
  // Built a chunk at a time while requests are served; HR's figures wait for it.
  void refreshFigures().catch((error: unknown) => log.error('figures.build-failed', error));
  const figuresTimer =
    config.store.kind === 'azure-tables'
      ? setInterval(
          () => void refreshFigures().catch((error: unknown) => log.error('figures.refresh-failed', error)),
          SHARED_FIGURES_REFRESH_MS,
        ).unref()
      : undefined;
  const cards = cardsFor(templates, content, config.org.policyUrl, config.timeZone);
  const channelCards = cards[config.defaultLanguage];
  const adapter = createAdapter(
    config,
    (locale) => cards[languageOfLocale(locale) ?? config.defaultLanguage].text('error'),
    log,
  );
  const graph =
    config.rosterSource === 'graph' || config.proactiveInstall.enabled
      ? new GraphClient({ baseUrl: config.graphUrl, credential: graphCredential() })
      : undefined;
  const { catalogAppId } = config.proactiveInstall;
  const installer =
    graph && catalogAppId !== undefined && config.proactiveInstall.enabled
      ? { install: async (id: string) => void (await graph.installApp(id, catalogAppId)) }
      : undefined;
  const requests = new ConnectorRequests(connectorToken(config.bot), stores.conversations, installer);
  const outbound = new TeamsOutbound(adapter, config.bot.appId, requests, stores.conversations);

  const newWorker = () =>
    new DeliveryWorker({
      ...stores,
      sender: outbound,
      messages: new TeamsDeliveryMessages(stores, cards, config.defaultLanguage, clock, timeZone, {
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
  /** The worker while this instance leads; campaigns on any instance only add deliveries to the store. */
  let worker: DeliveryWorker | undefined;
  const queue: DeliveryQueue = {
    add: (deliveries) => (worker ? worker.queue.add(deliveries) : stores.deliveries.add(deliveries)),
    forSend: (sendId) => stores.deliveries.forSend(sendId),
  };
  const queued = { ...stores, deliveries: queue };
  const course = new CourseService(content.courses, stores.progress, stores.events, clock);
  const questions = new QuestionService(stores.tickets, stores.settings, stores.faq, clock, {
    slaMinutes: config.contactSlaHours * 60,
    timeZone,
  });
  const roster = new RosterService(stores.roster, clock);
  const coverage = new CoverageService(reference, stores, clock, timeZone, index);
  const reminders = new ReminderService(reference, queued, clock, timeZone, { daysBefore: config.reminderDaysBefore });
  const refreshers = new RefresherService(reference, queued, clock, { intervals: config.refresherDays, timeZone });
  const access = new AccessRule({ hr: config.hrUsers, contactAdmins: config.contactAdmins }, stores.roster);
  const rosterGraph = config.rosterSource === 'graph' ? graph : undefined;
  const syncRoster = rosterGraph
    ? async () => {
        const change = await roster.sync(rosterGraph);
        log.info('roster.synced', { added: change.added, deactivated: change.deactivated });
        return change;
      }
    : undefined;

  const contactMention = config.contactId
    ? { id: config.contactId, name: config.org.contactName ?? channelCards.text('defaultContact') }
    : undefined;
  const contactMessages = new TeamsContactMessages(cards, config.defaultLanguage, contactMention);
  const threads = new TicketThreads(questions, outbound, contactMessages, contactMention !== undefined, log);
  // Before anyone is served: events of answers stored just before the process last stopped.
  const recovered = await course.recoverEvents();
  if (recovered > 0) log.info('events.recovered', { count: recovered });
  for (const lesson of await editedWithoutRevision(content.lessonTexts, stores.lessonTexts))
    log.info('content.edited-without-revision', { lesson });
  await stores.settings.recordVersionName(content.version, content.courses.en.versionName);
  let baseUrl = '';
  const bot = new PostwiseBot({
    course,
    questions,
    cards,
    outbound,
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
      items: new ItemService(reference, stores.progress, index),
      inventory: new InventoryService(stores.inventory, stores.progress),
      downloadLink: (kind, userId, language) =>
        newDownloadLink(stores.settings, clock, config.publicUrl ?? baseUrl, kind, userId, language),
      syncRoster,
      readRosterFile: (url) => downloadRoster(url, config.localMode),
      timeZone,
      clock,
      log,
    },
    refreshers,
    settings: stores.settings,
    ...(config.store.kind === 'azure-tables' ? { welcomes: stores.settings } : {}),
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

  const nudges = () => threads.sendDueNudges(config.contactSlaHours);
  const remindEmployees = async () => {
    const round = await reminders.dueAutomatic();
    if (!round) return 0;
    log.info('reminders.round', { recipients: round.recipients, overdue: round.overdue });
    return round.recipients;
  };
  let enrolling: Promise<void> = Promise.resolve();
  const sendDueRefreshers = async () => {
    await enrolling;
    const count = await refreshers.sendDue();
    if (count > 0) log.info('refreshers.round', { recipients: count });
    return count;
  };
  // Only the leader sends, runs the minute timers and syncs the roster.
  let timers: NodeJS.Timeout[] = [];
  const leadership = options.leadership ?? (await leadershipFor(config.store, log));
  await leadership.start({
    lead: async () => {
      const started = newWorker();
      await started.start();
      worker = started;
      // Everyone who completed the course before refreshers existed gets them too; in the background.
      enrolling = refreshers
        .enrolCompleted()
        .then((count) => (count > 0 ? log.info('refreshers.enrolled', { count }) : undefined))
        .catch((error: unknown) => log.error('refreshers.enrol-failed', error));
      timers = [
        setInterval(() => {
          void sendDueRefreshers().catch((error: unknown) => log.error('refreshers.round-failed', error));
          void nudges().catch((error: unknown) => log.error('nudges.failed', error));
          void threads.openWaiting().catch((error: unknown) => log.error('tickets.waiting-failed', error));
          void remindEmployees().catch((error: unknown) => log.error('reminders.employees-failed', error));
        }, TIMER_INTERVAL_MS),
      ];
      if (config.store.kind === 'azure-tables') {
        // idle() wakes the worker: it looks for deliveries added by other instances.
        let polling: Promise<void> | undefined;
        timers.push(
          setInterval(
            () => void (polling ??= started.idle().finally(() => (polling = undefined))),
            SHARED_DELIVERY_POLL_MS,
          ),
        );
      }
      if (syncRoster) {
        const sync = () => void syncRoster().catch((error: unknown) => log.error('roster.sync-failed', error));
        sync();
        timers.push(setInterval(sync, ROSTER_SYNC_INTERVAL_MS));
      }
      for (const timer of timers) timer.unref();
    },
    follow: async () => {
      for (const timer of timers.splice(0)) clearInterval(timer);
      const stopping = worker;
      worker = undefined;
      await stopping?.stop();
    },
  });
  const server = createServer({
    messages: guardedEndpoint(messageEndpoint(adapter, bot, config, log), log),
    version: content.version,
    log,
    downloads,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await leadership.stop();
    await stores.close();
    await lock?.release();
    throw error;
  }
  const { port } = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  baseUrl = url;
  log.info('server.listening', {
    url,
    mode: config.localMode
      ? 'local: no Bot Framework authentication, loopback only'
      : 'Bot Framework authentication on',
    contentVersion: content.version,
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    contentVersion: content.version,
    stores,
    sendDueNudges: nudges,
    postWaitingTickets: () => threads.openWaiting(),
    remindEmployees,
    sendDueRefreshers,
    refreshFigures,
    deliveriesIdle: () => worker?.idle() ?? Promise.resolve(),
    close: () =>
      (closing ??= (async () => {
        clearInterval(figuresTimer);
        await closeServer(server);
        await leadership.stop();
        await enrolling;
        await stores.close();
        await lock?.release();
        log.info('server.stopped');
      })()),
  };
}
