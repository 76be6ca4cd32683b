import path from 'node:path';
import { beforeServing } from './app/beforeServing.js';
import { acknowledgementValidity, composeServices } from './app/services.js';
import { openAppStores } from './app/appStores.js';
import { appInstaller, newDeliveryWorker } from './app/deliveryWorker.js';
import { vivaRecords } from './app/viva.js';
import { xapiRecords } from './app/xapi.js';
import { languagePacks } from './cards/languagePack.js';
import { CardTemplates } from './cards/templates.js';
import { PROJECT_ROOT, type Config } from './config.js';
import { loadContent } from './content/load.js';
import { downloadRoster } from './directory/download.js';
import { GraphClient, graphCredential, type GraphCredential } from './directory/graph.js';
import { graphGroups } from './directory/graphGroups.js';
import { GraphActivityFeed } from './directory/activityFeed.js';
import { languageOfLocale } from './domain/course/course.js';
import { FiguresCatchUp } from './domain/figures/catchUp.js';
import { startFigures } from './domain/figures/checkpoint.js';
import { CoverageIndex } from './domain/figures/coverageIndex.js';
import type { Leadership } from './domain/leadership.js';
import { systemClock, type Clock } from './domain/time/clock.js';
import { createDownloads, newDownloadLink } from './http/downloadLinks.js';
import { closeServer, createServer, listen } from './http/server.js';
import { storeProbe } from './http/storeProbe.js';
import { BackgroundJobs } from './jobs/backgroundJobs.js';
import { figuresCheckpointJob } from './jobs/figuresCheckpoint.js';
import { refreshFiguresInBackground } from './jobs/figuresRefresh.js';
import { appendLateEventsInBackground } from './jobs/lateEvents.js';
import { LeaderQueue } from './jobs/leaderQueue.js';
import { LeaderRoles } from './jobs/leaderRoles.js';
import { consoleLog, type Log } from './log.js';
import { reportFiles } from './reports/reportFiles.js';
import { leadershipFor } from './storage/open.js';
import type { Stores } from './storage/stores.js';
import { createAdapter, messageEndpoint } from './teams/adapter.js';
import { PostwiseBot } from './teams/bot.js';
import { guardedEndpoint } from './teams/edge.js';
import { TicketThreads } from './domain/contact/ticketThreads.js';
import { ConnectorRequests, connectorToken } from './teams/connectorRequests.js';
import { TeamsContactMessages } from './teams/contactMessages.js';
import { TeamsOutbound } from './teams/outbound.js';
import { Welcomes } from './teams/welcomes.js';

export interface RunningApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly contentVersion: string;
  /** The stores as the app writes through them: every write keeps HR's figures up to date. */
  readonly stores: Stores;
  /** Posts the nudge for questions left unanswered too long (also runs every minute). */
  sendDueNudges(): Promise<number>;
  /** Posts questions and reports still waiting for their thread (also runs every minute); returns how many. */
  postWaitingTickets(): Promise<number>;
  /** Starts the automatic campaign reminders that are due (also runs every minute); returns how many. */
  remindEmployees(): Promise<number>;
  /** Starts the refreshers that are due (also runs every minute); returns how many. */
  sendDueRefreshers(): Promise<number>;
  /** Sends the course to joiners whose days have passed (also runs every minute); returns how many. */
  enrolJoiners(): Promise<number>;
  /** Starts the scheduled campaigns that are due (also runs every minute); returns how many. */
  startScheduledCampaigns(): Promise<number>;
  /** Queues the renewal message for acknowledgements that lapsed (also runs every minute); returns how many. */
  sendDueRenewals(): Promise<number>;
  /** Builds HR's figures again from the store: for writes other instances on the same store made. */
  refreshFigures(): Promise<void>;
  /** Resolves once every campaign and reminder message has been delivered or given up on. */
  deliveriesIdle(): Promise<void>;
  /** Resolves once no learning record this instance knows of waits to be sent (at once when xAPI is off). */
  xapiIdle(): Promise<void>;
  /** Resolves once no course activity this instance knows of waits for Viva Learning (at once when it is off). */
  vivaIdle(): Promise<void>;
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
  /** Defaults to DefaultAzureCredential, when Microsoft Graph is used. */
  readonly graphCredential?: GraphCredential;
}

