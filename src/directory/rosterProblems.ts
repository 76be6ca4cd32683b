// What can be wrong with a roster file, and how it reads in English.
import type { RosterRow } from '../domain/roster/roster.js';

/**
 * Something wrong with the file (line 0, or 1 for the header) or with one row (its physical line, the header being line
 * 1).
 */
export interface RosterProblem {
  readonly line: number;
  /** In English, for logs and tests. */
  readonly reason: string;
  /** The same as codes with their values, one per thing wrong in order, for a text in HR's language. */
  readonly issues: readonly RosterIssue[];
}

export type RosterIssueCode =
  | 'too-large'
  | 'utf16'
  | 'not-utf8'
  | 'empty'
  | 'quote-unclosed'
  | 'quote-bad'
  | 'header-twice'
  | 'no-header'
  | 'columns-missing'
  | 'no-rows'
  | 'field-count'
  | 'too-long'
  | 'name-missing'
  | 'email-missing'
  | 'email-invalid'
  | 'email-twice'
  | 'id-invalid'
  | 'id-twice'
  | 'manager-invalid';

/** One thing wrong; `fields` names roster fields (`columns-missing`, `too-long`), `values` the rest. */
export interface RosterIssue {
  readonly code: RosterIssueCode;
  readonly values?: Readonly<Record<string, string | number>>;
  readonly fields?: readonly (keyof RosterRow)[];
}

const FIELD_NAMES: Record<keyof RosterRow, string> = {
  name: 'name',
  email: 'email',
  department: 'department',
  role: 'role',
  aadObjectId: 'Entra object id',
  employeeNumber: 'employee number',
  manager: 'manager',
};

const EXPECTED = 'name, email, department, role (optional: Entra object id, employee number, manager)';

/** The issues with their English text. */
export function rosterProblem(line: number, issues: RosterIssue[]): RosterProblem {
  return { line, reason: capitalise(issues.map(english).join('; ')), issues };
}

function english({ code, values = {}, fields = [] }: RosterIssue): string {
  const v = (name: string) => String(values[name] ?? '');
  const found = v('found') === '' ? 'nothing' : v('found');
  const names = fields.map((f) => FIELD_NAMES[f]).join(', ');
  switch (code) {
    case 'too-large':
      return `The file is ${v('size')} MB; the limit is ${v('max')} MB.`;
    case 'utf16':
      return "The file is UTF-16 (Excel's 'Unicode Text'); save it as 'CSV UTF-8 (Comma delimited)'.";
    case 'not-utf8':
      return "The file is not UTF-8 (accents would come out wrong); save it as 'CSV UTF-8 (Comma delimited)'.";
    case 'empty':
      return 'The file is empty.';
    case 'quote-unclosed':
      return `A quoted field is never closed: the quote opened on line ${v('line')} has no closing quote.`;
    case 'quote-bad':
      return (
        `The quotes on line ${v('line')} are not right: a quoted field must end with a quote followed ` +
        'by the separator or the end of the line.'
      );
    case 'header-twice':
      return `The header has the column '${v('name')}' twice (columns ${v('first')} and ${v('second')}).`;
    case 'no-header':
      return `Line 1 is not a header: expected the columns ${EXPECTED}; found ${found}.`;
    case 'columns-missing':
      return (
        `The header misses the column${fields.length > 1 ? 's' : ''} ${names}; found ${found}. Expected ` +
        `${EXPECTED}.`
      );
    case 'no-rows':
      return 'The file has a header but no employees.';
    case 'field-count':
      return `it has ${v('count')} fields where the header has ${v('total')}`;
    case 'too-long':
      return `${names} is longer than ${v('max')} characters`;
    case 'name-missing':
      return 'name is missing';
    case 'email-missing':
      return 'email is missing';
    case 'email-invalid':
      return 'email is not a valid e-mail address';
    case 'email-twice':
      return `email is the same as on line ${v('line')}`;
    case 'id-invalid':
      return 'Entra object id is not a GUID (like 0f6a6d4e-1b7c-4a59-9a8e-2b1f0c3d4e5f)';
    case 'id-twice':
      return `Entra object id is the same as on line ${v('line')}`;
    case 'manager-invalid':
      return 'manager is neither an e-mail address nor an Entra object id';
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
