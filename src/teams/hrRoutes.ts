import { randomUUID } from 'node:crypto';
import { QuestionCards } from '../cards/questionCards.js';
import { departmentValue, HrCards } from '../cards/hrCards.js';
import { PLATFORMS, type Platform } from '../domain/inventory/inventory.js';
import { MAX_NOTE, type CampaignRequest, type CampaignService, type Invalid } from '../domain/campaigns/campaignService.js';
import type { CoverageService } from '../domain/coverage/coverageService.js';
import type { ReminderService } from '../domain/campaigns/reminderService.js';
import type { RosterService } from '../domain/roster/rosterService.js';
import { addDays, localDate } from '../domain/time/calendar.js';
import type { Clock } from '../domain/time/clock.js';
import { DownloadError } from '../directory/download.js';
import { MAX_ROSTER_BYTES, type ParsedRoster } from '../directory/csvRoster.js';
import type { Log } from '../log.js';
import type { InventoryStore, RosterUploadStore } from '../storage/interfaces.js';
import { text, type Outgoing, type Reply, type Route, type Turn } from './routes.js';

/** A new campaign is due this many days ahead unless HR picks another date. */
const DEFAULT_DUE_DAYS = 14;

/** What HR's commands work with. */
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
        deps.deliver();
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
      deps.deliver();
      return campaignStatus(turn, outcome.campaign.id);
    }),

    hrCampaignStatus: forHr(async (turn) => campaignStatus(turn, text(turn.data.campaign) ?? '')),

    hrRoster: forHr(async (turn) => post(turn, { card: await rosterCard(turn) })),

    hrRosterSync: forHr(async (turn) => {
      if (!deps.syncRoster) return say(turn.cards.text('rosterSyncOff'));
      try {
        const change = await deps.syncRoster();
        return post(turn, { card: await rosterCard(turn, turn.cards.text('rosterSynced', change)) });
      } catch (error) {
        deps.log.error('roster.sync-failed', error);
        return say(turn.cards.text('rosterSyncFailed', { reason: (error as Error).message }));
      }
    }),

    hrRosterImport: forHr(async (turn) => {
      const upload = await deps.uploads.get(text(turn.data.upload) ?? '');
      if (!upload || upload.uploadedBy !== turn.userId) return refuse(turn.cards.text('rosterUploadUnknown'));
      if (upload.rows.length === 0) return refuse(turn.cards.text('rosterNothingValid'));
      if (upload.problems.length > 0 && turn.data.acceptErrors !== 'yes') return refuse(turn.cards.text('staleCard'));
      if (upload.importedAt) return { send: [], invoke: { message: turn.cards.text('rosterUploadUsed') } };
      // Applying is idempotent, so a failed import can be clicked again; only then is it marked done.
      const plan = await deps.roster.apply(upload.rows, 'csv', { keep: upload.keep });
      if (!(await deps.uploads.markImported(upload.id, deps.clock.now().toISOString()))) {
        return { send: [], invoke: { message: turn.cards.text('rosterUploadUsed') } };
      }
      deps.log.info('roster.imported', { rows: upload.rows.length, skipped: upload.problems.length });
      return say(
        turn.cards.text('rosterImported', {
          added: plan.added.length,
          updated: plan.updated.length,
          reactivated: plan.reactivated.length,
          deactivated: plan.deactivated.length,
        }),
      );
    }),

    inventory: async (turn) => {
      if (!(await deps.finishedCourse(turn.userId))) return refuse(turn.cards.text('inventoryNotYet'));
      const done = () => replace(new QuestionCards(turn.cards).note(turn.cards.text('inventoryDone')));
      if (await deps.inventory.answered(turn.userId)) return done();
      const chosen = typeof turn.data.platforms === 'string' ? turn.data.platforms.split(',') : [];
      const platforms = [...new Set(chosen)].filter((p): p is Platform => (PLATFORMS as readonly string[]).includes(p));
      if (platforms.length === 0 || platforms.length !== new Set(chosen).size || (platforms.includes('none') && platforms.length > 1)) {
        return refuse(turn.cards.text('inventoryEmpty'));
      }
      if (!(await deps.inventory.answer(turn.userId, platforms))) return done();
      return replace(new QuestionCards(turn.cards).note(turn.cards.text('inventoryThanks')));
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
  const keep = parsed.skippedEmails;
  const id = randomUUID();
  deps.log.info('roster.uploaded', { rows: rows.length, problems: parsed.problems.length });
  if (rows.length === 0) {
    // Nothing to import: the problems are shown, no Import button, and nothing is stored.
    const none = { added: 0, updated: 0, reactivated: 0, deactivated: 0, unchanged: 0 };
    return [{ card: new HrCards(turn.cards).rosterPreview(id, file.name, none, 0, parsed.problems) }];
  }
  const plan = await deps.roster.plan(rows, 'csv', { keep });
  await deps.uploads.put({ id, uploadedBy: turn.userId, fileName: file.name, rows, problems: parsed.problems, keep, uploadedAt: deps.clock.now().toISOString() });
  const change = { added: plan.added.length, updated: plan.updated.length, reactivated: plan.reactivated.length, deactivated: plan.deactivated.length, unchanged: plan.unchanged };
  return [{ card: new HrCards(turn.cards).rosterPreview(id, file.name, change, rows.length, parsed.problems) }];
}

function formatOpening(iso: string, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
