import type { Language } from '../domain/course/course.js';
import type { CourseEvent } from '../domain/course/events.js';
import type { EventLog, VersionNameStore } from '../domain/course/ports.js';
import type { RosterStore } from '../domain/roster/ports.js';
import { csvFile, type CsvColumn } from './csvFile.js';

type Acknowledged = Extract<CourseEvent, { type: 'completed' | 'acknowledged' }>;

interface AuditRow {
  readonly event: Acknowledged;
  readonly person?: { readonly name: string; readonly email: string };
  /** The version's name as people saw it; unknown for a version that ran before names were kept. */
  readonly versionName?: string;
}

const COLUMNS: readonly CsvColumn<AuditRow>[] = [
  { header: { en: 'Acknowledged at (UTC)', nl: 'Bevestigd op (UTC)' }, value: (r) => r.event.at },
  { header: { en: 'User id', nl: 'Gebruikers-id' }, value: (r) => r.event.userId },
  { header: { en: 'Name', nl: 'Naam' }, value: (r) => r.person?.name },
  { header: { en: 'Email', nl: 'E-mail' }, value: (r) => r.person?.email },
  { header: { en: 'Policy version', nl: 'Beleidsversie' }, value: (r) => r.versionName },
  { header: { en: 'Policy version (hash)', nl: 'Beleidsversie (hash)' }, value: (r) => r.event.version },
  { header: { en: 'Correct answers', nl: 'Goede antwoorden' }, value: (r) => r.event.correct },
  { header: { en: 'Questions', nl: 'Vragen' }, value: (r) => r.event.total },
];

/** Acknowledgements read from the log at a time. */
const PAGE = 1000;

/**
 * The audit trail: every acknowledgement in the event log, in the order it was made, with the
 * user's id (their Entra object id), when the roster knows them name and e-mail, and the policy
 * version by the name people saw (when kept) beside its hash. Reads the log's acknowledgements a
 * page at a time, never the whole log.
 */
export async function auditCsv(
  stores: {
    readonly events: Pick<EventLog, 'pages'>;
    readonly roster: Pick<RosterStore, 'scan'>;
    readonly settings: Pick<VersionNameStore, 'versionNames'>;
  },
  language: Language = 'en',
): Promise<{ body: Buffer; rows: number }> {
  const names = await stores.settings.versionNames();
  const people = await stores.roster.scan((m) =>
    m.aadObjectId ? ([m.aadObjectId.toLowerCase(), { name: m.name, email: m.email }] as const) : undefined,
  );
  const byId = new Map(people.filter((p) => p !== undefined));
  const rows: AuditRow[] = [];
  for await (const page of stores.events.pages({ type: 'acknowledged' }, PAGE)) {
    for (const event of page) {
      if (event.type !== 'acknowledged') continue;
      rows.push({ event, person: byId.get(event.userId.toLowerCase()), versionName: names[event.version] });
    }
  }
  // A shared log gives them person by person; the sort is stable, so one instance's order stands.
  rows.sort((a, b) => (a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : 0));
  return { body: csvFile(rows, COLUMNS, language), rows: rows.length };
}
