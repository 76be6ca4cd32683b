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
  return Buffer.concat([header(columns, language), lines(rows, columns, language)]);
}

/** The same file as csvFile, made and handed out a few hundred rows at a time. */
export async function* csvChunks<T>(
  rows: AsyncIterable<T>,
  columns: readonly CsvColumn<T>[],
  language: Language = 'en',
): AsyncGenerator<Buffer> {
  yield header(columns, language);
  let batch: T[] = [];
  let size = FIRST_CHUNK_ROWS;
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield lines(batch, columns, language);
      batch = [];
      size = CHUNK_ROWS;
    }
  }
  if (batch.length > 0) yield lines(batch, columns, language);
}

/** Rows per chunk of a streamed file; the first chunk is smaller, so that the download starts at once. */
const CHUNK_ROWS = 500;
const FIRST_CHUNK_ROWS = 20;

function header<T>(columns: readonly CsvColumn<T>[], language: Language): Buffer {
  return text([columns.map((c) => c.header[language])], language, true);
}

function lines<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], language: Language): Buffer {
  return text(
    rows.map((row) => columns.map((c) => c.value(row, language) ?? '')),
    language,
    false,
  );
}

function text(records: (string | number)[][], language: Language, bom: boolean): Buffer {
  return Buffer.from(
    stringify(records, {
      bom,
      record_delimiter: 'windows',
      delimiter: language === 'nl' ? ';' : ',',
      escape_formulas: true,
    }),
    'utf8',
  );
}

/** yes / no / empty (unknown) in the file's language. */
export function yesNo(value: boolean | undefined, language: Language): string {
  if (value === undefined) return '';
  if (language === 'nl') return value ? 'ja' : 'nee';
  return value ? 'yes' : 'no';
}
