import { HrCards } from '../../cards/hrCards.js';
import { MAX_ROSTER_BYTES, type ParsedRoster } from '../../directory/csvRoster.js';
import { DownloadError } from '../../directory/download.js';
import { refuse, say, sendBelow } from '../replies.js';
import type { RouteDeclaration } from '../route.js';
import type { RouteDeps } from '../routeDeps.js';
import { shortText, type DroppedFile, type Reply, type Turn } from '../turn.js';

async function rosterCard(turn: Turn, deps: RouteDeps, notice?: string) {
  const summary = await deps.hr.roster.summary();
  return new HrCards(turn.pack).roster(
    {
      active: summary.active,
      inactive: summary.inactive,
      departments: summary.departments.length,
      ...(summary.lastChange ? { updatedAt: summary.lastChange } : {}),
    },
    deps.hr.syncRoster !== undefined,
    notice,
  );
}

async function sync(turn: Turn, deps: RouteDeps): Promise<Reply> {
  if (!deps.hr.syncRoster) return say(turn.pack.text('rosterSyncOff'));
  try {
    const change = await deps.hr.syncRoster();
    return sendBelow(turn, await rosterCard(turn, deps, turn.pack.text('rosterSynced', { ...change })));
  } catch (error) {
    deps.hr.log.error('roster.sync-failed', error);
    return say(turn.pack.text('rosterSyncFailed', { reason: (error as Error).message }));
  }
}

/** HR imports a roster file it saw the preview of. */
async function importUpload(turn: Turn, deps: RouteDeps): Promise<Reply> {
  const outcome = await deps.hr.rosterImport.confirm(
    shortText(turn.data.upload) ?? '',
    turn.userId,
    turn.data.acceptErrors === 'yes',
  );
  switch (outcome.kind) {
    case 'unknown':
      return refuse(turn.pack.text('rosterUploadUnknown'));
    case 'nothing-valid':
      return refuse(turn.pack.text('rosterNothingValid'));
    case 'stale':
      return refuse(turn.pack.text('staleCard'));
    case 'used':
      return refuse(turn.pack.text('rosterUploadUsed'));
    case 'imported':
      deps.hr.log.info('roster.imported', { rows: outcome.rows, skipped: outcome.skipped });
      return say(turn.pack.text('rosterImported', { ...outcome.change }));
  }
}

/** What HR is told when a dropped file cannot be read. */
function unreadable(turn: Turn, error: unknown): string {
  if (error instanceof DownloadError && error.reason === 'too-large') {
    const max = Math.round((error.detail ?? MAX_ROSTER_BYTES) / 1024 / 1024);
    return turn.pack.text('rosterFileProblem', { reason: turn.pack.text('rosterTooLarge', { max }) });
  }
  if (error instanceof DownloadError && error.reason === 'refused') return turn.pack.text('rosterFileRefused');
  return turn.pack.text('rosterDownloadFailed');
}

/**
 * HR drops a roster CSV into the chat: it is read and checked, and HR sees what importing it
 * would change and every bad row, with a button to import (nothing is imported before).
 */
async function previewFile(turn: Turn, deps: RouteDeps, file: DroppedFile): Promise<Reply> {
  const { log } = deps.hr;
  if (file.fileType.toLowerCase() !== 'csv' && !file.name.toLowerCase().endsWith('.csv'))
    return say(turn.pack.text('rosterNotCsv'));
  let parsed: ParsedRoster;
  try {
    parsed = await deps.hr.readRosterFile(file.downloadUrl);
  } catch (error) {
    log.info('roster.upload-failed', { reason: error instanceof DownloadError ? error.reason : 'error' });
    return say(unreadable(turn, error));
  }
  const rows = parsed.rows.map((r) => r.row);
  log.info('roster.uploaded', { rows: rows.length, problems: parsed.problems.length });
  const preview = await deps.hr.rosterImport.preview(turn.userId, {
    name: file.name,
    rows,
    problems: parsed.problems,
    keep: parsed.skippedEmails,
  });
  return sendBelow(
    turn,
    new HrCards(turn.pack).rosterPreview(preview.upload, file.name, preview.change, preview.valid, parsed.problems),
  );
}

/**
 * Who the employees are: HR's roster card, a sync with Microsoft Graph, a CSV file dropped into the chat and imported.
 */
export const ROSTER_ROUTES = [
  {
    name: 'roster',
    scope: 'personal',
    via: ['typed'],
    words: { en: ['roster'], nl: ['rooster'] },
    who: 'hr',
    handle: async (turn, deps) => sendBelow(turn, await rosterCard(turn, deps)),
  },
  { name: 'rosterSync', verb: 'hrRosterSync', scope: 'personal', via: ['card'], who: 'hr', handle: sync },
  { name: 'rosterImport', verb: 'hrRosterImport', scope: 'personal', via: ['card'], who: 'hr', handle: importUpload },
  {
    name: 'rosterFile',
    scope: 'personal',
    via: [],
    select: (turn) => turn.file !== undefined,
    who: 'hr',
    refusal: 'filesNotHere',
    handle: async (turn, deps) => (turn.file ? previewFile(turn, deps, turn.file) : undefined),
  },
] as const satisfies readonly RouteDeclaration[];