/** The one composition root: config -> content and cards -> stores -> services -> bot -> jobs -> server. */
export async function startPostwise(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? consoleLog;
  const clock = options.clock ?? systemClock;
  const shared = config.store.kind === 'azure-tables';
  const content = await loadContent(config.contentDir, config.org, config.orgContentDir);
  if (content.monitoringDefault) log.info('content.monitoring-default');
  const templates = await CardTemplates.load(path.join(PROJECT_ROOT, 'cards'));
  const index = new CoverageIndex(content.courses.en, acknowledgementValidity(config));
  const opened = await openAppStores(config, options.stores, index, clock, log);
  const { stores } = opened;
  const refreshFigures = () => index.refresh(stores);
  // Built a chunk at a time while requests are served (a turn that needs them meanwhile is told to try again
  // shortly). With instances on one store, they start from the leader's checkpoint and follow the changes the
  // others announce.
  const changes = shared ? stores.changes : undefined;
  const catchUp =
    changes && new FiguresCatchUp(changes, stores.changedRecords ?? stores, index, () => changes.now(), refreshFigures);
  const checkpoints = catchUp && stores.checkpoints && { catchUp, checkpoints: stores.checkpoints };
  const stopFigures = refreshFiguresInBackground(
    (signal) => startFigures({ index, sources: stores, ...(checkpoints ? { shared: checkpoints } : {}), log, signal }),
    catchUp && (() => catchUp.pass()),
    log,
  );

  const packs = languagePacks(templates, content, config.org.policyUrl, config.timeZone);
  const channelPack = packs[config.defaultLanguage];
  const errorText = (locale: string | undefined) =>
    packs[languageOfLocale(locale) ?? config.defaultLanguage].text('error');
  const adapter = createAdapter(config, errorText, log);
  const credential =
    config.rosterSource === 'graph' || config.proactiveInstall.enabled || config.viva || config.activityFeed
      ? (options.graphCredential ?? graphCredential())
      : undefined;
  const graph = credential && new GraphClient({ baseUrl: config.graphUrl, credential });
  const feed = credential && config.activityFeed ? new GraphActivityFeed(config.graphUrl, credential) : undefined;
  // Campaigns to an Entra group need the roster from Graph: group members are matched to it.
  const groups =
    credential && config.rosterSource === 'graph' ? graphGroups(config.graphUrl, credential, log) : undefined;
  const requests = new ConnectorRequests(connectorToken(config.bot), stores.conversations, appInstaller(config, graph));
  const outbound = new TeamsOutbound(adapter, config.bot.appId, requests, stores.conversations);
  const queue = new LeaderQueue(stores.deliveries);
  // Learning records to a learning record store, when configured: through the outbox, sent by the leader.
  const xapi = config.xapi && xapiRecords({ config: config.xapi, content, stores, clock, log });
  // Course activities in Viva Learning, when configured: through their own outbox, sent by the leader.
  const viva =
    config.viva &&
    credential &&
    vivaRecords({
      config: config.viva,
      graphUrl: config.graphUrl,
      defaultLanguage: config.defaultLanguage,
      credential,
      content,
      stores,
      clock,
      log,
    });
  const recorded = xapi ? { ...stores, events: xapi.events } : stores;
  const services = composeServices({
    config,
    content,
    stores: viva ? { ...recorded, events: viva.events(recorded.events), assignments: viva.assignments } : recorded,
    queue,
    index,
    graph,
    groups,
    clock,
    log,
    refresherAnswers: xapi?.refresherAnswers,
  });
  const { course, contact, access, refreshers, renewals } = services;
  const contactMention = config.contactId
    ? { id: config.contactId, name: config.org.contactName ?? channelPack.text('defaultContact') }
    : undefined;
  const contactMessages = new TeamsContactMessages(packs, config.defaultLanguage, contactMention);
  const threads = new TicketThreads(contact, outbound, contactMessages, contactMention !== undefined, log);

  const stopRecovery = await beforeServing(course, content, stores, log);
  const stopLateEvents = appendLateEventsInBackground(() => course.appendLate(), log);

  let baseUrl = '';
  const bot = new PostwiseBot({
    ...services,
    packs,
    outbound,
    conversations: stores.conversations,
    channelLanguage: config.defaultLanguage,
    threads,
    hr: {
      ...services,
      downloadLink: (kind, userId, language) =>
        newDownloadLink(stores.settings, clock, config.publicUrl ?? baseUrl, kind, userId, language),
      readRosterFile: (url) => downloadRoster(url, config.localMode),
      timeZone: config.timeZone,
      clock,
      log,
    },
    settings: stores.settings,
    welcomes: new Welcomes(shared ? stores.settings : undefined),
    defaultLanguage: config.defaultLanguage,
    log,
  });
  const downloads = createDownloads({
    secret: () => stores.settings.secret(),
    clock,
    isHr: (userId) => access.isHr(userId),
    useOnce: (id) => stores.settings.useLink(id, clock.now().toISOString()),
    build: reportFiles({ stores, coverage: services.coverage, clock, timeZone: config.timeZone }),
    text: (key, language) => packs[language ?? config.defaultLanguage].text(key),
  });

  const { contactSlaHours } = config;
  const jobs = new BackgroundJobs({ ...services, contactSlaHours, threads, log });
  const newWorker = (generation: number) =>
    newDeliveryWorker({
      config,
      stores,
      packs,
      refreshers,
      renewals,
      sender: outbound,
      clock,
      log,
      generation,
      figures: index,
      ...(feed ? { feed } : {}),
    });
  const roles = new LeaderRoles({
    queue,
    newWorker,
    jobs,
    syncRoster: services.syncRoster,
    changes,
    checkpoint: checkpoints && figuresCheckpointJob(index, checkpoints.catchUp, checkpoints.checkpoints, log),
    xapi: xapi?.sending,
    viva: viva?.sending,
    log,
  });
  // Only the leader sends, runs the minute timers and syncs the roster.
  const leadership = options.leadership ?? (await leadershipFor(config.store, log));
  await leadership.start(roles);
  const messages = guardedEndpoint(messageEndpoint(adapter, bot, config, log), log);
  const storeHealth = storeProbe((signal) => stores.health(signal), log);
  const server = createServer({ messages, version: content.version, log, downloads, storeHealth });
  const url = await listen(server, config.port, config.host).catch(async (error: unknown) => {
    await leadership.stop();
    await opened.close();
    throw error;
  });
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
    sendDueNudges: () => jobs.sendDueNudges(),
    postWaitingTickets: () => jobs.postWaitingTickets(),
    remindEmployees: () => jobs.remindEmployees(),
    sendDueRefreshers: () => jobs.sendDueRefreshers(),
    enrolJoiners: () => jobs.enrolJoiners(),
    startScheduledCampaigns: () => jobs.startScheduledCampaigns(),
    sendDueRenewals: () => jobs.sendDueRenewals(),
    refreshFigures,
    deliveriesIdle: () => queue.idle(),
    xapiIdle: () => xapi?.sending.idle() ?? Promise.resolve(),
    vivaIdle: () => viva?.sending.idle() ?? Promise.resolve(),
    close: () =>
      (closing ??= (async () => {
        stopFigures();
        stopRecovery();
        stopLateEvents();
        await closeServer(server);
        await leadership.stop();
        await jobs.enrolled();
        await opened.close();
        log.info('server.stopped');
      })()),
  };
}
