import { randomUUID } from 'node:crypto';
import { QuestionCards } from '../cards/questionCards.js';
import { departmentValue, HrCards } from '../cards/hrCards.js';
import type { InventoryService } from '../domain/inventory/inventoryService.js';
import { MAX_NOTE, type CampaignRequest, type CampaignService, type Invalid } from '../domain/campaigns/campaignService.js';
import type { CoverageService } from '../domain/coverage/coverageService.js';
import type { ReminderService } from '../domain/campaigns/reminderService.js';
import type { RosterImportService } from '../domain/roster/rosterImport.js';
import type { RosterChange, RosterService } from '../domain/roster/rosterService.js';
import { addDays, localDate } from '../domain/time/calendar.js';
import type { Clock } from '../domain/time/clock.js';
import { DownloadError } from '../directory/download.js';
import { MAX_ROSTER_BYTES, type ParsedRoster } from '../directory/csvRoster.js';
import type { Log } from '../log.js';
import { text, type Outgoing, type Reply, type Route, type Turn } from './routes.js';

/** A new campaign is due this many days ahead unless HR picks another date. */
const DEFAULT_DUE_DAYS = 14;

/** What HR's commands work with. */
export interface HrDeps {
  readonly roster: RosterService;
  readonly rosterImport: RosterImportService;
  readonly campaigns: CampaignService;
  readonly reminders: ReminderService;
  readonly coverage: CoverageService;
  readonly inventory: InventoryService;
  /** A signed 15-minute download link for this HR user (just confirmed as HR). */
  readonly downloadLink: (kind: 'export' | 'audit', userId: string) => Promise<string>;
  /** Pulls the roster from Microsoft Graph; undefined when the roster comes from CSV files. */
  readonly syncRoster: (() => Promise<RosterChange>) | undefined;
  /** Downloads and reads a roster CSV; throws DownloadError when it cannot be fetched or is too large. */
  readonly readRosterFile: (downloadUrl: string) => Promise<ParsedRoster>;
  /** Whether questions and reports have a channel to go to. */
  readonly contactChannelSet: () => Promise<boolean>;
  readonly timeZone: string;
  readonly clock: Clock;
  readonly log: Log;
}

export type HrRouteName =
  | 'hr'
  | 'coverage'
  | 'hrNotStarted'
  | 'hrExport'
  | 'hrAudit'
  | 'hrRemind'
  | 'hrCampaign'
  | 'hrCampaignPreview'
  | 'hrCampaignSend'
  | 'hrCampaignStatus'
  | 'hrRoster'
  | 'hrRosterSync'
  | 'hrRosterImport'
  | 'inventory';

