import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { QuestionCards } from './cards/questionCards.js';
import { CardTemplates } from './cards/templates.js';
import { cardsFor } from './cards/courseCards.js';
import { PROJECT_ROOT, type Config } from './config.js';
import { loadContent } from './content/load.js';
import { languageOfLocale } from './domain/course/course.js';
import { systemClock, type Clock } from './domain/time/clock.js';
import { CourseService } from './domain/course/courseService.js';
import { QuestionService } from './domain/questions/questionService.js';
import { createServer } from './http/server.js';
import { DeliveryWorker } from './delivery/worker.js';
import { GraphClient, graphCredential } from './directory/graph.js';
import { appInstaller, createHr, deliveryMessage } from './hr.js';
import { connectorToken, TeamsSender } from './teams/proactive.js';
import { consoleLog, type Log } from './log.js';
import type { Stores } from './storage/interfaces.js';
import { openLowdbStores } from './storage/lowdb/stores.js';
import { createAdapter, messageEndpoint } from './teams/adapter.js';
import { PostwiseBot } from './teams/bot.js';
import { guardedEndpoint } from './teams/edge.js';
import { Messenger } from './teams/messenger.js';
import { TicketThreads } from './teams/ticketThreads.js';
import { sendDueReminders } from './teams/nudges.js';

export interface RunningApp {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly contentVersion: string;
  /** Posts reminders for questions left unanswered too long (also runs every minute). */
  sendDueReminders(): Promise<number>;
  /** Posts questions and reports that are still waiting for their thread (also runs every minute); returns how many. */
  postWaitingTickets(): Promise<number>;
  /** Starts the automatic campaign reminders that are due (also runs every minute); returns how many. */
  remindEmployees(): Promise<number>;
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

const REMINDER_INTERVAL_MS = 60_000;
const ROSTER_SYNC_INTERVAL_MS = 24 * 60 * 60_000;

/** Composition root: config -> content and cards -> stores -> services -> bot -> server. */
export async function startPostwise(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? consoleLog;
  const clock = options.clock ?? systemClock;
  const content = await loadContent(config.contentDir, config.org);
  const templates = await CardTemplates.load(path.join(PROJECT_ROOT, 'cards'));
  const stores = options.stores ?? (await openLowdbStores(config.dataFile, clock.now()));
  const cards = cardsFor(templates, content, config.org.policyUrl);
  const errorText = (locale: string | undefined) => {
    return cards[languageOfLocale(locale) ?? config.defaultLanguage].text('error');
  };
  const adapter = createAdapter(config, errorText, log);
  const messenger = new Messenger(adapter, config.bot.appId);
  const questions = new QuestionService(stores.tickets, stores.settings, stores.faq, clock, {
    slaMinutes: config.contactSlaHours * 60,
    timeZone: config.timeZone,
  });
  const channelCards = cards[config.defaultLanguage];
  let baseUrl = '';
  const graph = config.rosterSource === 'graph' || config.proactiveInstall.enabled ? new GraphClient({ baseUrl: config.graphUrl, credential: graphCredential() }) : undefined;
  const installer = graph && config.proactiveInstall.catalogAppId !== undefined && config.proactiveInstall.enabled ? appInstaller(graph, config.proactiveInstall.catalogAppId) : undefined;
  const worker = new DeliveryWorker({
    ...stores,
    sender: new TeamsSender(connectorToken(config.bot), stores.conversations, installer),
    compose: (delivery, member) => deliveryMessage(stores, cards, config, clock, delivery, member),
    clock,
    log,
    rate: config.sendRate,
    serviceUrl: config.serviceUrl,
    ...(config.bot.tenantId ? { tenantId: config.bot.tenantId } : {}),
    ...(config.bot.appId ? { botId: `28:${config.bot.appId}` } : {}),
  });
  const contactMention = config.contactId ? { id: config.contactId, name: config.org.contactName ?? channelCards.text('defaultContact') } : undefined;
  const threads = new TicketThreads(questions, messenger, new QuestionCards(channelCards), contactMention, log);
  const hr = createHr({ config, stores, course: content.courses.en, clock, log, baseUrl: () => baseUrl, deliver: () => worker.kick(), graph: config.rosterSource === 'graph' ? graph : undefined });
  const course = new CourseService(content.courses, stores.progress, stores.events, clock);
  // Before anyone is served: events of answers stored just before the process last stopped.
  const recovered = await course.recoverEvents();
  if (recovered > 0) log.info('events.recovered', { count: recovered });
  const bot = new PostwiseBot({
    course,
    questions,
    cards,
    messenger,
    conversations: stores.conversations,
    channelLanguage: config.defaultLanguage,
    threads,
    contactAdmins: [...config.hrUsers, ...config.contactAdmins],
    hrUsers: config.hrUsers,
    hr: hr.deps,
    settings: stores.settings,
    defaultLanguage: config.defaultLanguage,
    log,
  });
  await worker.start();
  const server = createServer({ messages: guardedEndpoint(messageEndpoint(adapter, bot, config, log), log), version: content.version, log, downloads: hr.downloads });
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

  const reminders = () => sendDueReminders(questions, messenger, new QuestionCards(channelCards), config.contactSlaHours, log);
  const remindEmployees = async () => {
    const round = await hr.reminders.dueAutomatic();
    if (!round) return 0;
    log.info('reminders.round', { recipients: round.recipients, overdue: round.overdue });
    worker.kick();
    return round.recipients;
  };
  const timers = [
    setInterval(() => {
      void reminders().catch((error: unknown) => log.error('reminders.failed', error));
      void threads.openWaiting().catch((error: unknown) => log.error('tickets.waiting-failed', error));
      void remindEmployees().catch((error: unknown) => log.error('reminders.employees-failed', error));
    }, REMINDER_INTERVAL_MS),
  ];
  const sync = hr.deps.syncRoster;
  if (sync) {
    const syncRoster = () => void sync().catch((error: unknown) => log.error('roster.sync-failed', error));
    syncRoster();
    timers.push(setInterval(syncRoster, ROSTER_SYNC_INTERVAL_MS));
  }
  for (const timer of timers) timer.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    contentVersion: content.version,
    sendDueReminders: reminders,
    postWaitingTickets: () => threads.openWaiting(),
    remindEmployees,
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
