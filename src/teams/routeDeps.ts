import type { LanguagePack } from '../cards/languagePack.js';
import type { ParsedRoster } from '../directory/csvRoster.js';
import type { CampaignService } from '../domain/campaigns/campaignService.js';
import type { Clock } from '../domain/time/clock.js';
import type { Language } from '../domain/course/course.js';
import type { CourseService } from '../domain/course/courseService.js';
import type { EnrolmentService } from '../domain/enrolment/enrolmentService.js';
import type { CoverageService } from '../domain/coverage/coverageService.js';
import type { ContactService } from '../domain/contact/contactService.js';
import type { RefresherService } from '../domain/refreshers/refresherService.js';
import type { RenewalService } from '../domain/renewal/renewalService.js';
import type { ReminderService } from '../domain/campaigns/reminderService.js';
import type { ScheduleService } from '../domain/campaigns/scheduleService.js';
import type { RosterChange, RosterService } from '../domain/roster/rosterService.js';
import type { Log } from '../log.js';
import type { GroupDirectory } from '../domain/groups/ports.js';
import type { InventoryService } from '../domain/inventory/inventoryService.js';
import type { ItemService } from '../domain/items/itemService.js';
import type { RosterImportService } from '../domain/roster/rosterImport.js';
import type { UnderstandingService } from '../domain/understanding/understandingService.js';
import type { Outbound } from '../domain/outbound/ports.js';
import type { TicketThreads } from '../domain/contact/ticketThreads.js';
import type { TeamService } from '../domain/team/teamService.js';
import type { Welcomes } from './welcomes.js';

/** What HR's commands (roster, campaigns, coverage) and the inventory question work with. */
export interface HrDeps {
  readonly roster: RosterService;
  readonly rosterImport: RosterImportService;
  readonly campaigns: CampaignService;
  /** Campaigns set to start later (*Send at…*). */
  readonly schedules: ScheduleService;
  readonly reminders: ReminderService;
  /** Standing enrolment: everyone who joins gets the course. */
  readonly enrolment: EnrolmentService;
  readonly coverage: CoverageService;
  readonly understanding: UnderstandingService;
  /** Item analysis: per question, from everyone's first tries. */
  readonly items: ItemService;
  readonly inventory: InventoryService;
  /** A signed 15-minute download link for this HR user (just confirmed as HR). */
  readonly downloadLink: (kind: 'export' | 'audit', userId: string, language: Language) => Promise<string>;
  /** Pulls the roster from Microsoft Graph; undefined when the roster comes from CSV files. */
  readonly syncRoster: (() => Promise<RosterChange>) | undefined;
  /** Entra groups for campaigns; undefined when the roster does not come from Graph. */
  readonly groups: GroupDirectory | undefined;
  /** Downloads and reads a roster CSV; throws DownloadError when it cannot be fetched or is too large. */
  readonly readRosterFile: (downloadUrl: string) => Promise<ParsedRoster>;
  readonly timeZone: string;
  readonly clock: Clock;
  readonly log: Log;
}

/** What the routes work with. */
export interface RouteDeps {
  readonly course: CourseService;
  readonly contact: ContactService;
  readonly packs: Readonly<Record<Language, LanguagePack>>;
  readonly defaultLanguage: Language;
  /** Only to update a card the bot sent earlier (campaign progress). */
  readonly outbound: Pick<Outbound, 'updatePersonalCard'>;
  /** Language of everything the bot writes in the contact channel. */
  readonly channelLanguage: Language;
  /** Tickets' threads in the contact channel, and what reaches the asker. */
  readonly threads: TicketThreads;
  readonly hr: HrDeps;
  /** Managers' direct reports and their reminders. */
  readonly team: TeamService;
  /** Refreshers after the course, and HR's retention figure. */
  readonly refreshers: RefresherService;
  /** The yearly renewal of an acknowledgement, when acknowledgements lapse. */
  readonly renewals: RenewalService;
  /** Which personal chats were welcomed a moment ago. */
  readonly welcomes: Welcomes;
  readonly log: Log;
}
