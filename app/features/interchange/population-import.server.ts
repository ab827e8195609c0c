import { FileError, readPopulations, readTable, type Encoding, type Layout } from "../../../billing/population-file";
import { db, transaction } from "../../../db/client";
import { writeAudit } from "../../../db/audit";
import * as membersDb from "../../../db/members";
import * as importsDb from "../../../db/population-imports";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { population as populationSchema } from "../../lib/schemas";
import { authorize } from "../../../billing/policy";

/*
 * Population import from Statistics Sweden's files as published (docs/scb-import.md), for the page and the API:
 * reading a file stores its preview (old → new figure per member, every unreadable row with its line, the
 * non-members skipped and counted); applying stores exactly that preview, all or nothing.
 */

export type ImportStatus = "update" | "unchanged" | "not_member" | "error";

export interface ImportRow {
  line: number;
  code: string;
  name: string;
  population: number | null;
  memberId: number | null;
  memberName: string | null;
  /** The member's figure for the year when previewed (null: none yet). */
  current: number | null;
  status: ImportStatus;
  message: string | null;
}

export interface ImportPreview {
  id: number;
  year: number;
  layout: Layout;
  encoding: string;
  status: "preview" | "applied";
  appliedAt: string | null;
  rows: ImportRow[];
  errors: number;
  toApply: number;
  notMembers: number;
  regionsSkipped: number;
}

/** The upload limit of a population file until the shared body limit exists (SCB's whole table is ~60 kB). */
export { UPLOAD_MAX_BYTES as MAX_FILE_BYTES } from "../../lib/upload-limits";
const MAX_ROWS = 5000;

// The form's own limit for a figure, so the file and the form never disagree.
const figureRule = populationSchema("Invånarantalet");
function checkPopulation(n: number): string | null {
  const parsed = figureRule.safeParse(n);
  return parsed.success ? null : parsed.error.issues[0].message;
}

/** Reads the file and stores its preview; a file that cannot be read at all is refused whole (422, nothing stored). */
export async function previewPopulationImport(scope: Scope, bytes: Uint8Array, year: number): Promise<ImportPreview> {
  authorize(scope, "population.import");
  let file;
  let encoding: Encoding;
  try {
    const table = await readTable(bytes);
    encoding = table.encoding;
    file = readPopulations(table.rows, year, checkPopulation);
  } catch (error) {
    if (error instanceof FileError)
      throw new DomainError("validation", "unreadable_file", error.message, { file: error.message });
    throw error;
  }
  if (file.rows.length > MAX_ROWS) {
    throw new DomainError("validation", "validation_failed", "För många rader", {
      file: `Filen har ${file.rows.length} rader; högst ${MAX_ROWS}`,
    });
  }
  const id = transaction((tx) => {
    const lines = file.rows.map((r): importsDb.PopulationImportLineInsert => {
      if (r.error !== undefined)
        return {
          line: r.line,
          code: r.code,
          name: r.name,
          population: null,
          memberId: null,
          current: null,
          status: "error",
          message: r.error,
        };
      const member = membersDb.findMemberByCode(tx, r.code);
      if (!member)
        return {
          line: r.line,
          code: r.code,
          name: r.name,
          population: r.population,
          memberId: null,
          current: null,
          status: "not_member",
          message: null,
        };
      const current = membersDb.getPopulation(tx, member.id, year) ?? null;
      return {
        line: r.line,
        code: r.code,
        name: r.name,
        population: r.population,
        memberId: member.id,
        current,
        status: current === r.population ? "unchanged" : "update",
        message: null,
      };
    });
    return importsDb.insertImport(
      tx,
      {
        year,
        layout: file.layout,
        encoding,
        regionsSkipped: file.regionsSkipped,
        createdAt: new Date().toISOString(),
        createdBy: scope.userId,
      },
      lines,
    ).id;
  });
  return getPopulationImport(id)!;
}

