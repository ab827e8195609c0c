import type { ReminderDocument } from "../../../billing/invoice-document";
import { renderReminderPdf } from "../../../billing/pdf";
import { db } from "../../../db/client";
import { remindersOf as reminderRows } from "../../../db/invoices";
import { SYSTEM_SCOPE, type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { invoiceDocument } from "../invoices/documents.server";
import { getInvoiceView } from "../invoices/queries.server";
import { reminderDocument } from "../invoices/reminders.server";
import { requireSettings } from "../settings/queries.server";
import { deliveryConfig } from "./config.server";
import { deliverReminder, claim, DeliveryReport, Sender, finish, errorText } from "./send.server";
import { authorize } from "../../../billing/policy";

/**
 * The reminder as recorded (its date and new due date), for the PDF and the e-mail: downloading it again shows
 * the same reminder and records nothing. Before any is recorded, a preview of today's.
 */
export function recordedReminderDocument(
  scope: Scope,
  invoiceId: number,
  reminderId?: number,
): ReminderDocument | undefined {
  const rows = reminderRows(db(), invoiceId);
  const recorded = reminderId !== undefined ? rows.find((r) => r.id === reminderId) : rows[rows.length - 1];
  if (!recorded) return reminderDocument(scope, invoiceId);
  const view = getInvoiceView(scope, invoiceId);
  const invoice = invoiceDocument(scope, invoiceId);
  if (!view || !invoice) return undefined;
  return {
    invoice,
    reminderDate: recorded.sentOn,
    paid: view.paid,
    balance: view.balance,
    newDueDate: recorded.newDueDate,
  };
}

export async function reminderPdf(
  scope: Scope,
  invoiceId: number,
): Promise<{ bytes: Buffer; filename: string } | null> {
  authorize(scope, "invoice.read.internal");
  const doc = recordedReminderDocument(scope, invoiceId);
  if (!doc) return null;
  return { bytes: await renderReminderPdf(doc), filename: `paminnelse-${doc.invoice.number}.pdf` };
}

/** Sends a recorded reminder by the member's channel (a Peppol member's by e-mail, else print). */
export async function sendReminder(
  scope: Scope,
  invoiceId: number,
  reminderId: number,
  config = deliveryConfig(),
): Promise<DeliveryReport> {
  authorize(scope, "invoice.remind");
  const doc = recordedReminderDocument(SYSTEM_SCOPE, invoiceId, reminderId);
  if (!doc) throw new DomainError("not_found", "not_found", "Påminnelsen finns inte");
  const sender = new Sender(config, requireSettings(db()));
  try {
    const c = claim(scope, invoiceId, reminderId, {});
    if (!c.go) return c.report;
    const base = { invoiceId, number: c.target.recipient.number, channel: c.target.channel };
    try {
      const { messageId, detail } = await deliverReminder(sender, c.target, doc);
      finish(scope, c.attemptId, c.target, { status: "sent", messageId, error: null });
      return { ...base, status: "sent", detail };
    } catch (error) {
      const text = errorText(error);
      finish(scope, c.attemptId, c.target, { status: "failed", messageId: null, error: text });
      return { ...base, status: "failed", detail: text };
    }
  } finally {
    sender.close();
  }
}
