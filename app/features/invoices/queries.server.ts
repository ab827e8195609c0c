import { todayIso } from "../../../billing/dates";
import { balanceOf, invoiceStatus, isOverdue, type InvoiceStatus } from "../../../billing/invoice";
import type { FeeSchedule } from "../../../billing/fees";
import { linesWithBracketRanges } from "../../../billing/invoice-document";
import { type Ore } from "../../../billing/money";
import { listSchedules } from "../../../db/fees";
import { db, type Db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import { getMemberRow } from "../../../db/members";
import { type Scope } from "../../../db/scope";
import type { InvoiceQuery } from "../../lib/billing-schemas";

/** Invoices as pages and the API read them: the stored row with its lines, what is paid, the balance and the status. */

type LineView = invoicesDb.StoredLine;

export interface InvoiceView extends invoicesDb.InvoiceSummaryRow {
  memberName: string;
  lines: LineView[];
  paid: Ore;
  /** What credit notes of adjustments took off this invoice (0 for most). */
  credited: Ore;
  balance: Ore;
  status: InvoiceStatus;
  overdue: boolean;
}

// Gathering charges ----------------------------------------------------------------------------------------------

export function viewsOf(
  tx: Db,
  rows: Array<invoicesDb.InvoiceSummaryRow & { memberName?: string; paidOre?: number }>,
  today = todayIso(),
): InvoiceView[] {
  const lines = invoicesDb.linesByInvoice(
    tx,
    rows.map((r) => r.id),
  );
  let schedules: FeeSchedule[] | undefined;
  const credits = rows.some((r) => r.kind === "invoice" && r.state === "issued")
    ? invoicesDb.adjustmentCredits(tx)
    : null;
  return rows.map((r) => {
    // Stored fee lines keep their bracket's name; pages show its range in the schedule of the invoice's year.
    const own = lines.get(r.id) ?? [];
    const shown = own.some((l) => l.feeBasis)
      ? linesWithBracketRanges(own, r.year, (schedules ??= listSchedules(tx)))
      : own;
    const paid = r.paidOre ?? invoicesDb.paidOf(tx, r.id);
    const credited = credits?.get(r.id) ?? 0;
    const state = { state: r.state, total: r.totalOre, paid, credited, kind: r.kind, dueDate: r.dueDate };
    return {
      ...r,
      memberName: r.memberName ?? getMemberRow(tx, r.memberId)?.name ?? "",
      lines: shown,
      paid,
      credited,
      balance: balanceOf(state),
      status: invoiceStatus(state),
      overdue: isOverdue(state, today),
    };
  });
}

export function getInvoiceView(scope: Scope, id: number, tx: Db = db()): InvoiceView | undefined {
  const row = invoicesDb.getInvoice(tx, scope, id);
  return row ? viewsOf(tx, [row])[0] : undefined;
}

export function listInvoiceViews(scope: Scope, query: InvoiceQuery & { runId?: number } = {}): InvoiceView[] {
  const tx = db();
  const rows = invoicesDb.listInvoices(tx, scope, {
    year: query.year ?? undefined,
    memberId: query.memberId ?? undefined,
    runId: query.runId,
  });
  return viewsOf(tx, rows).filter((v) => (!query.status || v.status === query.status) && (!query.overdue || v.overdue));
}

export function paymentsOf(id: number) {
  return invoicesDb.paymentsOf(db(), id);
}

export function remindersOf(id: number) {
  return invoicesDb.remindersOf(db(), id);
}

export function creditNoteOf(id: number) {
  return invoicesDb.getCreditNoteOf(db(), id);
}
