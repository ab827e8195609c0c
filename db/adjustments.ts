import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { adjustmentSequence } from "../billing/adjustment";
import type { ShareBasis } from "../billing/invoice-document";
import type { Db } from "./client";
import { basisSnapshots, shareBasisOfLine } from "./invoices";
import { invoiceLines, invoices } from "./schema";

/*
 * What the association has invoiced per project-year and participant (docs/adjustments.md): the lines of
 * project_share and project_adjustment that still hold their charge, in drafts and issued invoices. A credit note
 * releases the lines it cancels, so "held" is exactly "invoiced net of credit notes".
 */

export interface HeldProjectLine {
  lineId: number;
  invoiceId: number;
  invoiceState: "draft" | "issued" | "credited";
  memberId: number;
  projectId: number;
  year: number;
  chargeKind: "project_share" | "project_adjustment";
  amountOre: number;
  basis: ShareBasis | null;
}

const PROJECT_KINDS = ["project_share", "project_adjustment"] as const;

/** Every held project line of a year (or of one project-year), oldest first. */
export function heldProjectLines(tx: Db, year: number, projectId?: number): HeldProjectLine[] {
  const rows = tx
    .select({
      lineId: invoiceLines.id,
      invoiceId: invoiceLines.invoiceId,
      invoiceState: invoices.state,
      memberId: invoices.memberId,
      projectId: invoiceLines.projectId,
      year: invoiceLines.year,
      chargeKind: invoiceLines.chargeKind,
      amountOre: invoiceLines.amountOre,
      allocationSnapshotId: invoiceLines.allocationSnapshotId,
      population: invoiceLines.population,
      populationYear: invoiceLines.populationYear,
      weight: invoiceLines.weight,
      adjustment: invoiceLines.adjustment,
    })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoiceLines.holdsCharge, true),
        eq(invoiceLines.year, year),
        inArray(invoiceLines.chargeKind, [...PROJECT_KINDS]),
        projectId === undefined ? undefined : eq(invoiceLines.projectId, projectId),
      ),
    )
    .orderBy(invoiceLines.id)
    .all();
  // The share basis of each line, put back together from its project-year's basis snapshot (db/invoices.ts).
  const bases = basisSnapshots(
    tx,
    rows.map((r) => r.allocationSnapshotId),
  );
  return rows
    .filter((r) => r.projectId !== null)
    .map((r) => ({
      lineId: r.lineId,
      invoiceId: r.invoiceId,
      invoiceState: r.invoiceState,
      memberId: r.memberId,
      projectId: r.projectId!,
      year: r.year,
      chargeKind: r.chargeKind as HeldProjectLine["chargeKind"],
      amountOre: r.amountOre,
      basis: shareBasisOfLine(r, bases),
    }));
}

/** The years in which a project has held lines (for the project page's invoiced/open per year). */
export function heldTotalsOfProject(tx: Db, projectId: number): Map<number, { net: number; drafts: number }> {
  const rows = tx
    .select({
      year: invoiceLines.year,
      state: invoices.state,
      total: sql<number>`sum(${invoiceLines.amountOre})`,
    })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoiceLines.holdsCharge, true),
        eq(invoiceLines.projectId, projectId),
        inArray(invoiceLines.chargeKind, [...PROJECT_KINDS]),
      ),
    )
    .groupBy(invoiceLines.year, invoices.state)
    .all();
  const out = new Map<number, { net: number; drafts: number }>();
  for (const r of rows) {
    const t = out.get(r.year) ?? { net: 0, drafts: 0 };
    if (r.state === "draft") t.drafts += r.total;
    else t.net += r.total;
    out.set(r.year, t);
  }
  return out;
}

/** "M:P" → the highest adjustment sequence ever keyed for that member's project-year (credited ones included). */
export function adjustmentSequences(tx: Db, year: number): Map<string, number> {
  const rows = tx
    .select({ key: invoiceLines.chargeKey })
    .from(invoiceLines)
    .where(
      and(
        eq(invoiceLines.chargeKind, "project_adjustment"),
        eq(invoiceLines.year, year),
        sql`${invoiceLines.chargeKey} IS NOT NULL`,
      ),
    )
    .all();
  const out = new Map<string, number>();
  for (const r of rows) {
    const seq = adjustmentSequence(r.key!);
    if (seq === null) continue;
    const [, memberId, projectId] = r.key!.split(":");
    const k = `${memberId}:${projectId}`;
    out.set(k, Math.max(out.get(k) ?? 0, seq));
  }
  return out;
}

/**
 * The member's latest issued invoice (not a credit note) with a line of one of these project-years: what a
 * credit note made of adjustments refers to.
 */
export function latestInvoiceOfProjectYears(
  tx: Db,
  memberId: number,
  projectYears: Array<{ projectId: number; year: number }>,
): { id: number; number: number; issueDate: string } | undefined {
  if (projectYears.length === 0) return undefined;
  const match = sql.join(
    projectYears.map((py) => sql`(${invoiceLines.projectId} = ${py.projectId} AND ${invoiceLines.year} = ${py.year})`),
    sql` OR `,
  );
  const row = tx
    .select({ id: invoices.id, number: invoices.number, issueDate: invoices.issueDate })
    .from(invoices)
    .innerJoin(invoiceLines, eq(invoiceLines.invoiceId, invoices.id))
    .where(
      and(
        eq(invoices.memberId, memberId),
        eq(invoices.kind, "invoice"),
        sql`${invoices.number} IS NOT NULL`,
        sql`(${match})`,
      ),
    )
    .orderBy(desc(invoices.number))
    .limit(1)
    .get();
  return row && row.number !== null && row.issueDate !== null
    ? { id: row.id, number: row.number, issueDate: row.issueDate }
    : undefined;
}