export function getPopulationImport(id: number, tx = db()): ImportPreview | undefined {
  const head = importsDb.getImport(tx, id);
  if (!head) return undefined;
  const names = new Map(membersDb.listPublicMembers(tx).map((m) => [m.id, m.name]));
  const rows: ImportRow[] = importsDb.linesOfImport(tx, id).map((l) => ({
    line: l.line,
    code: l.code,
    name: l.name,
    population: l.population,
    memberId: l.memberId,
    memberName: l.memberId === null ? null : (names.get(l.memberId) ?? null),
    current: l.current,
    status: l.status,
    message: l.message,
  }));
  return {
    id: head.id,
    year: head.year,
    layout: head.layout,
    encoding: head.encoding,
    status: head.status,
    appliedAt: head.appliedAt,
    rows,
    errors: rows.filter((r) => r.status === "error").length,
    toApply: rows.filter((r) => r.status === "update").length,
    notMembers: rows.filter((r) => r.status === "not_member").length,
    regionsSkipped: head.regionsSkipped,
  };
}

/**
 * Stores the previewed figures in one transaction, or nothing: 409 when a row is in error, when the preview was
 * applied already, or when a member's figure changed after the preview (someone typed one in meanwhile).
 */
export function applyPopulationImport(scope: Scope, id: number): { applied: number } {
  authorize(scope, "population.import");
  return transaction((tx) => {
    const preview = getPopulationImport(id, tx);
    if (!preview) throw new DomainError("not_found", "not_found", "Importen finns inte");
    if (preview.status === "applied")
      throw new DomainError(
        "conflict",
        "already_applied",
        `Importen sparades redan ${preview.appliedAt?.slice(0, 10)}`,
      );
    if (preview.errors > 0) {
      throw new DomainError(
        "conflict",
        "rows_in_error",
        `Filen har ${preview.errors} felaktiga rader; inget har sparats. Rätta filen och läs in den igen.`,
      );
    }
    const updates = preview.rows.filter((r) => r.status === "update");
    const stale = updates.filter((r) => (membersDb.getPopulation(tx, r.memberId!, preview.year) ?? null) !== r.current);
    if (stale.length > 0) {
      throw new DomainError(
        "conflict",
        "changed_since_preview",
        `Invånarantalet för ${stale.map((r) => r.memberName).join(", ")} har ändrats sedan förhandsgranskningen; läs in filen igen.`,
      );
    }
    for (const row of updates) {
      membersDb.upsertPopulation(tx, row.memberId!, preview.year, row.population!);
      writeAudit(tx, scope, {
        action: row.current === null ? "population.set" : "population.correct",
        entity: "population",
        entityId: `${row.memberId}:${preview.year}`,
        before: row.current === null ? undefined : { year: preview.year, population: row.current },
        after: { year: preview.year, population: row.population, source: `import ${id}` },
      });
    }
    if (!importsDb.markApplied(tx, id, scope.userId, new Date().toISOString())) {
      throw new DomainError("conflict", "already_applied", "Importen sparades redan");
    }
    writeAudit(tx, scope, {
      action: "population_import.apply",
      entity: "population_import",
      entityId: id,
      after: { year: preview.year, applied: updates.length, layout: preview.layout },
    });
    return { applied: updates.length };
  });
}

/** The API's view of a preview (the row fields of docs/api.md, plus the counts). */
export function importJson(p: ImportPreview) {
  return {
    id: p.id,
    year: p.year,
    status: p.status,
    layout: p.layout,
    encoding: p.encoding,
    toApply: p.toApply,
    errors: p.errors,
    notMembers: p.notMembers,
    regionsSkipped: p.regionsSkipped,
    rows: p.rows.map((r) => ({
      line: r.line,
      code: r.code,
      name: r.name,
      population: r.population,
      current: r.current,
      memberId: r.memberId,
      status: r.status,
      message: r.message,
    })),
  };
}
