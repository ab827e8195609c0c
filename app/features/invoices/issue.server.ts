import type { IssueDates, IssueDatesRequest } from "../../../billing/issue-dates";
import { buildInvoiceDocument, invoiceTotals, withRates, type DraftLine } from "../../../billing/invoice";
import { isProjectKind, withBracketRanges, type InvoiceDocument } from "../../../billing/invoice-document";
import { listSchedules } from "../../../db/fees";
import { ocrFor } from "../../../billing/ocr";
import { writeAudit } from "../../../db/audit";
import { transaction, type Db } from "../../../db/client";
import { latestInvoiceOfProjectYears } from "../../../db/adjustments";
import * as invoicesDb from "../../../db/invoices";
import { listMembersWithPrivate } from "../../../db/members";
import * as settingsDb from "../../../db/settings";
import { SYSTEM_SCOPE, type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { EInvoiceMaker } from "../e-invoice/ubl.server";
import { requireSettings, vatRatesOf, sellerOf, exemptionTextsOf } from "../settings/queries.server";
import { InvoiceView, viewsOf } from "./queries.server";
import { AppendixSource } from "./appendices.server";
import { buyerOf, storeDocument } from "./documents.server";
import { issueDatesIn } from "./issue-dates.server";
import { authorize } from "../../../billing/policy";

/*
 * Issuing (docs/invoices.md#issuing): numbers, dates and freezes drafts in one immediate transaction (the write
 * lock is taken at BEGIN), so concurrent or repeated requests cannot number twice.
 */

/** What a credit note made of adjustments refers to: the member's latest invoice of its project-years. */
function creditReferenceOf(
  tx: Db,
  memberId: number,
  lines: DraftLine[],
): NonNullable<InvoiceDocument["creditedInvoice"]> {
  const projectYears = lines
    .filter((l) => l.projectId !== null && isProjectKind(l.chargeKind))
    .map((l) => ({ projectId: l.projectId!, year: l.year }));
  const latest = latestInvoiceOfProjectYears(tx, memberId, projectYears);
  const what = [
    ...new Set(lines.filter((l) => l.shareBasis).map((l) => `${l.shareBasis!.projectCode} ${l.year}`)),
  ].join(", ");
  if (!latest) {
    throw new DomainError(
      "conflict",
      "no_invoice_to_credit",
      `Utkastet är negativt men medlemmen har ingen utfärdad faktura för ${what || "projektåret"} att kreditera mot`,
    );
  }
  return { number: String(latest.number), issueDate: latest.issueDate, reason: `Justering av projektandel ${what}` };
}

/** Numbers, dates and freezes drafts, in the given order, inside the caller's transaction. */
function issueDrafts(tx: Db, scope: Scope, drafts: invoicesDb.InvoiceRow[], dates: IssueDates): number[] {
  if (drafts.length === 0) return [];
  const settings = requireSettings(tx);
  const rates = vatRatesOf(settings);
  const seller = sellerOf(settings);
  const { issueDate, dueDate } = dates;
  const appendices = new AppendixSource(tx);
  const eInvoices = new EInvoiceMaker();
  let next = Math.max(settings.nextInvoiceNumber, (invoicesDb.maxInvoiceNumber(tx) ?? 0) + 1);
  let schedules: ReturnType<typeof listSchedules> | undefined;
  const ids: number[] = [];
  const members = new Map(listMembersWithPrivate(tx, SYSTEM_SCOPE).map((m) => [m.id, m]));
  const linesOfDrafts = invoicesDb.linesByInvoice(
    tx,
    drafts.map((d) => d.id),
  );
  for (const d of drafts) appendices.issuing.add(d.id);
  for (const draft of drafts) {
    const member = members.get(draft.memberId);
    if (!member) throw new DomainError("not_found", "not_found", "Medlemmen finns inte");
    const stored = linesOfDrafts.get(draft.id) ?? [];
    if (stored.length === 0)
      throw new DomainError("conflict", "empty_invoice", `Fakturan till ${member.name} har inga rader`);
    // VAT at the rates in force on the day of issue.
    const lines = withRates(stored, rates);
    appendices.assertCurrent(member.name, lines, member.id);
    lines.forEach((l, i) => {
      if (l.vatRate !== stored[i].vatRate || l.vat !== stored[i].vat)
        invoicesDb.setLineVat(tx, stored[i].id, l.vatRate, l.vat);
    });
    const totals = invoiceTotals(lines);
    const number = next++;
    const ocr = ocrFor(String(number));
    // A draft that refunds more than it bills (adjustments after a budget cut or a participant taken out) is a
    // credit note: negative amounts, referring to the member's latest invoice of those project-years.
    const credit = totals.total < 0 ? creditReferenceOf(tx, draft.memberId, lines) : null;
    // A stored fee line keeps its bracket's name; the frozen document also records the bracket's range in the
    // schedule it was charged under, so that a later schedule cannot change what the invoice prints.
    schedules ??= listSchedules(tx);
    const document = withBracketRanges(
      buildInvoiceDocument({
        kind: credit ? "credit_note" : "invoice",
        number,
        ocr,
        issueDate,
        dueDate: credit ? issueDate : dueDate,
        billingYear: draft.year,
        seller,
        buyer: buyerOf(member),
        lines,
        exemptionText: settings.vatExemptionText,
        exemptionTexts: exemptionTextsOf(settings),
        creditedInvoice: credit,
        appendices: [],
      }),
      schedules,
    );
    const appendixIds = appendices.idsFor(lines);
    invoicesDb.updateInvoice(tx, draft.id, {
      kind: credit ? "credit_note" : "invoice",
      state: "issued",
      number,
      issueDate,
      dueDate: credit ? issueDate : dueDate,
      ocr,
      creditReason: credit?.reason,
      netOre: totals.net,
      vatOre: totals.vat,
      totalOre: totals.total,
      document: storeDocument(document, appendixIds),
      ubl: eInvoices.make(document, appendices.appendicesFor(lines), appendixIds.join(",")),
      issuedAt: new Date().toISOString(),
    });
    writeAudit(tx, scope, {
      action: "invoice.issue",
      entity: "invoice",
      entityId: draft.id,
      after: { number, ocr, issueDate, dueDate, memberId: draft.memberId, total: totals.total },
    });
    ids.push(draft.id);
  }
  settingsDb.setNextInvoiceNumber(tx, next);
  return ids;
}

/**
 * Issues every draft of a run (docs/invoices.md#issuing) in one transaction: numbers from the settings' next number without a
 * gap, by member name then id, all with the same invoice date and due date (chosen, or today and the payment
 * terms: docs/invoices.md#dates). Issuing a run again (e.g. a repeated request) issues nothing more and answers
 * with the run's invoices.
 */
export function issueRun(scope: Scope, runId: number, request: IssueDatesRequest = {}): InvoiceView[] {
  authorize(scope, "billing-run.issue");
  return transaction((tx) => {
    const run = invoicesDb.getRun(tx, runId);
    if (!run) throw new DomainError("not_found", "not_found", "Faktureringskörningen finns inte");
    const drafts = invoicesDb.draftsOfRun(tx, runId);
    if (drafts.length > 0) {
      const dates = issueDatesIn(tx, request);
      issueDrafts(tx, scope, drafts, dates);
      invoicesDb.markRunIssued(tx, runId);
      writeAudit(tx, scope, {
        action: "billing_run.issue",
        entity: "billing_run",
        entityId: runId,
        after: { invoices: drafts.length, issueDate: dates.issueDate, dueDate: dates.dueDate },
      });
    }
    return viewsOf(
      tx,
      invoicesDb.listInvoices(tx, SYSTEM_SCOPE, { runId }).filter((r) => r.state !== "draft"),
    );
  });
}

/** Issues one draft, with a chosen invoice date and due date or the defaults (docs/invoices.md#dates). */
export function issueInvoice(scope: Scope, invoiceId: number, request: IssueDatesRequest = {}): InvoiceView {
  authorize(scope, "invoice.issue");
  return transaction((tx) => {
    const row = invoicesDb.getInvoiceRow(tx, invoiceId);
    if (!row) throw new DomainError("not_found", "not_found", "Fakturan finns inte");
    if (row.state !== "draft") throw new DomainError("conflict", "not_draft", "Fakturan är redan utfärdad");
    issueDrafts(tx, scope, [row], issueDatesIn(tx, request));
    return viewsOf(tx, [invoicesDb.getInvoiceRow(tx, invoiceId)!])[0];
  });
}

// Drafts ---------------------------------------------------------------------------------------------------------