/** HR's commands in the personal chat (only for HR users), and the employees' anonymous inventory. */
export function hrRoutes(deps: HrDeps): Readonly<Record<HrRouteName, Route>> {
  const hr = (turn: Turn) => new HrCards(turn.cards);
  const say = (message: string): Reply => ({ send: [{ text: message }], invoke: { message } });
  const post = (turn: Turn, card: Reply['send'][number]): Reply => ({ send: [card], invoke: { message: turn.cards.text('sentBelow') } });
  const replace = (card: Record<string, unknown>): Reply => ({ send: [], invoke: { card } });
  const refuse = (message: string): Reply => ({ send: [], invoke: { message } });

  /** Only HR users get past this; everyone else a polite refusal and no data. */
  const forHr =
    (route: Route): Route =>
    async (turn) => {
      if (await turn.isHr()) return route(turn);
      deps.log.info('hr.refused');
      return say(turn.cards.text('hrOnly'));
    };

  const today = () => localDate(deps.clock.now(), deps.timeZone);

  /** The campaign form's inputs as the domain reads them; department choices are mapped back to names. */
  const campaignRequest = async (turn: Turn): Promise<CampaignRequest> => {
    const names = new Map((await deps.campaigns.departments()).map((d) => [departmentValue(d.name), d.name]));
    const chosen = typeof turn.data.departments === 'string' ? turn.data.departments.split(',').filter((v) => v !== '') : [];
    return {
      id: text(turn.data.request) ?? '',
      createdBy: turn.userId,
      audience: turn.data.audience,
      departments: chosen.map((v) => names.get(v) ?? v),
      due: turn.data.due,
      note: turn.data.note,
    };
  };

  /** The campaign form, filled in again with what HR entered (after "Change", or with a notice what to correct). */
  const campaignForm = async (turn: Turn, request: CampaignRequest, notice?: string) =>
    hr(turn).campaignForm({
      request: request.id,
      departments: (await deps.campaigns.departments()).map((d) => d.name),
      firstDue: addDays(today(), 1),
      defaultDue: addDays(today(), DEFAULT_DUE_DAYS),
      values: {
        audience: text(turn.data.audience),
        departments: request.departments as readonly string[],
        due: text(turn.data.due),
        note: typeof turn.data.note === 'string' ? turn.data.note.slice(0, MAX_NOTE) : undefined,
      },
      ...(notice ? { notice } : {}),
    });

  const invalidText = (turn: Turn, outcome: Invalid): string => {
    switch (outcome.field) {
      case 'audience':
        return turn.cards.text('campaignInvalidAudience');
      case 'departments':
        return outcome.unknown?.length ? turn.cards.text('campaignUnknownDepartments', { names: outcome.unknown.join(', ') }) : turn.cards.text('campaignInvalidDepartments');
      case 'due':
        return turn.cards.text('campaignInvalidDue');
      case 'note':
        return turn.cards.text('campaignInvalidNote', { max: MAX_NOTE });
      case 'no-recipients':
        return turn.cards.text('campaignNobody');
      case 'roster-empty':
        return turn.cards.text('campaignRosterEmpty');
      case 'id':
        return turn.cards.text('staleCard');
    }
  };

  const campaignStatus = async (turn: Turn, campaignId: string): Promise<Reply> => {
    const status = await deps.campaigns.status(campaignId);
    if (!status) return refuse(turn.cards.text('campaignUnknown'));
    return replace(hr(turn).campaignStatus(status));
  };

  const remind = async (turn: Turn): Promise<Reply> => {
    const outcome = await deps.reminders.manual();
    switch (outcome.kind) {
      case 'sent': {
        if (outcome.recipients === 0) return say(turn.cards.text('remindNobody'));
        const skipped = outcome.skippedRecent > 0 ? ` ${turn.cards.text('remindSkipped', { count: outcome.skippedRecent })}` : '';
        return say(`${turn.cards.text('remindSent', { count: outcome.recipients })}${skipped}`);
      }
      case 'outside-hours':
        return say(turn.cards.text('remindOutsideHours', { time: formatOpening(outcome.nextOpening, turn.cards.course.language, deps.timeZone) }));
      case 'nobody':
        return say(turn.cards.text('remindNobody'));
    }
  };

  const rosterCard = async (turn: Turn, notice?: string) => {
    const summary = await deps.roster.summary();
    return hr(turn).roster(
      { active: summary.active, inactive: summary.inactive, departments: summary.departments.length, ...(summary.lastChange ? { updatedAt: summary.lastChange } : {}) },
      deps.syncRoster !== undefined,
      notice,
    );
  };

  return {
    hr: forHr(async (turn) => {
      const help = turn.cards.text('hrHelp');
      return say((await deps.contactChannelSet()) ? help : `${help}\n\n${turn.cards.text('hrNoChannel')}`);
    }),

    coverage: forHr(async (turn) => {
      const [coverage, inventory] = await Promise.all([deps.coverage.coverage(), deps.inventory.totals()]);
      return post(turn, { card: hr(turn).coverage(coverage, inventory) });
    }),

    hrNotStarted: forHr(async (turn) => post(turn, { card: hr(turn).notStarted(await deps.coverage.reports({ status: 'not-started' })) })),

    hrExport: forHr(async (turn) => post(turn, { card: hr(turn).link(turn.cards.text('exportReady'), await deps.downloadLink('export', turn.userId)) })),

    hrAudit: forHr(async (turn) => post(turn, { card: hr(turn).link(turn.cards.text('auditReady'), await deps.downloadLink('audit', turn.userId)) })),

    hrRemind: forHr(remind),

    hrCampaign: forHr(async (turn) => {
      const request = await campaignRequest(turn);
      const form = { card: await campaignForm(turn, { ...request, id: request.id || randomUUID() }) };
      if (request.id !== '') return post(turn, form);
      // Typed "campaign": how the last one stands first, then a form for a new one.
      const latest = await deps.campaigns.latest();
      const status = latest && (await deps.campaigns.status(latest.id));
      return { send: status ? [{ card: hr(turn).campaignStatus(status) }, form] : [form], invoke: { message: turn.cards.text('sentBelow') } };
    }),

    hrCampaignPreview: forHr(async (turn) => {
      const request = await campaignRequest(turn);
      if (request.id === '') return refuse(turn.cards.text('staleCard'));
      // A preview of a campaign already sent (a second client, an old card) shows how it stands.
      if (await deps.campaigns.status(request.id)) return campaignStatus(turn, request.id);
      const outcome = await deps.campaigns.preview(request);
      if (outcome.kind === 'invalid') return replace(await campaignForm(turn, request, invalidText(turn, outcome)));
      const data = { request: request.id, audience: turn.data.audience, departments: turn.data.departments ?? '', due: turn.data.due, note: turn.data.note ?? '' };
      return replace(hr(turn).campaignPreview(data, outcome.campaign, outcome.recipients, outcome.byDepartment));
    }),

    hrCampaignSend: forHr(async (turn) => {
      const request = await campaignRequest(turn);
      if (request.id === '') return refuse(turn.cards.text('staleCard'));
      const outcome = await deps.campaigns.send(request);
      if (outcome.kind === 'invalid') return replace(await campaignForm(turn, request, invalidText(turn, outcome)));
      if (outcome.kind === 'created') deps.log.info('campaign.created', { recipients: outcome.recipients });
      return campaignStatus(turn, outcome.campaign.id);
    }),

    hrCampaignStatus: forHr(async (turn) => campaignStatus(turn, text(turn.data.campaign) ?? '')),

    hrRoster: forHr(async (turn) => post(turn, { card: await rosterCard(turn) })),

    hrRosterSync: forHr(async (turn) => {
      if (!deps.syncRoster) return say(turn.cards.text('rosterSyncOff'));
      try {
        const change = await deps.syncRoster();
        return post(turn, { card: await rosterCard(turn, turn.cards.text('rosterSynced', { ...change })) });
      } catch (error) {
        deps.log.error('roster.sync-failed', error);
        return say(turn.cards.text('rosterSyncFailed', { reason: (error as Error).message }));
      }
    }),

    hrRosterImport: forHr(async (turn) => {
      const outcome = await deps.rosterImport.confirm(text(turn.data.upload) ?? '', turn.userId, turn.data.acceptErrors === 'yes');
      switch (outcome.kind) {
        case 'unknown':
          return refuse(turn.cards.text('rosterUploadUnknown'));
        case 'nothing-valid':
          return refuse(turn.cards.text('rosterNothingValid'));
        case 'stale':
          return refuse(turn.cards.text('staleCard'));
        case 'used':
          return refuse(turn.cards.text('rosterUploadUsed'));
        case 'imported':
          deps.log.info('roster.imported', { rows: outcome.rows, skipped: outcome.skipped });
          return say(turn.cards.text('rosterImported', { ...outcome.change }));
      }
    }),

    inventory: async (turn) => {
      const outcome = await deps.inventory.answer(turn.userId, turn.data.platforms);
      switch (outcome.kind) {
        case 'not-finished':
          return refuse(turn.cards.text('inventoryNotYet'));
        case 'invalid':
          return refuse(turn.cards.text('inventoryEmpty'));
        case 'already':
          return replace(new QuestionCards(turn.cards).note(turn.cards.text('inventoryDone')));
        case 'recorded':
          return replace(new QuestionCards(turn.cards).note(turn.cards.text('inventoryThanks')));
      }
    },
  };
}

