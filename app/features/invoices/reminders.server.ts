import { addDays, todayIso } from "../../../billing/dates";
import { type ReminderDocument } from "../../../billing/invoice-document";
import { writeAudit } from "../../../db/audit";
import { transaction } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import { type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { invoiceDocument } from "./documents.server";
import { getInvoiceView } from "./queries.server";
import { authorize } from "../../../billing/policy";

/** A reminder (påminnelse) of an overdue invoice: what is left to pay and a new due date two weeks ahead. */
export function reminderDocument(scope: Scope, id: number): ReminderDocument | undefined {
  const view = getInvoiceView(scope, id);
  const document = view?.overdue ? invoiceDocument(scope, id) : null;
  if (!view || !document) return undefined;
  const today = todayIso();
  return {
    invoice: document,
    reminderDate: today,
    paid: view.paid,
    balance: view.balance,
    newDueDate: addDays(today, 14),
  };
}

/** Records that a reminder was sent (audited), for the invoice's history. */
export function recordReminder(scope: Scope, id: number) {
  authorize(scope, "invoice.remind");
  const doc = reminderDocument(scope, id);
  if (!doc) throw new DomainError("conflict", "not_overdue", "Fakturan är inte förfallen: ingen påminnelse behövs");
  return transaction((tx) => {
    const r = invoicesDb.insertReminder(tx, {
      invoiceId: id,
      sentOn: doc.reminderDate,
      newDueDate: doc.newDueDate,
      createdBy: scope.userId,
    });
    writeAudit(tx, scope, { action: "reminder.create", entity: "invoice", entityId: id, after: r });
    return r;
  });
}
