import { CsvError, parse } from 'csv-parse/sync';
import type { RosterRow } from '../domain/roster/roster.js';
import { rosterProblem as problem, type RosterIssue, type RosterProblem } from './rosterProblems.js';

export type { RosterIssue, RosterIssueCode, RosterProblem } from './rosterProblems.js';

/** The largest roster file accepted: about 100,000 employees with room to spare. */
export const MAX_ROSTER_BYTES = 10 * 1024 * 1024;

/** The longest value accepted in any field. */
export const MAX_FIELD_LENGTH = 200;

export interface ParsedRoster {
  /** The valid rows, with the line each came from. */
  readonly rows: { readonly line: number; readonly row: RosterRow }[];
  readonly problems: RosterProblem[];
  /**
   * The valid e-mail addresses of rows left out for problems: importing only the valid rows
   * should not make these people inactive (RosterService `keep`).
   */
  readonly skippedEmails: string[];
}

type Field = keyof RosterRow;

const REQUIRED_COLUMNS: readonly Field[] = ['name', 'email', 'department', 'role'];

/** Header names (lower case, letters and digits only) in English and Dutch, per field. */
const HEADERS: Record<Field, readonly string[]> = {
  name: ['name', 'naam', 'displayname', 'fullname', 'volledigenaam', 'weergavenaam', 'employeename', 'medewerker'],
  email: [
    'email',
    'mail',
    'emailaddress',
    'emailadres',
    'mailadres',
    'workemail',
    'werkemail',
    'userprincipalname',
    'upn',
  ],
  department: ['department', 'afdeling', 'dept', 'team'],
  role: ['role', 'jobtitle', 'title', 'functie', 'functietitel', 'functienaam', 'rol', 'position'],
  aadObjectId: ['entraobjectid', 'objectid', 'aadobjectid', 'azureadobjectid', 'entraid', 'aadid'],
  employeeNumber: ['employeenumber', 'personeelsnummer', 'employeeid', 'employeeno', 'personeelsnr', 'staffnumber'],
  manager: ['manager', 'leidinggevende', 'manageremail', 'managerid', 'emailleidinggevende', 'reportsto'],
};

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The problem with a roster file of this many bytes, if it is too large. */
export function rosterSizeProblem(bytes: number): RosterProblem | undefined {
  if (bytes <= MAX_ROSTER_BYTES) return undefined;
  return problem(0, [{ code: 'too-large', values: { size: megabytes(bytes), max: megabytes(MAX_ROSTER_BYTES) } }]);
}

/**
 * Reads a roster CSV (`,` or `;`, UTF-8 with or without BOM, CRLF or LF) and checks every row.
 * File-level problems come back alone, with no rows; otherwise each bad row is one problem,
 * naming all that is wrong with it, and is left out of `rows`. Problems never repeat values
 * from the file, only line numbers and column names.
 */
export function parseRosterCsv(bytes: Buffer | string): ParsedRoster {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  const tooLarge = rosterSizeProblem(size);
  if (tooLarge) return { rows: [], problems: [tooLarge], skippedEmails: [] };
  const text = decode(bytes);
  if (typeof text !== 'string') return text;
  if (text.trim() === '') return fileProblem(0, { code: 'empty' });

  const end = text.indexOf('\n');
  const headerLine = end === -1 ? text : text.slice(0, end);
  const delimiter = count(headerLine, ';') > count(headerLine, ',') ? ';' : ',';
  const { records, broken } = readRecords(text, delimiter);

  const [header, ...data] = records;
  const [first] = broken;
  if (first && (header === undefined || first.line < header.line))
    return {
      rows: [],
      problems: [{ line: first.line, reason: first.reason, issues: first.issues }],
      skippedEmails: [],
    };
  if (header === undefined) return fileProblem(0, { code: 'empty' });
  const columns = mapHeader(header.record);
  if (!(columns instanceof Map)) return fileProblem(1, columns);

  const rows: ParsedRoster['rows'][number][] = [];
  const problems: RosterProblem[] = broken.map(({ line, reason, issues }) => ({ line, reason, issues }));
  const skippedEmails = broken.flatMap((b) => b.emails);
  const emails = new Map<string, number>();
  const objectIds = new Map<string, number>();
  for (const { record, line } of data) {
    const reasons: RosterIssue[] = [];
    if (record.length !== header.record.length) {
      reasons.push({ code: 'field-count', values: { count: record.length, total: header.record.length } });
    }
    const value = (field: Field) =>
      (columns.get(field) ?? []).map((index) => (record[index] ?? '').trim()).find((v) => v !== '') ?? '';
    const row = {
      name: value('name'),
      email: value('email').toLowerCase(),
      department: value('department'),
      role: value('role'),
      aadObjectId: value('aadObjectId').toLowerCase(),
      employeeNumber: value('employeeNumber'),
      manager: value('manager').toLowerCase(),
    };
    for (const field of Object.keys(row) as Field[]) {
      if (row[field].length > MAX_FIELD_LENGTH)
        reasons.push({ code: 'too-long', fields: [field], values: { max: MAX_FIELD_LENGTH } });
    }
    if (row.name === '') reasons.push({ code: 'name-missing' });
    if (row.email === '') reasons.push({ code: 'email-missing' });
    else if (!EMAIL.test(row.email)) reasons.push({ code: 'email-invalid' });
    else if (emails.has(row.email)) reasons.push({ code: 'email-twice', values: { line: emails.get(row.email) ?? 0 } });
    if (row.aadObjectId !== '' && !GUID.test(row.aadObjectId)) reasons.push({ code: 'id-invalid' });
    else if (row.aadObjectId !== '' && objectIds.has(row.aadObjectId))
      reasons.push({ code: 'id-twice', values: { line: objectIds.get(row.aadObjectId) ?? 0 } });

    if (row.manager !== '' && !EMAIL.test(row.manager) && !GUID.test(row.manager))
      reasons.push({ code: 'manager-invalid' });

    if (row.email !== '' && !emails.has(row.email)) emails.set(row.email, line);
    if (row.aadObjectId !== '' && !objectIds.has(row.aadObjectId)) objectIds.set(row.aadObjectId, line);
    if (reasons.length > 0) {
      problems.push(problem(line, reasons));
      if (EMAIL.test(row.email) && row.email.length <= MAX_FIELD_LENGTH) skippedEmails.push(row.email);
      continue;
    }
    const { aadObjectId, employeeNumber, manager, ...required } = row;
    const optional = { aadObjectId, employeeNumber, manager };
    const given = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== ''));
    rows.push({ line, row: { ...required, ...given } });
  }
  if (rows.length === 0 && problems.length === 0) return fileProblem(0, { code: 'no-rows' });
  return { rows, problems: problems.sort((a, b) => a.line - b.line), skippedEmails };
}

