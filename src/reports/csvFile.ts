import { stringify } from 'csv-stringify/sync';
import type { Language } from '../domain/course/course.js';

/** One column of a CSV file: its header per language and how a row fills it. */
export interface CsvColumn<T> {
  readonly header: Readonly<Record<Language, string>>;
  readonly value: (row: T, language: Language) => string | number | undefined;
}

/**
 * An Excel-ready CSV file: UTF-8 with a byte order mark, CRLF line ends, and any cell that
 * starts with =, +, -, @, tab or CR prefixed with ' so that Excel never runs it as a formula.
 * English files are comma separated; Dutch ones semicolon separated, as Dutch Excel expects.
 */
export function csvFile<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], language: Language = 'en'): Buffer {
  const records = [columns.map((c) => c.header[language]), ...rows.map((row) => columns.map((c) => c.value(row, language) ?? ''))];
  const text = stringify(records, { bom: true, record_delimiter: 'windows', delimiter: language === 'nl' ? ';' : ',', escape_formulas: true });
  return Buffer.from(text, 'utf8');
}

/** yes / no / empty (unknown) in the file's language. */
export function yesNo(value: boolean | undefined, language: Language): string {
  if (value === undefined) return '';
  if (language === 'nl') return value ? 'ja' : 'nee';
  return value ? 'yes' : 'no';
}
