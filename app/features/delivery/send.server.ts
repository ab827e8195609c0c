import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import {
  deliveryChannelOf,
  invoiceEmail,
  outboxFileName,
  pdfFileName,
  peppolIdOf,
  reminderChannelOf,
  reminderEmail,
  sendDecision,
  STALE_ATTEMPT_MS,
  type DeliveryChannel,
  type DeliveryOutcome,
} from "../../../billing/delivery";
import type { FinishedAttemptStatus } from "../../../billing/enums";
import type { InvoiceDocument, ReminderDocument } from "../../../billing/invoice-document";
import { renderInvoicePdf, renderReminderPdf } from "../../../billing/pdf";
import { writeAudit } from "../../../db/audit";
import { db, transaction, type Db } from "../../../db/client";
import * as deliveriesDb from "../../../db/deliveries";
import { actorLabel, SYSTEM_SCOPE, type Scope } from "../../../db/scope";
import { writeFileAtomic } from "../../lib/atomic-file.server";
import { DomainError } from "../../../billing/errors";
import type { Settings } from "../settings/queries.server";
import { sendableUbl } from "../e-invoice/downloads.server";
import { invoiceDocument } from "../invoices/documents.server";
import { requireSettings } from "../settings/queries.server";
import { DeliveryConfig, deliveryConfig } from "./config.server";
import { authorize } from "../../../billing/policy";

/*
 * Delivery of issued invoices and reminders (docs/delivery.md): Peppol documents into the outbox folder, e-mail by
 * SMTP (or .eml files when no SMTP server is configured), print as one PDF per run. Each attempt is logged in
 * `deliveries` around the sending, in two short transactions: the SMTP conversation itself happens outside any
 * database transaction, so a slow mail server never holds the write lock (docs/decisions/016-delivery-outbox-and-log.md).
 */

/** One line of the answer of a send: the API's `deliveries[]`. */
export interface DeliveryReport {
  invoiceId: number;
  number: number | null;
  channel: DeliveryChannel;
  status: DeliveryOutcome;
  detail: string;
}

export interface SendOptions {
  resend?: boolean;
}

/** The failure of one delivery, with the Swedish message the log and the treasurer see. */
class DeliveryFailure extends Error {}

const MAX_ERROR_LENGTH = 500;

