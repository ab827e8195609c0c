import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { FEE_CHARGE_KINDS } from "../billing/enums";
import type { Db } from "./client";
import { feeBrackets, feeSchedules, invoiceLines, invoices } from "./schema";

/*
 * Fees are frozen once issued (docs/adjustments.md): the years in which an issued invoice holds an entry or annual
 * fee, so that no fee schedule or board decision can take effect in them afterwards.
 */

/** The years ≥ from (and < to) in which an issued invoice, not credited, holds a fee; of one member if given. */
export function issuedFeeYears(tx: Db, span: { from: number; to?: number | null; memberId?: number }): number[] {
  const rows = tx
    .selectDistinct({ year: invoiceLines.year })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoiceLines.holdsCharge, true),
        sql`${invoices.state} <> 'draft'`,
        inArray(invoiceLines.chargeKind, [...FEE_CHARGE_KINDS]),
        gte(invoiceLines.year, span.from),
        span.to == null ? undefined : lt(invoiceLines.year, span.to),
        span.memberId === undefined ? undefined : eq(invoices.memberId, span.memberId),
      ),
    )
    .orderBy(invoiceLines.year)
    .all();
  return rows.map((r) => r.year);
}

/** Issued fee amounts of a member per year, for showing the fee as invoiced: year → {annualFee?, entryFee?}. */
export function issuedFeesOfMember(tx: Db, memberId: number): Map<number, { annualFee?: number; entryFee?: number }> {
  const rows = tx
    .select({ year: invoiceLines.year, kind: invoiceLines.chargeKind, amount: invoiceLines.amountOre })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoiceLines.holdsCharge, true),
        sql`${invoices.state} <> 'draft'`,
        eq(invoices.memberId, memberId),
        inArray(invoiceLines.chargeKind, [...FEE_CHARGE_KINDS]),
      ),
    )
    .all();
  const out = new Map<number, { annualFee?: number; entryFee?: number }>();
  for (const r of rows) {
    const f = out.get(r.year) ?? {};
    if (r.kind === "annual_fee") f.annualFee = r.amount;
    else f.entryFee = r.amount;
    out.set(r.year, f);
  }
  return out;
}

export function deleteSchedule(tx: Db, id: number): void {
  tx.delete(feeBrackets).where(eq(feeBrackets.scheduleId, id)).run();
  tx.delete(feeSchedules).where(eq(feeSchedules.id, id)).run();
}
