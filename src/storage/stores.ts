import type { AssignmentStore, CampaignStore, DeliveryStore } from '../domain/campaigns/ports.js';
import type { EnrolmentRuleStore } from '../domain/enrolment/ports.js';
import type { EventLog, LessonTextStore, ProgressStore } from '../domain/course/ports.js';
import type { InventoryStore } from '../domain/inventory/ports.js';
import type { FaqStore, TicketStore } from '../domain/contact/ports.js';
import type { RefresherStore } from '../domain/refreshers/ports.js';
import type { ScheduleStore } from '../domain/campaigns/schedule.js';
import type { RosterStore, RosterUploadStore } from '../domain/roster/ports.js';
import type { ConversationStore } from '../domain/conversations/ports.js';
import type { ChangeLog } from '../domain/changes/changeLog.js';
import type { VivaOutboxStore } from '../domain/viva/ports.js';
import type { ChangedRecords } from '../domain/figures/catchUp.js';
import type { FiguresCheckpoints } from '../domain/figures/checkpoint.js';
import type { XapiOutboxStore } from '../domain/xapi/ports.js';
import { TableAssignmentStore, TableCampaignStore, TableDeliveryStore } from './campaignStores.js';
import { TableConversationStore } from './conversationStore.js';
import { TableEnrolmentRuleStore } from './enrolmentStore.js';
import { TableProgressStore } from './courseStores.js';
import { TableInventoryStore } from './inventoryStore.js';
import { TableLessonTextStore } from './lessonTextStore.js';
import { TableFaqStore, TableTicketStore } from './contactStores.js';
import { TableRefresherStore } from './refresherStores.js';
import { TableRosterStore, TableRosterUploadStore } from './rosterStores.js';
import { TableScheduleStore } from './scheduleStore.js';
import { TableSettingsStore, type SettingsStore } from './settingsStore.js';
import type { Table } from './table.js';
import { TableVivaOutboxStore } from './vivaOutboxStore.js';
import { TableXapiOutboxStore } from './xapiOutboxStore.js';

/** Every store, as one embedded store (or the in-memory one) provides them. */
export interface Stores {
  readonly progress: ProgressStore;
  readonly conversations: ConversationStore;
  readonly events: EventLog;
  readonly tickets: TicketStore;
  readonly settings: SettingsStore;
  readonly faq: FaqStore;
  readonly roster: RosterStore;
  readonly campaigns: CampaignStore;
  readonly deliveries: DeliveryStore;
  readonly assignments: AssignmentStore;
  readonly inventory: InventoryStore;
  readonly uploads: RosterUploadStore;
  readonly lessonTexts: LessonTextStore;
  readonly refreshers: RefresherStore;
  /** The standing enrolment rule, beside the settings. */
  readonly enrolment: EnrolmentRuleStore;
  /** Campaigns HR set to start later. */
  readonly schedules: ScheduleStore;
  /** Where writes are announced to the other instances on a shared store; none on a single-instance store. */
  readonly changes?: ChangeLog;
  /** Where the leader saves HR's figures for instances that start; only beside a change log. */
  readonly checkpoints?: FiguresCheckpoints;
  /** Where HR's figures read back the records the change log names, when not the stores themselves. */
  readonly changedRecords?: ChangedRecords;
  /** Statements waiting for the learning record store (only written when xAPI is on). */
  readonly xapiOutbox: XapiOutboxStore;
  /** Course activities waiting for Viva Learning (only written when Viva Learning is on). */
  readonly vivaOutbox: VivaOutboxStore;
  /** Whether the store answers now (for /healthz); gives up when `signal` aborts. */
  health(signal: AbortSignal): Promise<StoreHealth>;
  /** Waits for every pending write, then releases files. */
  close(): Promise<void>;
}

/** Whether a store answers: ok, or a short reason fit for a health probe (never an outside service's text). */
export type StoreHealth = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const alwaysHealthy = async (): Promise<StoreHealth> => ({ ok: true });

/** Every store on Tables that `table` opens by name (the names are the embedded store's file layout). */
export function storesOn(
  table: <T>(name: string) => Table<T>,
  events: EventLog,
  close: () => Promise<void>,
  health: (signal: AbortSignal) => Promise<StoreHealth> = alwaysHealthy,
): Stores {
  const settings = table<unknown>('settings');
  return {
    progress: new TableProgressStore(table('progress')),
    conversations: new TableConversationStore(table('conversations')),
    events,
    tickets: new TableTicketStore(table('tickets'), table('counters'), table('threads'), table('requestKeys')),
    settings: new TableSettingsStore(settings),
    faq: new TableFaqStore(table('faq')),
    roster: new TableRosterStore(table('members'), table('membersByAad')),
    campaigns: new TableCampaignStore(table('campaigns')),
    deliveries: new TableDeliveryStore(table('deliveries')),
    assignments: new TableAssignmentStore(table('assignments')),
    inventory: new TableInventoryStore(
      table('inventoryRespondents'),
      table('inventoryCounts'),
      table('inventoryTotals'),
    ),
    uploads: new TableRosterUploadStore(table('rosterUploads')),
    lessonTexts: new TableLessonTextStore(table('lessonTexts')),
    refreshers: new TableRefresherStore(
      table('refreshers'),
      table('refresherDue'),
      table('refresherCursor'),
      table('refresherCounts'),
    ),
    enrolment: new TableEnrolmentRuleStore(settings),
    schedules: new TableScheduleStore(table('schedules')),
    xapiOutbox: new TableXapiOutboxStore(table('xapiOutbox')),
    vivaOutbox: new TableVivaOutboxStore(table('vivaOutbox')),
    health,
    close,
  };
}
