import { todayIso } from "../../../billing/dates";
import { earliestPaymentDate } from "../../../billing/issue-dates";
import { balanceOf } from "../../../billing/invoice";
import { formatSek } from "../../../billing/money";
import { writeAudit } from "../../../db/audit";
import { transaction, type Db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import { type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import type { PaymentInput } from "../../lib/billing-schemas";
import { InvoiceView, viewsOf } from "../invoices/queries.server";
import { authorize } from "../../../billing/policy";

/** Registers a payment (docs/invoices.md#payments). Paying more than the balance is refused: a refund is not handled here. */
export function registerPayment(scope: Scope, invoiceId: number, input: PaymentInput): InvoiceView {
  authorize(scope, "payment.register");
  return transaction((tx) => {
    registerPaymentIn(tx, scope, invoiceId, input);
    return viewsOf(tx, [invoicesDb.getInvoiceRow(tx, invoiceId)!])[0];
  });
}

/**
 * The rules of one payment on an invoice, inside the caller's transaction: a manual payment and a payment from a
 * bank file (app/features/payments/bank-file-apply.server.ts) go through the same checks and the same audit row.
 */
export function registerPaymentIn(tx: Db, scope: Scope, invoiceId: number, input: PaymentInput): invoicesDb.PaymentRow {
  {
    const row = invoicesDb.getInvoiceRow(tx, invoiceId);
    if (!row) throw new DomainError("not_found", "not_found", "Fakturan finns inte");
    if (row.kind === "credit_note")
      throw new DomainError("conflict", "credit_note", "En kreditfaktura tar inte emot betalningar");
    if (row.state === "draft") throw new DomainError("conflict", "not_issued", "Fakturan är inte utfärdad än");
    if (row.state === "credited")
      throw new DomainError("conflict", "credited", "Fakturan är krediterad och tar inte emot betalningar");
    const paid = invoicesDb.paidOf(tx, invoiceId);
    const credited = invoicesDb.adjustmentCredits(tx).get(invoiceId) ?? 0;
    const balance = balanceOf({ state: row.state, total: row.totalOre, paid, credited, kind: row.kind });
    if (balance === 0) throw new DomainError("conflict", "already_paid", "Fakturan är redan betald");
    if (input.amount > balance) {
      throw new DomainError("validation", "validation_failed", "Beloppet är större än det som återstår att betala", {
        amount: `Beloppet är större än det som återstår att betala (${formatSek(balance)})`,
      });
    }
    if (row.issueDate) {
      // An invoice dated ahead may be paid from the day it was issued (docs/invoices.md#dates).
      const issuedOn = row.issuedAt ? todayIso(new Date(row.issuedAt)) : null;
      const earliest = earliestPaymentDate(row.issueDate, issuedOn);
      if (input.paidOn < earliest) {
        throw new DomainError("validation", "validation_failed", "Betalningsdagen ligger före fakturadagen", {
          paidOn:
            earliest === row.issueDate
              ? `Betalningsdagen kan inte ligga före fakturadagen ${row.issueDate}`
              : `Betalningsdagen kan inte ligga före ${earliest}, dagen fakturan utfärdades`,
        });
      }
    }
    const payment = invoicesDb.insertPayment(tx, {
      invoiceId,
      amountOre: input.amount,
      paidOn: input.paidOn,
      note: input.note ?? "",
      createdBy: scope.userId,
    });
    writeAudit(tx, scope, { action: "payment.create", entity: "invoice", entityId: invoiceId, after: payment });
    return payment;
  }
}
