import type { Language } from '../domain/course/course.js';
import type { CourseEvent } from '../domain/course/events.js';
import type { EventLog } from '../domain/course/ports.js';
import type { RosterStore } from '../domain/roster/ports.js';
import { csvFile, type CsvColumn } from './csvFile.js';

type Acknowledged = Extract<CourseEvent, { type: 'completed' | 'acknowledged' }>;

interface AuditRow {
  readonly event: Acknowledged;
  readonly person?: { readonly name: string; readonly email: string };
}

const COLUMNS: readonly CsvColumn<AuditRow>[] = [
  { header: { en: 'Acknowledged at (UTC)', nl: 'Bevestigd op (UTC)' }, value: (r) => r.event.at },
  { header: { en: 'User id', nl: 'Gebruikers-id' }, value: (r) => r.event.userId },
  { header: { en: 'Name', nl: 'Naam' }, value: (r) => r.person?.name },
  { header: { en: 'Email', nl: 'E-mail' }, value: (r) => r.person?.email },
  { header: { en: 'Policy version', nl: 'Beleidsversie' }, value: (r) => r.event.version },
  { header: { en: 'Correct answers', nl: 'Goede antwoorden' }, value: (r) => r.event.correct },
  { header: { en: 'Questions', nl: 'Vragen' }, value: (r) => r.event.total },
];

/**
 * The audit trail: every acknowledgement in the event log, in the order it was made, with the
 * user's id (their Entra object id) and, when the roster knows them, name and e-mail.
 */
export async function auditCsv(stores: { readonly events: Pick<EventLog, 'list'>; readonly roster: Pick<RosterStore, 'scan'> }, language: Language = 'en'): Promise<{ body: Buffer; rows: number }> {
  const [events, people] = await Promise.all([
    stores.events.list(),
    stores.roster.scan((m) => (m.aadObjectId ? ([m.aadObjectId.toLowerCase(), { name: m.name, email: m.email }] as const) : undefined)),
  ]);
  const byId = new Map(people.filter((p) => p !== undefined));
  const rows = events
    .filter((e): e is Acknowledged => e.type === 'acknowledged')
    .map((event) => ({ event, person: byId.get(event.userId.toLowerCase()) }));
  return { body: csvFile(rows, COLUMNS, language), rows: rows.length };
}
