import { parseMunicipalityCode } from "../../billing/identifiers";
import { db, transaction } from "../../db/client";
import { writeAudit } from "../../db/audit";
import * as membersDb from "../../db/members";
import type { Scope } from "../../db/scope";
import { DomainError } from "../lib/http.server";
import { MAX_POPULATION } from "../lib/schemas";

/*
 * Population import from Statistics Sweden's yearly list, in the layout of data/municipalities-2024.csv:
 * `code,name,county,population` (a header row; `county` is optional; comma or semicolon separated). Rows for
 * municipalities that are not members are skipped — the full list has 290 — while every malformed row is an
 * error and blocks the whole import: it is applied all or nothing.
 */
export interface ImportRow {
  line: number;
  code: string;
  name: string;
  population: number | null;
  status: "new" | "changed" | "unchanged" | "not_member" | "error";
  memberId: number | null;
  memberName: string | null;
  current: number | null;
  message: string | null;
}

export interface ImportPreview {
  year: number;
  rows: ImportRow[];
  errors: number;
  toApply: number;
}

const MAX_ROWS = 5000;

function splitLine(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      cells.push(cell.trim());
      cell = "";
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

export function previewPopulationImport(csv: string, year: number): ImportPreview {
  const text = csv.replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  const headerLine = lines[0] ?? "";
  const sep = headerLine.includes(";") && !headerLine.includes(",") ? ";" : ",";
  const header = splitLine(headerLine, sep).map((h) => h.toLowerCase());
  const col = {
    code: header.indexOf("code"),
    name: header.indexOf("name"),
    population: header.indexOf("population"),
  };
  if (col.code < 0 || col.population < 0) {
    throw new DomainError(422, "validation_failed", "Filen saknar kolumnerna code och population", {
      file: "Första raden ska vara rubrikerna code,name,county,population",
    });
  }
  const dataLines = lines.slice(1).map((l, i) => ({ line: i + 2, text: l })).filter((l) => l.text.trim() !== "");
  if (dataLines.length === 0) {
    throw new DomainError(422, "validation_failed", "Filen innehåller inga rader", { file: "Filen innehåller inga rader" });
  }
  if (dataLines.length > MAX_ROWS) {
    throw new DomainError(422, "validation_failed", "För många rader", { file: `Högst ${MAX_ROWS} rader` });
  }

  const tx = db();
  const seen = new Set<string>();
  const rows: ImportRow[] = dataLines.map(({ line, text: l }) => {
    const cells = splitLine(l, sep);
    const rawCode = cells[col.code] ?? "";
    const name = col.name >= 0 ? (cells[col.name] ?? "") : "";
    const rawPopulation = (cells[col.population] ?? "").replace(/[\s\u00a0]/g, "");
    const row: ImportRow = { line, code: rawCode, name, population: null, status: "error", memberId: null, memberName: null, current: null, message: null };
    const code = parseMunicipalityCode(rawCode);
    if (!code.ok) return { ...row, message: code.message };
    if (seen.has(code.value)) return { ...row, message: `Kommunkoden ${code.value} förekommer flera gånger i filen` };
    seen.add(code.value);
    if (!/^\d{1,8}$/.test(rawPopulation)) {
      return { ...row, message: `Invånarantalet ”${cells[col.population] ?? ""}” är inte ett heltal` };
    }
    const population = Number(rawPopulation);
    // The same ceiling as the population field of the forms and the API.
    if (population > MAX_POPULATION) {
      return { ...row, message: `Invånarantalet ${rawPopulation} är större än ${String(MAX_POPULATION).replace(/\B(?=(\d{3})+$)/g, " ")}` };
    }
    const member = membersDb.findMemberByCode(tx, code.value);
    if (!member) return { ...row, code: code.value, population, status: "not_member", message: "Inte medlem: hoppas över" };
    const current = membersDb.getPopulation(tx, member.id, year) ?? null;
    return {
      ...row,
      code: code.value,
      population,
      memberId: member.id,
      memberName: member.name,
      current,
      status: current === null ? "new" : current === population ? "unchanged" : "changed",
    };
  });
  return {
    year,
    rows,
    errors: rows.filter((r) => r.status === "error").length,
    toApply: rows.filter((r) => r.status === "new" || r.status === "changed").length,
  };
}

/** Applies an import in one transaction; refuses the whole file if any row is in error. */
export function applyPopulationImport(scope: Scope, csv: string, year: number): ImportPreview {
  const preview = previewPopulationImport(csv, year);
  if (preview.errors > 0) {
    throw new DomainError(422, "validation_failed", `Filen har ${preview.errors} felaktiga rader; inget har sparats`, {
      file: `Rätta de ${preview.errors} felaktiga raderna och försök igen`,
    });
  }
  transaction((tx) => {
    for (const row of preview.rows) {
      if (row.status !== "new" && row.status !== "changed") continue;
      membersDb.upsertPopulation(tx, row.memberId!, year, row.population!);
      writeAudit(tx, scope, {
        action: row.status === "new" ? "population.set" : "population.correct",
        entity: "population",
        entityId: `${row.memberId}:${year}`,
        before: row.current === null ? undefined : { year, population: row.current },
        after: { year, population: row.population, source: "import" },
      });
    }
  });
  return preview;
}
