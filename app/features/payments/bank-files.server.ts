import { createHash } from "node:crypto";
import { paymentKey, readBgmax, type BgmaxFile, type BgmaxPayment } from "../../../billing/bgmax";
import { todayIso } from "../../../billing/dates";
import type { UploadStatus } from "../../../billing/enums";
import { balanceOf } from "../../../billing/invoice";
import { earliestPaymentDate } from "../../../billing/issue-dates";
import { sumOre, type Ore } from "../../../billing/money";
import { matchPayments, type MatchKind, type MatchableInvoice } from "../../../billing/payment-matching";
import { writeAudit } from "../../../db/audit";
import { db, transaction, type Db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import * as filesDb from "../../../db/payment-files";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { getSettings } from "../settings/queries.server";
import { authorize } from "../../../billing/policy";

/*
 * BgMax payment files (docs/bgmax.md): upload (read strictly, refuse duplicates, keep the bytes, show a preview),
 * apply (one transaction: matched payments registered on their invoices, the rest kept as unmatched payments), and
 * the treasurer's handling of unmatched payments (assign to an invoice, or mark refunded).
 */

/** A file that does not read: the API answers 422 with the line (`detail.line`), the page shows it. */
export function unreadableFile(line: number, message: string): DomainError {
  const text = `Rad ${line}: ${message}`;
  return new DomainError("validation", "unreadable_file", text, { file: text }, { line });
}

export interface PreviewAllocation {
  invoiceId: number;
  invoiceNumber: number | null;
  memberName: string;
  amount: Ore;
}

export interface PreviewPayment {
  line: number;
  kind: BgmaxPayment["kind"];
  serial: string;
  reference: string;
  extraReferences: string[];
  /** Signed: a deduction is negative. */
  amount: Ore;
  paidOn: string;
  payer: string;
  invoiceId: number | null;
  invoiceNumber: number | null;
  match: MatchKind;
  allocations: PreviewAllocation[];
  unmatched: Ore;
}

export interface PaymentFilePreview {
  id: number;
  status: UploadStatus;
  fileName: string;
  uploadedAt: string;
  total: Ore;
  deposits: Array<{ line: number; paymentDate: string; total: Ore; count: number }>;
  payments: PreviewPayment[];
  /** What applying would put on invoices and keep unmatched now (or did, once applied). */
  applied: { count: number; amount: Ore };
  unmatched: { count: number; amount: Ore };
}

export function readOrThrow(bytes: Uint8Array): BgmaxFile {
  const result = readBgmax(bytes);
  if (!result.ok) throw unreadableFile(result.error.line, result.error.message);
  return result.file;
}

const digits = (s: string) => s.replace(/\D/g, "").replace(/^0+/, "");

/** Checks that a file may be taken in at all: our bankgiro, no payment twice in it, none applied before. */
export function checkAdmissible(tx: Db, file: BgmaxFile): void {
  const settings = getSettings(tx);
  if (settings) {
    const ours = digits(settings.bankgiro);
    const foreign = file.deposits.find((d) => digits(d.bankgiro) !== ours);
    if (foreign) {
      throw unreadableFile(
        foreign.line,
        `insättningen gäller bankgiro ${digits(foreign.bankgiro)}, men föreningens bankgiro är ${settings.bankgiro}: filen hör inte till föreningen`,
      );
    }
  }
  const seen = new Map<string, number>();
  for (const p of file.payments) {
    const key = paymentKey(p);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw unreadableFile(
        p.line,
        `samma betalning som på rad ${earlier} (löpnummer ${p.serial}): filen läses inte in`,
      );
    seen.set(key, p.line);
  }
  const applied = filesDb.appliedKeys(tx, [...seen.keys()]);
  if (applied.size > 0) {
    const first = file.payments.find((p) => applied.has(paymentKey(p)))!;
    const where = applied.get(paymentKey(first))!;
    throw new DomainError(
      "conflict",
      "duplicate_file",
      `Betalningen på rad ${first.line} (löpnummer ${first.serial}, ${first.paidOn}) är redan inläst med fil ${where.fileId}: samma betalning läses aldrig in två gånger`,
    );
  }
}

function invoicesToMatch(tx: Db) {
  const rows = filesDb.matchableInvoices(tx);
  const credits = invoicesDb.adjustmentCredits(tx);
  const matchable: MatchableInvoice[] = rows.map((r) => ({
    id: r.id,
    ocr: r.ocr,
    balance: balanceOf({ state: r.state, total: r.totalOre, paid: r.paid, credited: credits.get(r.id), kind: r.kind }),
    open: r.kind === "invoice" && r.state === "issued",
    // The earliest day it may be paid: an invoice dated ahead is payable from the day it was issued.
    issueDate: r.issueDate
      ? earliestPaymentDate(r.issueDate, r.issuedAt ? todayIso(new Date(r.issuedAt)) : null)
      : "9999-12-31",
  }));
  return { matchable, byId: new Map(rows.map((r) => [r.id, r])) };
}

export function buildPreview(tx: Db, row: filesDb.PaymentFileSummary, file: BgmaxFile): PaymentFilePreview {
  const { matchable, byId } = invoicesToMatch(tx);
  const matches = matchPayments(
    file.payments.map((p) => ({
      kind: p.kind,
      reference: p.reference,
      extraReferences: p.extraReferences.filter((e) => e.type === "22").map((e) => e.reference),
      amount: p.amount,
      paidOn: p.paidOn,
    })),
    matchable,
  );
  const payments = file.payments.map((p, i): PreviewPayment => {
    const m = matches[i];
    return {
      line: p.line,
      kind: p.kind,
      serial: p.serial,
      reference: p.reference,
      extraReferences: p.extraReferences.map((e) => e.reference),
      amount: p.kind === "deduction" ? -p.amount : p.amount,
      paidOn: p.paidOn,
      payer: p.payer.name,
      invoiceId: m.invoiceId,
      invoiceNumber: m.invoiceId === null ? null : (byId.get(m.invoiceId)?.number ?? null),
      match: m.match,
      allocations: m.allocations.map((a) => ({
        invoiceId: a.invoiceId,
        invoiceNumber: byId.get(a.invoiceId)?.number ?? null,
        memberName: byId.get(a.invoiceId)?.memberName ?? "",
        amount: a.amount,
      })),
      unmatched: m.unmatched,
    };
  });
  const allocations = payments.flatMap((p) => p.allocations);
  const leftovers = payments.filter((p) => p.unmatched !== 0);
  const preview: PaymentFilePreview = {
    id: row.id,
    status: row.status,
    fileName: row.fileName,
    uploadedAt: row.uploadedAt,
    total: file.total,
    deposits: file.deposits.map((d) => ({
      line: d.line,
      paymentDate: d.paymentDate,
      total: d.total,
      count: d.payments.length,
    })),
    payments,
    applied: { count: allocations.length, amount: sumOre(allocations.map((a) => a.amount)) },
    unmatched: { count: leftovers.length, amount: sumOre(leftovers.map((p) => p.unmatched)) },
  };
  if (row.status === "applied") {
    const sums = filesDb.fileSums(tx, row.id);
    preview.applied = sums.applied;
    preview.unmatched = sums.unmatched;
  }
  return preview;
}

/**
 * Takes in an uploaded BgMax file: refused whole when it does not read (422 with the line), when it is the same
 * file as an earlier one or brings a payment already applied (409 duplicate_file); otherwise stored as a preview.
 */
export function uploadPaymentFile(scope: Scope, bytes: Uint8Array, fileName = ""): PaymentFilePreview {
  authorize(scope, "payment-file.upload");
  const file = readOrThrow(bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return transaction((tx) => {
    const same = filesDb.findFileByHash(tx, sha256);
    if (same) {
      throw new DomainError(
        "conflict",
        "duplicate_file",
        `Filen är redan uppladdad (fil ${same.id}, ${same.uploadedAt.slice(0, 10)}${same.status === "applied" ? ", inläst" : ", inte inläst än"}): samma fil läses aldrig in två gånger`,
      );
    }
    checkAdmissible(tx, file);
    const row = filesDb.insertFile(tx, {
      sha256,
      fileName,
      fileTimestamp: file.timestamp,
      totalOre: file.total,
      paymentCount: file.payments.length,
      content: Buffer.from(bytes),
      uploadedAt: new Date().toISOString(),
      uploadedBy: scope.userId,
    });
    writeAudit(tx, scope, {
      action: "payment_file.upload",
      entity: "payment_file",
      entityId: row.id,
      after: { fileName, sha256, total: file.total, payments: file.payments.length },
    });
    return buildPreview(tx, row, file);
  });
}

/** The preview of a file as it would be applied now (balances change as payments come in), or as it was applied. */
export function paymentFilePreview(scope: Scope, id: number): PaymentFilePreview | undefined {
  authorize(scope, "payment.read");
  const tx = db();
  const row = filesDb.getFile(tx, id);
  if (!row) return undefined;
  return buildPreview(tx, row, readOrThrow(row.content));
}

export function listPaymentFiles(scope: Scope) {
  authorize(scope, "payment.read");
  return filesDb.listFiles(db());
}