/** The file as text, or the problem with its encoding. */
function decode(bytes: Buffer | string): string | ParsedRoster {
  let text: string;
  if (typeof bytes === 'string') {
    text = bytes;
  } else {
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      return fileProblem(0, { code: 'utf16' });
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fileProblem(0, { code: 'not-utf8' });
    }
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * The columns of each field, most preferred first (an Entra export has both `mail` and
 * `userPrincipalName`: the first non-empty one is the e-mail), or what is wrong with the header.
 */
function mapHeader(header: readonly string[]): Map<Field, number[]> | RosterIssue {
  const seen = new Map<string, number>();
  const matches: { field: Field; rank: number; index: number }[] = [];
  for (const [index, title] of header.entries()) {
    const normalised = title.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (normalised === '') continue;
    const earlier = seen.get(normalised);
    if (earlier !== undefined)
      return {
        code: 'header-twice',
        values: { name: title.trim().slice(0, 40), first: earlier + 1, second: index + 1 },
      };
    seen.set(normalised, index);
    for (const field of Object.keys(HEADERS) as Field[]) {
      const rank = HEADERS[field].indexOf(normalised);
      if (rank !== -1) matches.push({ field, rank, index });
    }
  }
  const columns = new Map<Field, number[]>();
  for (const { field, index } of matches.sort((a, b) => a.rank - b.rank))
    columns.set(field, [...(columns.get(field) ?? []), index]);
  const found = header.map((h) => h.trim()).filter((h) => h !== '');
  const shown = found.map((h) => `'${h.slice(0, 40)}'`).join(', ');
  if (columns.size === 0) return { code: 'no-header', values: { found: shown } };
  const missing = REQUIRED_COLUMNS.filter((f) => !columns.has(f));
  if (missing.length > 0) return { code: 'columns-missing', fields: missing, values: { found: shown } };
  return columns;
}

/** A row whose quotes cannot be read, with the e-mail addresses found on its line. */
interface BrokenRow extends RosterProblem {
  readonly emails: readonly string[];
}

/**
 * The non-blank records with the line each starts on, read one at a time: a row with broken
 * quotes is reported and skipped, and reading goes on at the line after it, so every bad row
 * is listed and no good row after it is lost.
 */
function readRecords(
  text: string,
  delimiter: string,
): { records: { record: string[]; line: number }[]; broken: BrokenRow[] } {
  const lines = text.split('\n');
  const records: { record: string[]; line: number }[] = [];
  const broken: BrokenRow[] = [];
  let start = 0;
  while (start < lines.length) {
    // A record ends on the first line after which its quotes are balanced (a quoted field may hold line breaks).
    let end = start;
    let quotes = count(lines[start] as string, '"');
    while (quotes % 2 === 1 && end + 1 < lines.length) quotes += count(lines[++end] as string, '"');
    const line = start + 1;
    if (quotes === 0) {
      const record = (lines[start] as string).split(delimiter);
      if (!isBlank(record)) records.push({ record, line });
      start += 1;
      continue;
    }
    try {
      const parsed = parse(lines.slice(start, end + 1).join('\n'), {
        delimiter,
        relax_column_count: true,
      });
      for (const record of parsed) if (!isBlank(record)) records.push({ record, line });
      start = end + 1;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const code = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'quote-unclosed' : 'quote-bad';
      broken.push({
        ...problem(line, [{ code, values: { line } }]),
        emails: emailsOn(lines[start] as string, delimiter),
      });
      start += 1;
    }
  }
  return { records, broken };
}

/** The valid e-mail addresses on an unreadable line, so that importing without it makes nobody inactive. */
function emailsOn(line: string, delimiter: string): string[] {
  return line
    .split(delimiter)
    .map((field) => field.replaceAll('"', '').trim().toLowerCase())
    .filter((field) => field.length <= MAX_FIELD_LENGTH && EMAIL.test(field));
}

function isBlank(record: readonly string[]): boolean {
  return record.every((value) => value.trim() === '');
}

function fileProblem(line: number, issue: RosterIssue): ParsedRoster {
  return { rows: [], problems: [problem(line, [issue])], skippedEmails: [] };
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}
