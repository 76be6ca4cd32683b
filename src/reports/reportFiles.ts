import type { Language } from '../domain/course/course.js';
import type { CoverageService } from '../domain/coverage/coverageService.js';
import { localDate } from '../domain/time/calendar.js';
import type { Clock } from '../domain/time/clock.js';
import { auditCsv } from './auditCsv.js';
import { exportCsvChunks } from './exportCsv.js';

/** The files HR downloads, named after today's date: the coverage export (streamed) and the audit trail. */
export function reportFiles(deps: {
  readonly stores: Parameters<typeof auditCsv>[0];
  readonly coverage: Pick<CoverageService, 'reportRows'>;
  readonly clock: Clock;
  readonly timeZone: string;
}): (
  kind: 'export' | 'audit',
  language: Language,
) => Promise<{ filename: string; body: Buffer | AsyncIterable<Buffer> }> {
  return async (kind, language) => {
    const day = localDate(deps.clock.now(), deps.timeZone);
    if (kind === 'audit')
      return { filename: `postwise-audit-${day}.csv`, body: (await auditCsv(deps.stores, language)).body };
    const names = await deps.stores.settings.versionNames();
    const rows = deps.coverage.reportRows({ includeInactive: true });
    return { filename: `postwise-export-${day}.csv`, body: exportCsvChunks(rows, language, names) };
  };
}
