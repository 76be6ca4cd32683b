import type { Cards } from '../cards/views.js';
import type { ParsedRoster } from '../directory/csvRoster.js';
import type { CampaignService } from '../domain/campaignService.js';
import type { Clock } from '../domain/clock.js';
import type { Language } from '../domain/course.js';
import type { CourseService } from '../domain/courseService.js';
import type { CoverageService } from '../domain/coverage.js';
import type { QuestionService } from '../domain/questionService.js';
import type { ReminderService } from '../domain/reminderService.js';
import type { RosterService } from '../domain/rosterService.js';
import type { Log } from '../log.js';
import type { ConversationStore, InventoryStore, RosterUploadStore } from '../storage/interfaces.js';
import type { Messenger } from './messenger.js';
import type { TicketThreads } from './ticketThreads.js';

/** What HR's commands (roster, campaigns, coverage) and the inventory question work with. */
export interface HrDeps {
  readonly roster: RosterService;
  readonly uploads: RosterUploadStore;
  readonly campaigns: CampaignService;
  readonly reminders: ReminderService;
  readonly coverage: CoverageService;
  readonly inventory: InventoryStore;
  /** Whether this person has finished the course (acknowledged a policy version): the inventory comes after that. */
  readonly finishedCourse: (userId: string) => Promise<boolean>;
  /** A signed 15-minute download link for this HR user (just confirmed as HR). */
  readonly downloadLink: (kind: 'export' | 'audit', userId: string) => Promise<string>;
  /** Pulls the roster from Microsoft Graph; undefined when the roster comes from CSV files. */
  readonly syncRoster: (() => Promise<{ added: number; updated: number; reactivated: number; deactivated: number }>) | undefined;
  /** Downloads and reads a roster CSV; throws DownloadError when it cannot be fetched or is too large. */
  readonly readRosterFile: (downloadUrl: string) => Promise<ParsedRoster>;
  /** Whether questions and reports have a channel to go to. */
  readonly contactChannelSet: () => Promise<boolean>;
  /** New deliveries are waiting: wake the delivery worker. */
  readonly deliver: () => void;
  readonly timeZone: string;
  readonly clock: Clock;
  readonly log: Log;
}

/** What the routes work with. */
export interface RouteDeps {
  readonly course: CourseService;
  readonly questions: QuestionService;
  readonly cards: Readonly<Record<Language, Cards>>;
  readonly defaultLanguage: Language;
  readonly messenger: Messenger;
  readonly conversations: ConversationStore;
  /** Language of everything the bot writes in the contact channel. */
  readonly channelLanguage: Language;
  /** Starts tickets' threads in the contact channel. */
  readonly threads: TicketThreads;
  readonly hr: HrDeps;
  readonly log: Log;
}
