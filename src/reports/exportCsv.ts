import type { Language } from '../domain/course/course.js';
import type { MemberReport } from '../domain/coverage/coverageService.js';
import type { MemberStatus } from '../domain/course/progress.js';
import { csvChunks, csvFile, yesNo, type CsvColumn } from './csvFile.js';

const STATUS: Readonly<Record<Language, Record<MemberStatus, string>>> = {
  en: {
    'not-started': 'not started',
    'in-progress': 'in progress',
    'needs-reacknowledge': 'needs to re-acknowledge',
    'renewal-due': 'renewal due',
    completed: 'completed',
  },
  nl: {
    'not-started': 'niet begonnen',
    'in-progress': 'bezig',
    'needs-reacknowledge': 'moet opnieuw bevestigen',
    'renewal-due': 'moet bevestiging vernieuwen',
    completed: 'afgerond',
  },
};

/** A report with the name of its acknowledged version, when known. */
type Row = MemberReport & { readonly versionName?: string };

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: { en: 'Name', nl: 'Naam' }, value: (r) => r.member.name },
  { header: { en: 'Email', nl: 'E-mail' }, value: (r) => r.member.email },
  { header: { en: 'Department', nl: 'Afdeling' }, value: (r) => r.member.department },
  { header: { en: 'Role', nl: 'Functie' }, value: (r) => r.member.role },
  { header: { en: 'On roster', nl: 'In personeelsbestand' }, value: (r, l) => yesNo(r.member.active, l) },
  { header: { en: 'Status', nl: 'Status' }, value: (r, l) => STATUS[l][r.status] },
  { header: { en: 'Due', nl: 'Uiterlijk' }, value: (r) => r.due },
  { header: { en: 'Overdue', nl: 'Te laat' }, value: (r, l) => yesNo(r.overdue, l) },
  { header: { en: 'Lessons done', nl: 'Lessen gedaan' }, value: (r) => r.lessonsDone },
  { header: { en: 'Lessons in course', nl: 'Lessen in cursus' }, value: (r) => r.lessonsTotal },
  { header: { en: 'Correct answers', nl: 'Goede antwoorden' }, value: (r) => r.correct },
  { header: { en: 'Questions answered', nl: 'Vragen beantwoord' }, value: (r) => r.answered },
  {
    header: { en: 'First-try score', nl: 'Score eerste poging' },
    value: (r) => (r.answered === 0 ? undefined : `${Math.round((r.correct / r.answered) * 100)}%`),
  },
  { header: { en: 'Mastered at (UTC)', nl: 'Alles goed beantwoord op (UTC)' }, value: (r) => r.masteredAt },
  { header: { en: 'Acknowledged version', nl: 'Bevestigde versie' }, value: (r) => r.versionName },
  {
    header: { en: 'Acknowledged version (hash)', nl: 'Bevestigde versie (hash)' },
    value: (r) => r.acknowledgedVersion,
  },
  { header: { en: 'Acknowledged at (UTC)', nl: 'Bevestigd op (UTC)' }, value: (r) => r.acknowledgedAt },
  { header: { en: 'Acknowledgement lapses', nl: 'Bevestiging verloopt' }, value: (r) => r.lapsesOn },
  { header: { en: 'Last activity (UTC)', nl: 'Laatste activiteit (UTC)' }, value: (r) => r.lastActivityAt },
  { header: { en: 'Reachable', nl: 'Bereikbaar' }, value: (r, l) => yesNo(r.reachable, l) },
  { header: { en: 'Why not reachable', nl: 'Waarom niet bereikbaar' }, value: (r) => r.unreachableReason },
  {
    header: { en: 'Lessons changed since acknowledged', nl: 'Lessen gewijzigd sinds bevestiging' },
    value: (r) => r.lessonsChanged,
  },
];

/**
 * HR's export: one row per member in the order given (CoverageService.reports with
 * includeInactive lists everyone on the roster, people who left last with "On roster" no).
 * Status is the course status; lessons changed is, for those who need to re-acknowledge, how many
 * lessons changed since their latest acknowledgement; the first-try score is correct first answers out of questions
 * answered, as a whole percentage; mastered at is when every question had been answered
 * correctly once (empty until then);
 * times are ISO 8601 in UTC; Reachable is empty until a message to the person was tried; the
 * acknowledged version is named as people saw it (`names`, by version; empty when not kept), its
 * hash beside it.
 */
export function exportCsv(
  reports: readonly MemberReport[],
  language: Language = 'en',
  names: VersionNames = {},
): Buffer {
  return csvFile(
    reports.map((r) => named(r, names)),
    COLUMNS,
    language,
  );
}

/** The same file as exportCsv, streamed: a few hundred rows at a time as the reports come. */
export function exportCsvChunks(
  reports: AsyncIterable<MemberReport>,
  language: Language = 'en',
  names: VersionNames = {},
): AsyncGenerator<Buffer> {
  return csvChunks(withNames(reports, names), COLUMNS, language);
}

type VersionNames = Readonly<Record<string, string>>;

function named(report: MemberReport, names: VersionNames): Row {
  const name = report.acknowledgedVersion === undefined ? undefined : names[report.acknowledgedVersion];
  return name === undefined ? report : { ...report, versionName: name };
}

async function* withNames(reports: AsyncIterable<MemberReport>, names: VersionNames): AsyncGenerator<Row> {
  for await (const report of reports) yield named(report, names);
}
