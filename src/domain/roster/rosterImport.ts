import { randomUUID } from 'node:crypto';
import type { Clock } from '../time/clock.js';
import type { RosterFileProblem, RosterUploadStore } from './ports.js';
import type { RosterRow } from './roster.js';
import { changeCounts, type RosterChange, type RosterService } from './rosterService.js';

/** A roster file as read: its valid rows, its problems, and the addresses on rows with problems. */
export interface RosterFile {
  readonly name: string;
  readonly rows: readonly RosterRow[];
  readonly problems: readonly RosterFileProblem[];
  /** E-mail addresses on rows left out for problems: the import does not make them inactive. */
  readonly keep: readonly string[];
}

/**
 * What importing the file would change; `upload` is the id HR confirms, kept only when there is something to import.
 */
export interface RosterPreview {
  readonly upload: string;
  readonly change: RosterChange;
  readonly valid: number;
}

export type RosterImportOutcome =
  | { readonly kind: 'imported'; readonly change: RosterChange; readonly rows: number; readonly skipped: number }
  /**
   * `unknown`: no such upload by this person; `nothing-valid`: no row to import; `stale`: bad rows not accepted;
   * `used`: imported before.
   */
  | { readonly kind: 'unknown' | 'nothing-valid' | 'stale' | 'used' };

const NO_CHANGE: RosterChange = { added: 0, updated: 0, reactivated: 0, deactivated: 0, unchanged: 0 };

/**
 * A roster file dropped into the chat: previewed (what importing it would change, nothing
 * written to the roster), then imported once HR confirms, once.
 */
export class RosterImportService {
  constructor(
    private readonly roster: RosterService,
    private readonly uploads: RosterUploadStore,
    private readonly clock: Clock,
  ) {}

  async preview(uploadedBy: string, file: RosterFile): Promise<RosterPreview> {
    const upload = randomUUID();
    // Nothing to import: nothing is kept, and there is nothing to confirm.
    if (file.rows.length === 0) return { upload, change: NO_CHANGE, valid: 0 };
    const plan = await this.roster.plan(file.rows, 'csv', { keep: file.keep });
    await this.uploads.put({
      id: upload,
      uploadedBy,
      fileName: file.name,
      rows: file.rows,
      problems: file.problems,
      keep: file.keep,
      uploadedAt: this.clock.now().toISOString(),
    });
    return { upload, change: changeCounts(plan), valid: file.rows.length };
  }

  /**
   * Imports the upload for the person who dropped it; with bad rows only when they accepted importing the valid rows
   * alone.
   */
  async confirm(uploadId: string, userId: string, acceptErrors: boolean): Promise<RosterImportOutcome> {
    const upload = await this.uploads.get(uploadId);
    if (!upload || upload.uploadedBy !== userId) return { kind: 'unknown' };
    if (upload.rows.length === 0) return { kind: 'nothing-valid' };
    if (upload.problems.length > 0 && !acceptErrors) return { kind: 'stale' };
    if (upload.importedAt) return { kind: 'used' };
    // Applying is idempotent, so a failed import can be clicked again; only then is it marked done.
    const plan = await this.roster.apply(upload.rows, 'csv', { keep: upload.keep });
    if (!(await this.uploads.markImported(upload.id, this.clock.now().toISOString()))) return { kind: 'used' };
    return { kind: 'imported', change: changeCounts(plan), rows: upload.rows.length, skipped: upload.problems.length };
  }
}
