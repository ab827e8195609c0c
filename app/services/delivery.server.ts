import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import {
  deliveryChannelOf,
  deliveryStateOf,
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
  type DeliveryState,
} from "../../billing/delivery";
import type { InvoiceDocument, ReminderDocument } from "../../billing/invoice-document";
import { renderInvoicePdf, renderInvoicesPdf, renderReminderPdf } from "../../billing/pdf";
import { writeAudit } from "../../db/audit";
import { db, transaction, type Db } from "../../db/client";
import * as deliveriesDb from "../../db/deliveries";
import { getRun, remindersOf as reminderRows } from "../../db/invoices";
import { actorLabel, SYSTEM_SCOPE, type Scope } from "../../db/scope";
import { env } from "../env.server";
import { writeFileAtomic } from "../lib/atomic-file.server";
import { DomainError } from "../../billing/errors";
import { authorize } from "../../billing/policy";
import { getInvoiceView, invoiceDocument, reminderDocument } from "./billing.server";
import { sendableUbl } from "./e-invoice-downloads.server";
import { requireSettings, type Settings } from "./settings.server";

/*
 * Delivery of issued invoices and reminders (docs/delivery.md): Peppol documents into the outbox folder, e-mail by
 * SMTP (or .eml files when no SMTP server is configured), print as one PDF per run. Each attempt is logged in
 * `deliveries` around the sending, in two short transactions: the SMTP conversation itself happens outside any
 * database transaction, so a slow mail server never holds the write lock (docs/decisions/016-delivery-outbox-and-log.md).
 */

export interface DeliveryConfig {
  smtpUrl: string | null;
  smtpFrom: string | null;
  peppolOutbox: string;
  emailOutbox: string;
}

export function deliveryConfig(): DeliveryConfig {
  const e = env();
  return {
    smtpUrl: e.SMTP_URL ?? null,
    smtpFrom: e.SMTP_FROM ?? null,
    peppolOutbox: e.PEPPOL_OUTBOX,
    emailOutbox: e.EMAIL_OUTBOX,
  };
}

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

