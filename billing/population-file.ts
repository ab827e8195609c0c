import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import type { PopulationFileLayout } from "./enums";
import { readCsvRecords } from "./csv";
import { parseMunicipalityCode } from "./identifiers";

/*
 * Statistics Sweden's population files as published (docs/scb-import.md): bytes in, a table of cells out
 * (readTable), then the layout found and each row read into a municipality's figure or an error with its line
 * (readPopulations). No database: which rows are members is the caller's business.
 */

export type Encoding = "utf-8" | "utf-8-bom" | "windows-1252" | "xlsx";
export type Layout = PopulationFileLayout;

/** One row of the file as cells of text, with the line (CSV) or row number (XLSX) a person sees. */
export interface TableRow {
  line: number;
  cells: string[];
}

export class FileError extends Error {}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isXlsx(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise Windows-1252: SCB's older CSV exports
 * and Excel's "CSV (semikolonavgränsad)" on Swedish Windows are 1252, and 1252 text with å/ä/ö is never valid UTF-8.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Exclude<Encoding, "xlsx"> } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(3)), encoding: "utf-8-bom" };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "windows-1252"), encoding: "windows-1252" };
  }
}

function parseWith(text: string, delimiter: string): TableRow[] | null {
  try {
    return readCsvRecords(text, delimiter);
  } catch {
    return null;
  }
}

/**
 * The separator is the one that splits the most rows into two or more cells (ties: the most cells): a title row
 * such as "Folkmängd i riket, län och kommuner 31 december 2024" has a comma even in a semicolon file.
 */
export function readCsv(text: string): TableRow[] {
  let best: { rows: TableRow[]; split: number; cells: number } | null = null;
  for (const delimiter of [";", "\t", ","]) {
    const rows = parseWith(text, delimiter);
    if (!rows) continue;
    const split = rows.filter((r) => r.cells.length >= 2).length;
    const cells = rows.reduce((n, r) => n + r.cells.length, 0);
    if (!best || split > best.split || (split === best.split && cells > best.cells)) best = { rows, split, cells };
  }
  if (!best) throw new FileError("Filen går inte att läsa som CSV (ett citattecken saknar sin motpart?)");
  return best.rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === "string") return value.trim();
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ("richText" in value)
    return value.richText
      .map((t) => t.text)
      .join("")
      .trim();
  if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
  if ("text" in value) return String(value.text).trim();
  if ("error" in value) return String(value.error);
  return "";
}

/** The first worksheet of an XLSX file; the row numbers are Excel's. */
export async function readXlsx(bytes: Uint8Array): Promise<TableRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new FileError("Filen ser ut som en XLSX-fil men går inte att öppna");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new FileError("XLSX-filen har inget kalkylblad");
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // index 0 is unused by exceljs
    const cells = values.slice(1).map(cellText);
    while (cells.length && cells[cells.length - 1] === "") cells.pop();
    if (cells.some((c) => c !== "")) rows.push({ line: rowNumber, cells });
  });
  return rows;
}

export async function readTable(bytes: Uint8Array): Promise<{ rows: TableRow[]; encoding: Encoding }> {
  if (bytes.length === 0) throw new FileError("Filen är tom");
  if (isXlsx(bytes)) return { rows: await readXlsx(bytes), encoding: "xlsx" };
  const { text, encoding } = decodeText(bytes);
  if (/\u0000/.test(text)) throw new FileError("Filen är varken CSV eller XLSX (den innehåller binära data)");
  return { rows: readCsv(text), encoding };
}

// Layouts --------------------------------------------------------------------------------------------------------

export type PopulationLine =
  | { line: number; code: string; name: string; population: number; error?: undefined }
  | { line: number; code: string; name: string; population: null; error: string };

export interface PopulationFile {
  layout: Layout;
  rows: PopulationLine[];
  /** Rows for Riket and the counties (län): part of SCB's tables, never a municipality. */
  regionsSkipped: number;
}