/** A file someone dropped into the personal chat, as Teams describes it. */
export interface RosterFile {
  readonly name: string;
  readonly downloadUrl: string;
  readonly fileType: string;
}

/**
 * HR drops a roster CSV into the chat: it is read and checked, and HR sees what importing it
 * would change and every bad row, with a button to import (nothing is imported before).
 */
export async function rosterFileReply(deps: HrDeps, turn: Turn, file: RosterFile): Promise<readonly Outgoing[]> {
  const say = (message: string): Outgoing[] => [{ text: message }];
  if (!(await turn.isHr())) return say(turn.cards.text('filesNotHere'));
  if (file.fileType.toLowerCase() !== 'csv' && !file.name.toLowerCase().endsWith('.csv')) return say(turn.cards.text('rosterNotCsv'));
  let parsed: ParsedRoster;
  try {
    parsed = await deps.readRosterFile(file.downloadUrl);
  } catch (error) {
    deps.log.info('roster.upload-failed', { reason: error instanceof DownloadError ? error.reason : 'error' });
    if (error instanceof DownloadError && error.reason === 'too-large') {
      const max = Math.round((error.detail ?? MAX_ROSTER_BYTES) / 1024 / 1024);
      return say(turn.cards.text('rosterFileProblem', { reason: turn.cards.text('rosterTooLarge', { max }) }));
    }
    if (error instanceof DownloadError && error.reason === 'refused') return say(turn.cards.text('rosterFileRefused'));
    return say(turn.cards.text('rosterDownloadFailed'));
  }
  const rows = parsed.rows.map((r) => r.row);
  deps.log.info('roster.uploaded', { rows: rows.length, problems: parsed.problems.length });
  const preview = await deps.rosterImport.preview(turn.userId, { name: file.name, rows, problems: parsed.problems, keep: parsed.skippedEmails });
  return [{ card: new HrCards(turn.cards).rosterPreview(preview.upload, file.name, preview.change, preview.valid, parsed.problems) }];
}

function formatOpening(iso: string, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