export function errorText(error: unknown): string {
  const text =
    error instanceof DeliveryFailure
      ? error.message
      : `Kunde inte skickas: ${error instanceof Error ? error.message : String(error)}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/** The UBL of an invoice: the Peppol BIS 3.0 document made once at issue (issue 11), or null when there is none. */
export function ublOf(invoiceId: number, tx: Db = db()): string | null {
  return sendableUbl(invoiceId, deliveriesDb.storedUbl(tx, invoiceId));
}

// Sending --------------------------------------------------------------------------------------------------------

/** What one send request shares: the settings and one mail transport for all its messages. */
export class Sender {
  private mailer: Transporter | null = null;
  constructor(
    readonly config: DeliveryConfig,
    readonly settings: Settings,
  ) {}

  private transport(): Transporter {
    // Without SMTP_URL nodemailer's stream transport builds the very MIME message SMTP would carry, as bytes.
    this.mailer ??= this.config.smtpUrl
      ? nodemailer.createTransport(this.config.smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
    return this.mailer;
  }

  /** Sends one message; answers its message id (and the .eml file when there is no SMTP server). */
  async mail(message: Mail.Options, emlName: string): Promise<string> {
    const s = this.settings;
    const info = (await this.transport().sendMail({
      from: { name: s.name, address: this.config.smtpFrom ?? s.email },
      replyTo: s.email,
      ...message,
    })) as { messageId: string; message?: Buffer; rejected?: unknown[] };
    if (info.rejected && info.rejected.length > 0)
      throw new DeliveryFailure(`E-postservern tog inte emot mottagaren ${String(info.rejected[0])}`);
    if (this.config.smtpUrl) return info.messageId;
    const file = await writeFileAtomic(this.config.emailOutbox, emlName, info.message!);
    return `${info.messageId} (${file})`;
  }

  close(): void {
    this.mailer?.close();
  }
}

interface Target {
  recipient: deliveriesDb.Recipient;
  reminderId: number | null;
  channel: DeliveryChannel;
  /** The e-mail address or the Peppol participant id; null for print (and for e-mail without an address). */
  address: string | null;
}

type Claim = { go: false; report: DeliveryReport } | { go: true; attemptId: number; target: Target };

const skipText = {
  already_sent: "Redan skickad: skickas inte igen utan att du väljer att skicka om",
  in_flight: "Skickas just nu i en annan begäran",
} as const;

/**
 * Decides and records, in one immediate transaction, whether this invoice (or reminder) goes out now: an attempt
 * row "sending" is the claim, so two requests at once cannot both send it (deliveries_in_flight_uq).
 */
export function claim(scope: Scope, invoiceId: number, reminderId: number | null, options: SendOptions): Claim {
  return transaction((tx) => {
    const r = deliveriesDb.recipientOf(tx, invoiceId);
    if (!r) throw new DomainError("not_found", "not_found", "Fakturan finns inte");
    const memberChannel = deliveryChannelOf({ kind: r.memberKind, deliveryChannel: r.deliveryChannel });
    const channel = reminderId === null ? memberChannel : reminderChannelOf(memberChannel, r.invoiceEmail);
    const skip = (detail: string): Claim => ({
      go: false,
      report: { invoiceId, number: r.number, channel, status: "skipped", detail },
    });
    if (r.state === "draft") return skip("Utkast: fakturan är inte utfärdad och kan inte skickas");
    const attempts =
      reminderId === null ? deliveriesDb.invoiceAttempts(tx, invoiceId) : deliveriesDb.reminderAttempts(tx, reminderId);
    const now = new Date();
    for (const a of attempts) {
      if (a.status === "sending" && now.getTime() - Date.parse(a.startedAt) >= STALE_ATTEMPT_MS) {
        deliveriesDb.abandonAttempt(tx, a.id);
        a.status = "failed";
      }
    }
    const decision = sendDecision(attempts, { resend: options.resend === true, now });
    if (!decision.send) return skip(skipText[decision.reason]);
    const address = channel === "email" ? r.invoiceEmail : channel === "peppol" ? peppolIdOf(r) : null;
    const row = deliveriesDb.insertAttempt(tx, {
      invoiceId,
      reminderId,
      channel,
      recipient: address,
      sentBy: scope.userId,
      sentByLabel: actorLabel(scope),
    });
    return { go: true, attemptId: row.id, target: { recipient: r, reminderId, channel, address } };
  });
}

export function finish(
  scope: Scope,
  attemptId: number,
  target: Target,
  result: { status: FinishedAttemptStatus; messageId: string | null; error: string | null },
): void {
  transaction((tx) => {
    const row = deliveriesDb.finishAttempt(tx, attemptId, result);
    writeAudit(tx, scope, {
      action: target.reminderId === null ? "invoice.send" : "reminder.send",
      entity: "invoice",
      entityId: target.recipient.invoiceId,
      after: {
        channel: row.channel,
        recipient: row.recipient,
        status: row.status,
        messageId: row.messageId,
        error: row.error,
        reminderId: row.reminderId,
      },
    });
  });
}

export function issuedDocument(invoiceId: number): InvoiceDocument {
  const doc = invoiceDocument(SYSTEM_SCOPE, invoiceId);
  if (!doc) throw new DeliveryFailure("Fakturan har inget utfärdat dokument");
  return doc;
}

function requireEmail(target: Target): string {
  if (!target.address) {
    throw new DeliveryFailure(
      "Medlemmen har ingen e-postadress för fakturor: fyll i den på medlemmens sida, eller välj utskrift",
    );
  }
  return target.address;
}

/** Delivers one invoice by its channel; answers the message id or file and the detail shown to the treasurer. */
async function deliverInvoice(sender: Sender, target: Target): Promise<{ messageId: string; detail: string }> {
  const r = target.recipient;
  const doc = issuedDocument(r.invoiceId);
  switch (target.channel) {
    case "peppol": {
      const ubl = ublOf(r.invoiceId);
      if (!ubl) {
        throw new DeliveryFailure(
          "Fakturan saknar e-fakturadokument (Peppol UBL) och kan inte skickas med Peppol. Välj e-post eller utskrift för medlemmen och skicka igen.",
        );
      }
      const file = await writeFileAtomic(sender.config.peppolOutbox, outboxFileName(doc.number), ubl);
      return { messageId: file, detail: `Peppol till ${target.address}: ${path.basename(file)} i utkorgen` };
    }
    case "email": {
      const to = requireEmail(target);
      const message = invoiceEmail(doc);
      const attachments: Mail.Attachment[] = [
        { filename: pdfFileName(doc), content: await renderInvoicePdf(doc), contentType: "application/pdf" },
      ];
      const ubl = ublOf(r.invoiceId);
      if (ubl)
        attachments.push({
          filename: pdfFileName(doc).replace(/\.pdf$/, ".xml"),
          content: ubl,
          contentType: "application/xml",
        });
      const messageId = await sender.mail(
        { to, subject: message.subject, text: message.text, attachments },
        `${pdfFileName(doc).replace(/\.pdf$/, "")}-${Date.now()}.eml`,
      );
      return { messageId, detail: `E-post till ${to}` };
    }
    case "print": {
      const where = r.runId !== null ? `/billing/runs/${r.runId}/print.pdf` : `/invoices/${r.invoiceId}/pdf`;
      return { messageId: where, detail: `För utskrift: ${where}` };
    }
  }
}

export async function deliverReminder(
  sender: Sender,
  target: Target,
  doc: ReminderDocument,
): Promise<{ messageId: string; detail: string }> {
  const where = `/invoices/${target.recipient.invoiceId}/reminder.pdf`;
  if (target.channel === "print") return { messageId: where, detail: `För utskrift: ${where}` };
  const to = requireEmail(target);
  const message = reminderEmail(doc);
  const messageId = await sender.mail(
    {
      to,
      subject: message.subject,
      text: message.text,
      attachments: [
        {
          filename: `paminnelse-${doc.invoice.number}.pdf`,
          content: await renderReminderPdf(doc),
          contentType: "application/pdf",
        },
      ],
    },
    `paminnelse-${doc.invoice.number}-${Date.now()}.eml`,
  );
  return { messageId, detail: `E-post till ${to}` };
}

/** One invoice, start to end: claim, send outside any transaction, record. Never throws for a failed delivery. */
export async function sendOne(
  scope: Scope,
  sender: Sender,
  invoiceId: number,
  options: SendOptions,
): Promise<DeliveryReport> {
  const c = claim(scope, invoiceId, null, options);
  if (!c.go) return c.report;
  const base = { invoiceId, number: c.target.recipient.number, channel: c.target.channel };
  try {
    const { messageId, detail } = await deliverInvoice(sender, c.target);
    finish(scope, c.attemptId, c.target, { status: "sent", messageId, error: null });
    return { ...base, status: "sent", detail };
  } catch (error) {
    const text = errorText(error);
    finish(scope, c.attemptId, c.target, { status: "failed", messageId: null, error: text });
    return { ...base, status: "failed", detail: text };
  }
}

/** Sends one issued invoice by its member's channel (`POST /invoices/{id}/send`). */
export async function sendInvoice(
  scope: Scope,
  invoiceId: number,
  options: SendOptions = {},
  config = deliveryConfig(),
): Promise<DeliveryReport> {
  authorize(scope, "invoice.send");
  const r = deliveriesDb.recipientOf(db(), invoiceId);
  if (!r) throw new DomainError("not_found", "not_found", "Fakturan finns inte");
  if (r.state === "draft")
    throw new DomainError("conflict", "not_issued", "Fakturan är ett utkast: ställ ut den innan den skickas");
  const sender = new Sender(config, requireSettings(db()));
  try {
    return await sendOne(scope, sender, invoiceId, options);
  } finally {
    sender.close();
  }
}
