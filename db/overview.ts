import { eq, ne, sql } from "drizzle-orm";
import type { Db } from "./client";
import { invoiceLines, invoices, projectBudgets } from "./schema";

/*
 * Sums for the start page, straight from the ledger tables: what has been invoiced per billing year and charge
 * kind (issued invoices and credit notes together, so a credited charge nets to 0), and the project budgets per
 * year. Aggregates only: no member's private detail leaves these functions.
 */

export interface BookedRow {
  year: number;
  chargeKind: string;
  amountOre: number;
}

export function bookedByYearAndKind(tx: Db): BookedRow[] {
  return tx
    .select({
      year: invoices.year,
      chargeKind: invoiceLines.chargeKind,
      amountOre: sql<number>`coalesce(sum(${invoiceLines.amountOre}), 0)`,
    })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(ne(invoices.state, "draft"))
    .groupBy(invoices.year, invoiceLines.chargeKind)
    .orderBy(invoices.year, invoiceLines.chargeKind)
    .all();
}

export function budgetsByYear(tx: Db): Array<{ year: number; amountOre: number }> {
  return tx
    .select({ year: projectBudgets.year, amountOre: sql<number>`coalesce(sum(${projectBudgets.amountOre}), 0)` })
    .from(projectBudgets)
    .groupBy(projectBudgets.year)
    .orderBy(projectBudgets.year)
    .all();
}