interface Columns {
  layout: Layout;
  headerIndex: number;
  code: number | null; // null: the code is the start of the name cell ("0114 Upplands Väsby")
  name: number;
  population: number;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

/** The column of the year's figure among the population columns: the one naming the year, or the only one. */
function populationColumn(cells: string[], candidates: number[], year: number): number | string {
  if (candidates.length === 0) return "ingen kolumn med folkmängd";
  const withYear = candidates.filter((i) => new RegExp(`(^|\\D)${year}(\\D|$)`).test(cells[i]));
  if (withYear.length === 1) return withYear[0];
  if (withYear.length === 0 && candidates.length === 1 && !/\d{4}/.test(cells[candidates[0]])) return candidates[0];
  const named = candidates.map((i) => `”${cells[i]}”`).join(", ");
  return withYear.length > 1 ? `flera kolumner för ${year}: ${named}` : `ingen kolumn för ${year} (filen har ${named})`;
}

function findColumns(rows: TableRow[], year: number): Columns {
  const problems: string[] = [];
  for (let h = 0; h < Math.min(rows.length, 30); h++) {
    const cells = rows[h].cells.map(norm);
    // Today's simple file: code,name,county,population.
    if (cells.includes("code") && cells.includes("population")) {
      return {
        layout: "simple",
        headerIndex: h,
        code: cells.indexOf("code"),
        name: cells.indexOf("name"),
        population: cells.indexOf("population"),
      };
    }
    // PxWeb's CSV: "region","2024" (or "Folkmängd 2024"); the region cell is "0114 Upplands Väsby".
    if (cells[0] === "region") {
      const candidates = cells.map((c, i) => (i > 0 && /^(folkmängd )?\d{4}$/.test(c) ? i : -1)).filter((i) => i > 0);
      const col = populationColumn(rows[h].cells, candidates, year);
      if (typeof col === "string") problems.push(`Rad ${rows[h].line}: ${col}`);
      else return { layout: "pxweb", headerIndex: h, code: null, name: 0, population: col };
      continue;
    }
    // SCB's table: title rows, then a header with Kod / Kommun(namn) / Folkmängd.
    const code = cells.findIndex((c) => /^(kommun|läns|kommun-\/läns|kommun- och läns)?-?kod$/.test(c) || c === "kod");
    const name = cells.findIndex((c) => /^(kommun|kommunnamn|namn|kommun\/län|region)$/.test(c));
    const candidates = cells.map((c, i) => (c.startsWith("folkmängd") ? i : -1)).filter((i) => i >= 0);
    if (name >= 0 && candidates.length > 0) {
      const col = populationColumn(rows[h].cells, candidates, year);
      if (typeof col === "string") problems.push(`Rad ${rows[h].line}: ${col}`);
      else return { layout: "scb_table", headerIndex: h, code: code >= 0 ? code : null, name, population: col };
    }
  }
  throw new FileError(
    problems[0] ??
      'Känner inte igen filen: väntade SCB:s tabell (Kod, Kommun, Folkmängd), en CSV från SCB:s statistikdatabas ("region","2024") eller code,name,county,population',
  );
}

/** "611 432", "611 432" (no-break space), "611432" or an XLSX number: a whole number; anything else null. */
export function parseFigure(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}([ \u00a0\u202f]\d{3})*$/.test(t) && !/^\d{1,9}$/.test(t)) return null;
  return Number(t.replace(/[ \u00a0\u202f]/g, ""));
}

/**
 * Reads the rows below the header into figures. `checkPopulation` is the app's one rule for the range of a
 * population figure (the same as the form's), so the limit is not written twice. A row that cannot be read
 * is an error with its line; rows for Riket and the counties are skipped and counted; a code met twice is an
 * error on the second line.
 */
export function readPopulations(
  rows: TableRow[],
  year: number,
  checkPopulation: (n: number) => string | null,
): PopulationFile {
  const cols = findColumns(rows, year);
  const out: PopulationLine[] = [];
  const seen = new Map<string, number>();
  let regionsSkipped = 0;
  for (const row of rows.slice(cols.headerIndex + 1)) {
    const cell = (i: number | null) => (i === null || i < 0 ? "" : (row.cells[i] ?? "").trim());
    let rawCode = cell(cols.code);
    let name = cell(cols.name);
    const rawFigure = cell(cols.population);
    if (cols.code === null) {
      const m = /^(\d+)\s+(.*)$/.exec(name);
      if (m) [rawCode, name] = [m[1], m[2]];
      else if (/^\d+$/.test(name)) [rawCode, name] = [name, ""];
    }
    // SCB's tables end in notes ("Uppgifterna avser …", "Källa: SCB"): no figure and no code, only text. The
    // simple file has no notes, so there a row with anything in it is read.
    if (!rawFigure && !/^\d/.test(rawCode) && (cols.layout !== "simple" || (!rawCode && !name))) continue;
    // Riket (code 00 or none) and the counties (two-digit codes, "Stockholms län").
    if (/^riket$/i.test(name) || /^riket$/i.test(rawCode) || /^\d{1,2}$/.test(rawCode)) {
      regionsSkipped++;
      continue;
    }
    const error = (message: string): PopulationLine => ({
      line: row.line,
      code: rawCode,
      name,
      population: null,
      error: message,
    });
    const code = parseMunicipalityCode(rawCode);
    if (!code.ok) {
      out.push(error(rawCode ? `${code.message} (”${rawCode}”)` : "Kommunkoden saknas"));
      continue;
    }
    const first = seen.get(code.value);
    if (first !== undefined) {
      out.push({ ...error(`Kommunkoden ${code.value} står redan på rad ${first}`), code: code.value });
      continue;
    }
    seen.set(code.value, row.line);
    const figure = parseFigure(rawFigure);
    if (figure === null) {
      out.push({
        ...error(rawFigure ? `Invånarantalet ”${rawFigure}” är inte ett heltal` : "Invånarantalet saknas"),
        code: code.value,
      });
      continue;
    }
    const rangeError = checkPopulation(figure);
    if (rangeError) {
      out.push({ ...error(rangeError), code: code.value });
      continue;
    }
    out.push({ line: row.line, code: code.value, name, population: figure });
  }
  if (out.length === 0) throw new FileError("Filen har inga rader med kommuner");
  return { layout: cols.layout, rows: out, regionsSkipped };
}
