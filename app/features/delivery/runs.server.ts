import { deliveryChannelOf, deliveryStateOf, sendDecision, type DeliveryChannel } from "../../../billing/delivery";
import { renderInvoicesPdf } from "../../../billing/pdf";
import { db } from "../../../db/client";
import * as deliveriesDb from "../../../db/deliveries";
import { getRun } from "../../../db/invoices";
import { actorLabel, type Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import type { Settings } from "../settings/queries.server";
import { requireSettings } from "../settings/queries.server";
import { DeliveryConfig, deliveryConfig } from "./config.server";
import { SendOptions, DeliveryReport, sendOne, Sender, issuedDocument } from "./send.server";
import { authorize } from "../../../billing/policy";

/** Sending a whole billing run (docs/delivery.md): in the background with its progress, the summary per channel, the print PDF. */

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
      "Körningen har inga utfärdade fakturor att skicka: utfärda dem först",
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
