import { and, asc, eq } from "drizzle-orm";
import type { Db } from "./client";
import { populationImportRows, populationImports } from "./schema";

/* The stored previews of SCB population files (docs/scb-import.md). Board only: the caller checks the role. */

export type PopulationImportRow = typeof populationImports.$inferSelect;
export type PopulationImportLine = typeof populationImportRows.$inferSelect;
export type PopulationImportLineInsert = Omit<typeof populationImportRows.$inferInsert, "id" | "importId">;

export function insertImport(
  tx: Db,
  values: Omit<typeof populationImports.$inferInsert, "id" | "status" | "appliedAt" | "appliedBy">,
  lines: PopulationImportLineInsert[],
): PopulationImportRow {
  const row = tx.insert(populationImports).values(values).returning().get();
  // In chunks: SQLite caps the bound parameters of one statement.
  for (let i = 0; i < lines.length; i += 500) {
    tx.insert(populationImportRows)
      .values(lines.slice(i, i + 500).map((l) => ({ ...l, importId: row.id })))
      .run();
  }
  return row;
}

export function getImport(tx: Db, id: number): PopulationImportRow | undefined {
  return tx.select().from(populationImports).where(eq(populationImports.id, id)).get();
}

export function linesOfImport(tx: Db, id: number): PopulationImportLine[] {
  return tx
    .select()
    .from(populationImportRows)
    .where(eq(populationImportRows.importId, id))
    .orderBy(asc(populationImportRows.line))
    .all();
}

/** Marks a preview applied; false when it was applied already (by a concurrent request). */
export function markApplied(tx: Db, id: number, userId: number | null, at: string): boolean {
  const res = tx
    .update(populationImports)
    .set({ status: "applied", appliedAt: at, appliedBy: userId })
    .where(and(eq(populationImports.id, id), eq(populationImports.status, "preview")))
    .run();
  return res.changes === 1;
}
