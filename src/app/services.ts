import type { Config } from '../config.js';
import type { Content } from '../content/load.js';
import { AccessRule } from '../domain/access.js';
import { CampaignService } from '../domain/campaigns/campaignService.js';
import type { DeliveryQueue } from '../domain/campaigns/ports.js';
import { ReminderService } from '../domain/campaigns/reminderService.js';
import { ScheduleService } from '../domain/campaigns/scheduleService.js';
import { CourseService } from '../domain/course/courseService.js';
import { EnrolmentService } from '../domain/enrolment/enrolmentService.js';
import type { CoverageIndex } from '../domain/figures/coverageIndex.js';
import { CoverageService } from '../domain/coverage/coverageService.js';
import { InventoryService } from '../domain/inventory/inventoryService.js';
import { ItemService } from '../domain/items/itemService.js';
import { ContactService } from '../domain/contact/contactService.js';
import type { RefresherAnswerLog } from '../domain/refreshers/ports.js';
import { RefresherService } from '../domain/refreshers/refresherService.js';
import type { Validity } from '../domain/course/validity.js';
import { RenewalService } from '../domain/renewal/renewalService.js';
import { RosterImportService } from '../domain/roster/rosterImport.js';
import { RosterService, type RosterChange } from '../domain/roster/rosterService.js';
import type { Clock } from '../domain/time/clock.js';
import { TeamService } from '../domain/team/teamService.js';
import { UnderstandingService } from '../domain/understanding/understandingService.js';
import type { GraphClient } from '../directory/graph.js';
import type { GroupDirectory } from '../domain/groups/ports.js';
import type { Log } from '../log.js';
import type { Stores } from '../storage/stores.js';

export interface ServicesDeps {
  readonly config: Config;
  readonly content: Content;
  readonly stores: Stores;
  /** Where campaigns, reminders and refreshers add their deliveries. */
  readonly queue: DeliveryQueue;
  readonly index: CoverageIndex;
  /** For the roster sync, when the roster comes from Microsoft Graph. */
  readonly graph: GraphClient | undefined;
  /** Entra groups for campaigns, when the roster comes from Graph. */
  readonly groups: GroupDirectory | undefined;
  readonly clock: Clock;
  readonly log: Log;
  /** Hears of refresher answers, when learning records go to a learning record store. */
  readonly refresherAnswers?: RefresherAnswerLog;
}

/** The domain's services, over the stores. */
export function composeServices(deps: ServicesDeps) {
  const { config, content, stores, queue, index, graph, groups, clock, log } = deps;
  const { timeZone } = config;
  // The course in the reference language: its structure decides who has finished.
  const reference = content.courses.en;
  const queued = { ...stores, deliveries: queue };
  const roster = new RosterService(stores.roster, clock);
  const validity = acknowledgementValidity(config);
  const reminders = new ReminderService(reference, queued, clock, timeZone, {
    daysBefore: config.reminderDaysBefore,
    validity,
  });
  const campaigns = new CampaignService(reference, { ...queued, groups }, clock, timeZone, index);
  return {
    course: new CourseService(content.courses, stores.progress, stores.events, clock),
    contact: new ContactService(stores.tickets, stores.settings, stores.faq, clock, {
      slaMinutes: config.contactSlaHours * 60,
      timeZone,
    }),
    roster,
    rosterImport: new RosterImportService(roster, stores.uploads, clock),
    syncRoster: config.rosterSource === 'graph' && graph ? rosterSync(roster, graph, log) : undefined,
    coverage: new CoverageService(reference, stores, clock, timeZone, index, validity),
    campaigns,
    groups,
    schedules: new ScheduleService(campaigns, stores.schedules, clock, timeZone),
    reminders,
    team: new TeamService(reference, stores, reminders, clock, timeZone, validity),
    enrolment: new EnrolmentService(reference, queued, clock, timeZone),
    refreshers: new RefresherService(
      reference,
      { ...queued, answerLog: deps.refresherAnswers, completions: index },
      clock,
      { intervals: config.refresherDays, timeZone },
    ),
    renewals: new RenewalService(reference, { ...queued, completions: index }, clock, validity),
    understanding: new UnderstandingService(reference, stores, index),
    items: new ItemService(reference, stores.progress, index),
    inventory: new InventoryService(stores.inventory, stores.progress),
    access: new AccessRule({ hr: config.hrUsers, contactAdmins: config.contactAdmins }, stores.roster),
  };
}

export type Services = ReturnType<typeof composeServices>;

/** How long an acknowledgement holds; undefined when acknowledgements never lapse. */
export function acknowledgementValidity(config: Config): Validity | undefined {
  const months = config.acknowledgementMonths;
  return months === undefined ? undefined : { months, timeZone: config.timeZone };
}

/** Pulls the roster from Microsoft Graph, and logs what changed (counts only). */
function rosterSync(roster: RosterService, graph: GraphClient, log: Log): () => Promise<RosterChange> {
  return async () => {
    const change = await roster.sync(graph);
    log.info('roster.synced', { added: change.added, deactivated: change.deactivated });
    return change;
  };
}
