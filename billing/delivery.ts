import type { InvoiceDocument, ReminderDocument } from "./invoice-document";
import { formatSek } from "./money";

/*
 * The rules of delivering issued invoices and reminders (docs/delivery.md): which channel a member gets, whether
 * an invoice is sent again, what the e-mail says and what the files are called. Plain data in and out; the sending
 * itself (SMTP, the outbox folder) lives in app/features/delivery/.
 */

export const DELIVERY_CHANNELS = ["peppol", "email", "print"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export type AttemptStatus = "sending" | "sent" | "failed";
/** What a send request reports per invoice (the API's `deliveries[].status`). */
export type DeliveryOutcome = "sent" | "failed" | "skipped";

/** A member's channel: its own choice, else Peppol for a municipality (they all receive e-invoices) and e-mail for others. */
export function deliveryChannelOf(member: {
  kind: "municipality" | "organisation";
  deliveryChannel: DeliveryChannel | null;
}): DeliveryChannel {
  if (member.deliveryChannel) return member.deliveryChannel;
  return member.kind === "municipality" ? "peppol" : "email";
}

/**
 * A reminder is a PDF, not an e-invoice: a Peppol member gets it by e-mail when it has an invoice address, else it
 * is printed. E-mail and print members get it as they get their invoices.
 */
export function reminderChannelOf(channel: DeliveryChannel, invoiceEmail: string | null): DeliveryChannel {
  if (channel !== "peppol") return channel;
  return invoiceEmail ? "email" : "print";
}

/** The Peppol participant id to deliver to: the member's own, else scheme 0007 (Swedish organisation number). */
export function peppolIdOf(member: { peppolId: string | null; orgNumber: string }): string {
  return member.peppolId ?? `0007:${member.orgNumber.replace(/\D/g, "")}`;
}

export interface Attempt {
  status: AttemptStatus;
  startedAt: string; // ISO timestamp
}

/** An attempt still "sending" after this long was cut short (the process stopped): it no longer blocks a retry. */
export const STALE_ATTEMPT_MS = 15 * 60 * 1000;

export type SendDecision = { send: true } | { send: false; reason: "already_sent" | "in_flight" };

/**
 * Whether to send an invoice (or a reminder) now, given its earlier attempts, oldest first. Sending is idempotent:
 * once one attempt succeeded nothing more goes out unless the treasurer asks to resend; an attempt in flight is
 * never doubled, not even by a resend; failed attempts are retried.
 */
export function sendDecision(attempts: readonly Attempt[], options: { resend: boolean; now: Date }): SendDecision {
  const now = options.now.getTime();
  const inFlight = attempts.some((a) => a.status === "sending" && now - Date.parse(a.startedAt) < STALE_ATTEMPT_MS);
  if (inFlight) return { send: false, reason: "in_flight" };
  if (!options.resend && attempts.some((a) => a.status === "sent")) return { send: false, reason: "already_sent" };
  return { send: true };
}

/** Where an invoice stands for the treasurer's lists: the result of its latest attempt, or "unsent". */
export type DeliveryState = "unsent" | AttemptStatus;

export function deliveryStateOf(attempts: readonly Attempt[]): DeliveryState {
  if (attempts.some((a) => a.status === "sent")) return "sent";
  return attempts.length === 0 ? "unsent" : attempts[attempts.length - 1].status;
}

/** The file name in the Peppol outbox: the invoice number, which is unique across invoices and credit notes. */
export function outboxFileName(number: string): string {
  if (!/^\d+$/.test(number)) throw new RangeError(`Not an invoice number: ${number}`);
  return `${number}.xml`;
}

export function pdfFileName(doc: Pick<InvoiceDocument, "kind" | "number">): string {
  return `${doc.kind === "credit_note" ? "kreditfaktura" : "faktura"}-${doc.number}.pdf`;
}

export interface EmailMessage {
  subject: string;
  text: string;
}

function signature(doc: InvoiceDocument): string {
  const s = doc.seller;
  return [`Med vänlig hälsning`, s.ourReference, s.name, s.email, s.phone].filter(Boolean).join("\n");
}

/** The short Swedish cover message of an invoice or credit note sent by e-mail ("ni" to the buyer). */
export function invoiceEmail(doc: InvoiceDocument): EmailMessage {
  const s = doc.seller;
  if (doc.kind === "credit_note") {
    const original = doc.creditedInvoice ? ` för faktura ${doc.creditedInvoice.number}` : "";
    return {
      subject: `Kreditfaktura ${doc.number} från ${s.name}`,
      text: [
        `Hej!`,
        ``,
        `Här får ni kreditfaktura ${doc.number}${original} från ${s.name}, på ${formatSek(doc.total)}.`,
        `Ni behöver inte betala något för den krediterade fakturan.`,
        ``,
        `Kreditfakturan finns som PDF i bilagan.`,
        ``,
        signature(doc),
      ].join("\n"),
    };
  }
  const appendix =
    doc.appendices.length > 0 ? " med bilaga som visar hur projektkostnaderna är fördelade mellan deltagarna" : "";
  return {
    subject: `Faktura ${doc.number} från ${s.name}`,
    text: [
      `Hej!`,
      ``,
      `Här får ni faktura ${doc.number} från ${s.name}, fakturadatum ${doc.issueDate}.`,
      `Att betala: ${formatSek(doc.total)} senast ${doc.dueDate} till bankgiro ${s.bankgiro}, ange OCR ${doc.ocr}.`,
      `Er referens: ${doc.buyer.reference || "–"}.`,
      ``,
      `Fakturan finns som PDF${appendix}. Har ni frågor om fakturan, svara på det här meddelandet.`,
      ``,
      signature(doc),
    ].join("\n"),
  };
}

/** The cover message of a reminder (påminnelse) sent by e-mail. */
export function reminderEmail(doc: ReminderDocument): EmailMessage {
  const inv = doc.invoice;
  return {
    subject: `Påminnelse: faktura ${inv.number} från ${inv.seller.name}`,
    text: [
      `Hej!`,
      ``,
      `Enligt vår bokföring är faktura ${inv.number} (förfallodag ${inv.dueDate}) inte betald i sin helhet.`,
      `Kvar att betala: ${formatSek(doc.balance)}. Vi ber er betala senast ${doc.newDueDate} till bankgiro ${inv.seller.bankgiro}, ange OCR ${inv.ocr}.`,
      `Har ni redan betalat kan ni bortse från påminnelsen.`,
      ``,
      `Påminnelsen finns som PDF i bilagan.`,
      ``,
      signature(inv),
    ].join("\n"),
  };
}
