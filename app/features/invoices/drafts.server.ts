import { invoiceTotals, lineFor } from "../../../billing/invoice";
import { type Ore } from "../../../billing/money";
import { writeAudit } from "../../../db/audit";
import { transaction, type Db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import { type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { authorize } from "../../../billing/policy";

function draftFor(tx: Db, invoiceId: number): invoicesDb.InvoiceRow {
  const row = invoicesDb.getInvoiceRow(tx, invoiceId);
  if (!row) throw new DomainError("not_found", "not_found", "Fakturan finns inte");
  if (row.state !== "draft")
    throw new DomainError("conflict", "not_draft", "Fakturan är utfärdad och kan inte ändras; kreditera den i stället");
  return row;
}

function refreshTotals(tx: Db, invoiceId: number): void {
  const totals = invoiceTotals(invoicesDb.linesOf(tx, invoiceId));
  invoicesDb.updateInvoice(tx, invoiceId, { netOre: totals.net, vatOre: totals.vat, totalOre: totals.total });
}

export function updateDraftLine(
  scope: Scope,
  invoiceId: number,
  lineId: number,
  input: { description: string; amount: Ore },
): void {
  authorize(scope, "invoice.edit-draft");
  transaction((tx) => {
    draftFor(tx, invoiceId);
    const before = invoicesDb.getLine(tx, lineId);
    if (!before || before.invoiceId !== invoiceId) throw new DomainError("not_found", "not_found", "Raden finns inte");
    const line = lineFor({
      ...invoicesDb.storedLine(tx, before),
      description: input.description,
      amount: input.amount,
    });
    invoicesDb.updateLine(tx, lineId, {
      description: line.description,
      unitPriceOre: line.unitPrice,
      amountOre: line.amount,
      vatOre: line.vat,
    });
    refreshTotals(tx, invoiceId);
    writeAudit(tx, scope, {
      action: "invoice_line.update",
      entity: "invoice",
      entityId: invoiceId,
      before: { lineId, description: before.description, amount: before.amountOre },
      after: { lineId, description: line.description, amount: line.amount },
    });
  });
}

/** Deletes a draft line (its charge is freed); a draft left without lines is deleted too. */
export function deleteDraftLine(scope: Scope, invoiceId: number, lineId: number): { invoiceDeleted: boolean } {
  authorize(scope, "invoice.edit-draft");
  return transaction((tx) => {
    draftFor(tx, invoiceId);
    const before = invoicesDb.getLine(tx, lineId);
    if (!before || before.invoiceId !== invoiceId) throw new DomainError("not_found", "not_found", "Raden finns inte");
    invoicesDb.deleteLine(tx, lineId);
    writeAudit(tx, scope, { action: "invoice_line.delete", entity: "invoice", entityId: invoiceId, before });
    if (invoicesDb.linesOf(tx, invoiceId).length === 0) {
      invoicesDb.deleteInvoice(tx, invoiceId);
      writeAudit(tx, scope, { action: "invoice.delete", entity: "invoice", entityId: invoiceId });
      return { invoiceDeleted: true };
    }
    refreshTotals(tx, invoiceId);
    return { invoiceDeleted: false };
  });
}

export function deleteDraft(scope: Scope, invoiceId: number): { runId: number | null } {
  authorize(scope, "invoice.edit-draft");
  return transaction((tx) => {
    const row = draftFor(tx, invoiceId);
    const lines = invoicesDb.linesOf(tx, invoiceId);
    invoicesDb.deleteInvoice(tx, invoiceId);
    writeAudit(tx, scope, {
      action: "invoice.delete",
      entity: "invoice",
      entityId: invoiceId,
      before: { ...row, lines },
    });
    return { runId: row.runId };
  });
}

// Payments and credit notes ----------------------------------------------------------------------------------------
