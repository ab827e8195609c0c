import { todayIso } from "../../../billing/dates";
import { creditNoteDate } from "../../../billing/issue-dates";
import { buildInvoiceDocument, creditLines, invoiceTotals } from "../../../billing/invoice";
import { ocrFor } from "../../../billing/ocr";
import { writeAudit } from "../../../db/audit";
import { transaction } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import { getMemberRow } from "../../../db/members";
import * as settingsDb from "../../../db/settings";
import { type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { EInvoiceMaker } from "../e-invoice/ubl.server";
import { requireSettings, sellerOf, exemptionTextsOf } from "../settings/queries.server";
import { InvoiceView, viewsOf } from "./queries.server";
import { readDocuments, buyerOf } from "./documents.server";
import { authorize } from "../../../billing/policy";

/**
 * Cancels an issued invoice with a credit note (docs/invoices.md#credit-notes): its own number in the same series, every line
 * negated, referring to the original. The original becomes `credited` and its charges are freed to be billed again.
 */
export function creditInvoice(scope: Scope, invoiceId: number, reason: string): InvoiceView {
  authorize(scope, "invoice.credit");
  return transaction((tx) => {
    const original = invoicesDb.getInvoiceRow(tx, invoiceId);
    if (!original) throw new DomainError("not_found", "not_found", "Fakturan finns inte");
    if (original.kind === "credit_note")
      throw new DomainError("conflict", "credit_note", "En kreditfaktura kan inte krediteras");
    if (original.state === "draft")
      throw new DomainError("conflict", "not_issued", "Ett utkast krediteras inte: ta bort det i stället");
    if (original.state === "credited")
      throw new DomainError("conflict", "already_credited", "Fakturan är redan krediterad");
    const settings = requireSettings(tx);
    const member = getMemberRow(tx, original.memberId);
    if (!member) throw new DomainError("not_found", "not_found", "Medlemmen finns inte");
    const lines = creditLines(invoicesDb.linesOf(tx, invoiceId));
    const totals = invoiceTotals(lines);
    // Dated today, or later if the series already holds a later date (docs/invoices.md#dates).
    const today = creditNoteDate(todayIso(), invoicesDb.latestIssueDate(tx));
    const number = Math.max(settings.nextInvoiceNumber, (invoicesDb.maxInvoiceNumber(tx) ?? 0) + 1);
    const ocr = ocrFor(String(number));
    const originalDoc = original.document ? readDocuments(tx, [original.document])[0] : null;
    const document = buildInvoiceDocument({
      kind: "credit_note",
      number,
      ocr,
      issueDate: today,
      dueDate: today,
      billingYear: original.year,
      // The credit note carries the same parties as the invoice it cancels.
      seller: originalDoc?.seller ?? sellerOf(settings),
      buyer: originalDoc?.buyer ?? buyerOf(member),
      lines,
      exemptionText: settings.vatExemptionText,
      exemptionTexts: exemptionTextsOf(settings),
      creditedInvoice: { number: String(original.number), issueDate: original.issueDate ?? today, reason },
      appendices: [],
    });
    const credit = invoicesDb.insertInvoice(tx, {
      runId: null,
      memberId: original.memberId,
      year: original.year,
      kind: "credit_note",
      state: "issued",
      number,
      issueDate: today,
      dueDate: today,
      ocr,
      creditedInvoiceId: original.id,
      creditReason: reason,
      netOre: totals.net,
      vatOre: totals.vat,
      totalOre: totals.total,
      document: JSON.stringify(document),
      ubl: new EInvoiceMaker().make(document),
      issuedAt: new Date().toISOString(),
    });
    invoicesDb.insertLines(tx, credit.id, lines, false);
    invoicesDb.releaseCharges(tx, original.id);
    invoicesDb.updateInvoice(tx, original.id, { state: "credited" });
    settingsDb.setNextInvoiceNumber(tx, number + 1);
    writeAudit(tx, scope, {
      action: "invoice.credit",
      entity: "invoice",
      entityId: original.id,
      before: { state: original.state },
      after: { state: "credited", creditNoteId: credit.id, creditNoteNumber: number, reason },
    });
    return viewsOf(tx, [credit])[0];
  });
}
