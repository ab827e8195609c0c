import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { Decimal, type Ore } from "./money";

/*
 * Every CSV the app writes or reads goes through this module: csv-stringify writes, csv-parse reads, nothing splits
 * lines or joins cells by hand (docs/csv-exports.md).
 *
 * The CSV files the app hands out (docs/csv-exports.md): typed cells in, the file's text out. Text cells are
 * neutralised against formula injection; numbers are written the way the reader's spreadsheet reads numbers:
 * with a decimal comma when the separator is ";" (Swedish Excel's list separator, whose decimal sign is ","),
 * with a point when it is ",". csv-stringify does the quoting.
 */
export type CsvSeparator = ";" | ",";

export type CsvCell =
  | string // text, e.g. a member's name: neutralised
  | { ore: Ore } // an amount in öre, written as kronor with two decimals
  | { decimal: string } // a decimal we computed ("33.5", "12.34"), written with the file's decimal sign
  | { integer: number }
  | null; // empty

/**
 * OWASP's rule for CSV injection: a cell that begins with =, +, -, @, a tab or a carriage return is taken by
 * Excel, LibreOffice and Google Sheets as the start of a formula (the tab and CR because the programs skip them
 * first). Prefixing a single quote makes the cell text in all of them, and the quote is visible, so nothing is
 * hidden from the reader. Only text from people is passed here: numbers we write ourselves (a negative amount of
 * a credit note) go through the typed cells and stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A decimal string with the file's decimal sign: "-12.50" → "-12,50" for ";". */
export function withDecimalSign(decimal: string, separator: CsvSeparator): string {
  if (!/^-?\d+(\.\d+)?$/.test(decimal)) throw new RangeError(`not a decimal: ${decimal}`);
  return separator === ";" ? decimal.replace(".", ",") : decimal;
}

export function cellText(cell: CsvCell, separator: CsvSeparator): string {
  if (cell === null) return "";
  if (typeof cell === "string") return neutraliseCell(cell);
  if ("ore" in cell) {
    if (!Number.isSafeInteger(cell.ore)) throw new RangeError(`not a whole number of öre: ${cell.ore}`);
    return withDecimalSign(new Decimal(cell.ore).dividedBy(100).toFixed(2), separator);
  }
  if ("decimal" in cell) return withDecimalSign(cell.decimal, separator);
  if (!Number.isSafeInteger(cell.integer)) throw new RangeError(`not an integer: ${cell.integer}`);
  return String(cell.integer);
}

/**
 * The whole file: a header row (text), the rows, CRLF line ends (RFC 4180, what Excel writes) and a UTF-8 BOM,
 * without which Excel opens a UTF-8 file as Windows-1252 and å, ä, ö come out garbled.
 */
export function writeCsv(header: string[], rows: CsvCell[][], separator: CsvSeparator): string {
  const records = [header.map(neutraliseCell), ...rows.map((r) => r.map((c) => cellText(c, separator)))];
  return "\uFEFF" + stringify(records, { delimiter: separator, record_delimiter: "\r\n", quoted_match: /^'/ });
}

/** `?sep=comma` asks for a comma-separated file with decimal points; anything else is the Swedish default. */
export function separatorFromQuery(value: string | null): CsvSeparator {
  return value === "comma" || value === "," ? "," : ";";
}

// Reading ---------------------------------------------------------------------------------------------------------

/** One record of a CSV text: its cells, and the line it ends on, as a person sees the file. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * The records of a CSV text written by people (a population file, docs/scb-import.md): rows may have any number
 * of cells, blank lines are skipped and cells trimmed. Throws (csv-parse's error) on a quote without its pair.
 */
export function readCsvRecords(text: string, delimiter: string): CsvRecord[] {
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  return records.map((r) => ({ line: r.info.lines, cells: r.record }));
}

/**
 * A CSV file with a header row as one object per row, keyed by the header's names (the reference data in data/,
 * e.g. municipalities-2024.csv). A BOM is dropped; a row with another number of cells than the header throws.
 */
export function readCsvObjects(text: string, delimiter = ","): Array<Record<string, string>> {
  return parse(text, { bom: true, columns: true, skip_empty_lines: true, delimiter }) as Array<Record<string, string>>;
}