function errorText(error: unknown): string {
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
class Sender {
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
function claim(scope: Scope, invoiceId: number, reminderId: number | null, options: SendOptions): Claim {
  return transaction((tx) => {
    const r = deliveriesDb.recipientOf(tx, invoiceId);
    if (!r) throw new DomainError("not_found", "not_found", "Fakturan finns inte");
    const memberChannel = deliveryChannelOf({ kind: r.memberKind, deliveryChannel: r.deliveryChannel });
    const channel = reminderId === null ? memberChannel : reminderChannelOf(memberChannel, r.invoiceEmail);
    const skip = (detail: string): Claim => ({
      go: false,
      report: { invoiceId, number: r.number, channel, status: "skipped", detail },
    });
    if (r.state === "draft") return skip("Utkast: fakturan är inte utställd och kan inte skickas");
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

function finish(
  scope: Scope,
  attemptId: number,
  target: Target,
  result: { status: "sent" | "failed"; messageId: string | null; error: string | null },
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

function issuedDocument(invoiceId: number): InvoiceDocument {
  const doc = invoiceDocument(SYSTEM_SCOPE, invoiceId);
  if (!doc) throw new DeliveryFailure("Fakturan har inget utställt dokument");
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

async function deliverReminder(
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
async function sendOne(scope: Scope, sender: Sender, invoiceId: number, options: SendOptions): Promise<DeliveryReport> {
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

// Runs -----------------------------------------------------------------------------------------------------------

export interface RunProgress {
  total: number;
  done: number;
  failed: number;
  startedAt: string;
  by: string;
}

/** The runs being sent by this process right now, for the run page's progress. */
const active = new Map<number, RunProgress>();

function prepareRun(runId: number): { recipients: deliveriesDb.Recipient[]; settings: Settings } {
  const tx = db();
  if (!getRun(tx, runId)) throw new DomainError("not_found", "not_found", "Faktureringskörningen finns inte");
  if (active.has(runId))
    throw new DomainError("conflict", "already_sending", "Körningen skickas redan: vänta tills den är klar");
  const recipients = deliveriesDb.recipientsOfRun(tx, runId);
  if (recipients.length === 0)
    throw new DomainError(
      "conflict",
      "not_issued",
      "Körningen har inga utställda fakturor att skicka: ställ ut dem först",
    );
  return { recipients, settings: requireSettings(tx) };
}

async function sendPrepared(
  scope: Scope,
  runId: number,
  prepared: ReturnType<typeof prepareRun>,
  options: SendOptions,
  config: DeliveryConfig,
) {
  const progress: RunProgress = {
    total: prepared.recipients.length,
    done: 0,
    failed: 0,
    startedAt: new Date().toISOString(),
    by: actorLabel(scope),
  };
  active.set(runId, progress);
  const sender = new Sender(config, prepared.settings);
  const reports: DeliveryReport[] = [];
  try {
    for (const r of prepared.recipients) {
      const report = await sendOne(scope, sender, r.invoiceId, options);
      reports.push(report);
      progress.done++;
      if (report.status === "failed") progress.failed++;
    }
  } finally {
    active.delete(runId);
    sender.close();
  }
  return reports;
}

/**
 * Sends every issued invoice of a run (`POST /billing-runs/{id}/send`), in number order. What was sent already is
 * skipped unless `resend`; a failure is recorded and the rest goes on, so a retry sends only what failed.
 */
export async function sendRun(
  scope: Scope,
  runId: number,
  options: SendOptions = {},
  config = deliveryConfig(),
): Promise<DeliveryReport[]> {
  authorize(scope, "billing-run.send");
  return sendPrepared(scope, runId, prepareRun(runId), options, config);
}

/**
 * The page's way to send a run: checks what sendRun checks, then sends in the background and returns at once, so
 * the run page can show the progress while the messages go out (and a reload shows it without JavaScript).
 */
export function startRunSend(scope: Scope, runId: number, options: SendOptions = {}, config = deliveryConfig()): void {
  authorize(scope, "billing-run.send");
  const prepared = prepareRun(runId);
  sendPrepared(scope, runId, prepared, options, config).catch((error: unknown) => {
    // Each failed delivery is recorded by sendOne; this is only what broke the loop itself (the database went away).
    console.error(`Sending run ${runId} stopped:`, error);
  });
}

export function runProgress(runId: number): RunProgress | null {
  const p = active.get(runId);
  return p ? { ...p } : null;
}

type ChannelCounts = { total: number; sent: number; failed: number; sending: number; unsent: number };

export interface RunDeliverySummary {
  channels: Record<DeliveryChannel, ChannelCounts>;
  /** What a send without resend would send now, per channel. */
  toSend: Record<DeliveryChannel, number>;
  /** Of those, e-mail invoices without an address and Peppol invoices without a UBL document: they will fail. */
  missingEmail: number;
  missingUbl: number;
  /** Invoices already in the print batch (/billing/runs/{id}/print.pdf). */
  printed: number;
  progress: RunProgress | null;
}

export function runDeliverySummary(runId: number): RunDeliverySummary {
  const tx = db();
  const recipients = deliveriesDb.recipientsOfRun(tx, runId);
  const attempts = deliveriesDb.attemptsByInvoice(
    tx,
    recipients.map((r) => r.invoiceId),
  );
  const zero = (): ChannelCounts => ({ total: 0, sent: 0, failed: 0, sending: 0, unsent: 0 });
  const channels: Record<DeliveryChannel, ChannelCounts> = { peppol: zero(), email: zero(), print: zero() };
  const toSend: Record<DeliveryChannel, number> = { peppol: 0, email: 0, print: 0 };
  let missingEmail = 0;
  let missingUbl = 0;
  let printed = 0;
  const now = new Date();
  for (const r of recipients) {
    const channel = deliveryChannelOf({ kind: r.memberKind, deliveryChannel: r.deliveryChannel });
    const list = attempts.get(r.invoiceId) ?? [];
    const counts = channels[channel];
    counts.total++;
    counts[deliveryStateOf(list)]++;
    if (list.some((a) => a.status === "sent" && a.channel === "print")) printed++;
    if (sendDecision(list, { resend: false, now }).send) {
      toSend[channel]++;
      if (channel === "email" && !r.invoiceEmail) missingEmail++;
      if (channel === "peppol" && !r.hasUbl) missingUbl++;
    }
  }
  return { channels, toSend, missingEmail, missingUbl, printed, progress: runProgress(runId) };
}

/** One PDF of the run's invoices that went to print, in number (member) order, each appendix once at the end. */
export async function printPdfOfRun(scope: Scope, runId: number): Promise<Buffer | null> {
  authorize(scope, "billing-run.read");
  const tx = db();
  const recipients = deliveriesDb.recipientsOfRun(tx, runId);
  const attempts = deliveriesDb.attemptsByInvoice(
    tx,
    recipients.map((r) => r.invoiceId),
  );
  const docs = recipients
    .filter((r) => (attempts.get(r.invoiceId) ?? []).some((a) => a.status === "sent" && a.channel === "print"))
    .map((r) => issuedDocument(r.invoiceId));
  if (docs.length === 0) return null;
  return renderInvoicesPdf(docs, { appendices: "shared" });
}

// Reminders ------------------------------------------------------------------------------------------------------

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

// Reading the log --------------------------------------------------------------------------------------------------

export function deliveryLog(invoiceId: number) {
  return deliveriesDb.deliveryLog(db(), invoiceId);
}

export function deliveryJson(d: deliveriesDb.DeliveryLogRow) {
  return {
    id: d.id,
    kind: d.reminderId === null ? "invoice" : "reminder",
    reminderId: d.reminderId,
    channel: d.channel,
    status: d.status,
    recipient: d.recipient,
    messageId: d.messageId,
    error: d.error,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    sentBy: d.sentByLabel,
  };
}

export function reportJson(r: DeliveryReport) {
  return { invoiceId: r.invoiceId, number: r.number, channel: r.channel, status: r.status, detail: r.detail };
}

/** Where each invoice stands (unsent, sending, sent, failed), for the invoice list. */
export function deliveryStates(invoiceIds: number[]): Map<number, DeliveryState> {
  const map = new Map<number, DeliveryState>();
  for (const [id, list] of deliveriesDb.attemptsByInvoice(db(), invoiceIds)) map.set(id, deliveryStateOf(list));
  return map;
}
