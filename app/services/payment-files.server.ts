import { createHash } from "node:crypto";
import { paymentKey, readBgmax, type BgmaxFile, type BgmaxPayment } from "../../billing/bgmax";
import { balanceOf } from "../../billing/invoice";
import { todayIso } from "../../billing/dates";
import { earliestPaymentDate } from "../../billing/issue-dates";
import { formatSek, sumOre, type Ore } from "../../billing/money";
import { matchPayments, referencesOf, type MatchKind, type MatchableInvoice } from "../../billing/payment-matching";
import { writeAudit } from "../../db/audit";
import { db, transaction, type Db } from "../../db/client";
import * as filesDb from "../../db/payment-files";
import type { Scope } from "../../db/scope";
import { DomainError } from "../lib/http.server";
import type { AssignUnmatchedInput, RefundUnmatchedInput } from "../lib/payment-schemas";
import { registerPaymentIn } from "./billing.server";
import { getSettings } from "./settings.server";

/*
 * BgMax payment files (docs/bgmax.md): upload (read strictly, refuse duplicates, keep the bytes, show a preview),
 * apply (one transaction: matched payments registered on their invoices, the rest kept as unmatched payments), and
 * the treasurer's handling of unmatched payments (assign to an invoice, or mark refunded).
 */

/** A file that does not read: the API answers 422 with the line, the page shows it. */
export class PaymentFileError extends DomainError {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(422, "unreadable_file", `Rad ${line}: ${message}`, { file: `Rad ${line}: ${message}` });
  }
}

function assertStaff(scope: Scope): void {
  if (scope.role !== "treasurer" && scope.role !== "admin") {
    throw new DomainError(404, "not_found", "Finns inte");
  }
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
  status: "preview" | "applied";
  fileName: string;
  uploadedAt: string;
  total: Ore;
  deposits: Array<{ line: number; paymentDate: string; total: Ore; count: number }>;
  payments: PreviewPayment[];
  /** What applying would put on invoices and keep unmatched now (or did, once applied). */
  applied: { count: number; amount: Ore };
  unmatched: { count: number; amount: Ore };
}

function readOrThrow(bytes: Uint8Array): BgmaxFile {
  const result = readBgmax(bytes);
  if (!result.ok) throw new PaymentFileError(result.error.line, result.error.message);
  return result.file;
}

const digits = (s: string) => s.replace(/\D/g, "").replace(/^0+/, "");

/** Checks that a file may be taken in at all: our bankgiro, no payment twice in it, none applied before. */
function checkAdmissible(tx: Db, file: BgmaxFile): void {
  const settings = getSettings(tx);
  if (settings) {
    const ours = digits(settings.bankgiro);
    const foreign = file.deposits.find((d) => digits(d.bankgiro) !== ours);
    if (foreign) {
      throw new PaymentFileError(
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
      throw new PaymentFileError(
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
      409,
      "duplicate_file",
      `Betalningen på rad ${first.line} (löpnummer ${first.serial}, ${first.paidOn}) är redan inläst med fil ${where.fileId}: samma betalning läses aldrig in två gånger`,
    );
  }
}

function invoicesToMatch(tx: Db) {
  const rows = filesDb.matchableInvoices(tx);
  const matchable: MatchableInvoice[] = rows.map((r) => ({
    id: r.id,
    ocr: r.ocr,
    balance: balanceOf({ state: r.state, total: r.totalOre, paid: r.paid, kind: r.kind }),
    open: r.kind === "invoice" && r.state === "issued",
    // The earliest day it may be paid: an invoice dated ahead is payable from the day it was issued.
    issueDate: r.issueDate
      ? earliestPaymentDate(r.issueDate, r.issuedAt ? todayIso(new Date(r.issuedAt)) : null)
      : "9999-12-31",
  }));
  return { matchable, byId: new Map(rows.map((r) => [r.id, r])) };
}

function buildPreview(tx: Db, row: filesDb.PaymentFileSummary, file: BgmaxFile): PaymentFilePreview {
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
  assertStaff(scope);
  const file = readOrThrow(bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return transaction((tx) => {
    const same = filesDb.findFileByHash(tx, sha256);
    if (same) {
      throw new DomainError(
        409,
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
  assertStaff(scope);
  const tx = db();
  const row = filesDb.getFile(tx, id);
  if (!row) return undefined;
  return buildPreview(tx, row, readOrThrow(row.content));
}

export function listPaymentFiles(scope: Scope) {
  assertStaff(scope);
  return filesDb.listFiles(db());
}

/**
 * Applies a previewed file in one transaction: every matched payment is registered on its invoice (dated the
 * deposit's payment date, through the same rules as a manual payment), everything else becomes an unmatched
 * payment. applied + unmatched = the file's total, checked before the transaction commits.
 */
export function applyPaymentFile(
  scope: Scope,
  id: number,
  confirmed?: { applied: Ore },
): { applied: { count: number; amount: Ore }; unmatched: { count: number; amount: Ore } } {
  assertStaff(scope);
  return transaction((tx) => {
    const row = filesDb.getFile(tx, id);
    if (!row) throw new DomainError(404, "not_found", "Filen finns inte");
    if (row.status === "applied")
      throw new DomainError(409, "already_applied", `Fil ${id} är redan inläst (${row.appliedAt?.slice(0, 10)})`);
    const file = readOrThrow(row.content);
    checkAdmissible(tx, file);
    const preview = buildPreview(tx, row, file);
    // The page sends what the treasurer confirmed; a payment registered meanwhile may have changed the matching.
    if (confirmed && confirmed.applied !== preview.applied.amount) {
      throw new DomainError(
        409,
        "preview_changed",
        `Förhandsgranskningen har ändrats sedan du bekräftade (${formatSek(preview.applied.amount)} går nu till fakturor, inte ${formatSek(confirmed.applied)}): granska filen igen`,
      );
    }
    if (!filesDb.markApplied(tx, id, scope.userId))
      throw new DomainError(409, "already_applied", `Fil ${id} är redan inläst`);
    file.payments.forEach((p, i) => {
      const m = preview.payments[i];
      const bankPaymentId = filesDb.insertBankPayment(tx, {
        fileId: id,
        paymentKey: paymentKey(p),
        line: p.line,
        serial: p.serial,
        kind: p.kind,
        paidOn: p.paidOn,
        reference: referencesOf({ reference: p.reference, extraReferences: [] })[0] ?? "",
        payer: p.payer.name,
        amountOre: m.amount,
        match: m.match,
      });
      for (const a of m.allocations) {
        const payment = registerPaymentIn(tx, scope, a.invoiceId, {
          amount: a.amount,
          paidOn: p.paidOn,
          note: `BgMax fil ${id}, rad ${p.line}, löpnummer ${p.serial}`,
        });
        filesDb.linkAllocation(tx, payment.id, bankPaymentId);
      }
      if (m.unmatched !== 0) {
        const unmatched = filesDb.insertUnmatched(tx, {
          fileId: id,
          bankPaymentId,
          reference: [p.reference, ...p.extraReferences.map((e) => e.reference)]
            .filter(Boolean)
            .join(" / ")
            .slice(0, 500),
          payer: p.payer.name,
          paidOn: p.paidOn,
          amountOre: m.unmatched,
          reason: m.match,
          invoiceId: m.match === "over" || m.match === "closed" ? m.invoiceId : null,
        });
        writeAudit(tx, scope, {
          action: "unmatched_payment.create",
          entity: "unmatched_payment",
          entityId: unmatched.id,
          after: unmatched,
        });
      }
    });
    const sums = filesDb.fileSums(tx, id);
    if (sums.applied.amount + sums.unmatched.amount !== file.total) {
      // Cannot happen while matching keeps its invariant; if it ever does, nothing of the file is stored.
      throw new Error(
        `payment file ${id}: applied ${sums.applied.amount} + unmatched ${sums.unmatched.amount} ≠ total ${file.total}`,
      );
    }
    writeAudit(tx, scope, {
      action: "payment_file.apply",
      entity: "payment_file",
      entityId: id,
      after: { total: file.total, ...sums },
    });
    return sums;
  });
}

// Unmatched payments -------------------------------------------------------------------------------------------

export function listUnmatchedPayments(scope: Scope, filter: { status?: "open" | "assigned" | "refunded" } = {}) {
  assertStaff(scope);
  return filesDb.listUnmatched(db(), filter);
}

function openUnmatched(tx: Db, id: number): filesDb.UnmatchedRow {
  const row = filesDb.getUnmatched(tx, id);
  if (!row) throw new DomainError(404, "not_found", "Betalningen finns inte");
  if (row.status !== "open") {
    throw new DomainError(
      409,
      "already_resolved",
      row.status === "assigned"
        ? "Betalningen är redan lagd på en faktura"
        : "Betalningen är redan markerad som återbetald",
    );
  }
  return row;
}

/**
 * Gives an unmatched payment (or part of it) to an invoice, registering a payment on it dated the bank's payment
 * date. Part of it: the row keeps the rest, and the assigned part becomes a row of its own, so the file's sum holds.
 */
export function assignUnmatchedPayment(scope: Scope, id: number, input: AssignUnmatchedInput) {
  assertStaff(scope);
  return transaction((tx) => {
    const row = openUnmatched(tx, id);
    if (row.amountOre < 0) {
      throw new DomainError(
        409,
        "deduction",
        "Ett avdrag är pengar som banken tagit tillbaka och kan inte läggas på en faktura: markera det som hanterat",
      );
    }
    const part = input.amount ?? row.amountOre;
    if (part > row.amountOre) {
      throw new DomainError(422, "validation_failed", "Beloppet är större än den omatchade betalningen", {
        amount: `Högst ${formatSek(row.amountOre)} finns kvar av betalningen`,
      });
    }
    const invoice = filesDb.matchableInvoices(tx).find((r) => r.number === input.invoiceNumber);
    if (!invoice) {
      throw new DomainError(422, "validation_failed", "Fakturan finns inte", {
        invoiceNumber: `Det finns ingen skickad faktura med nummer ${input.invoiceNumber}`,
      });
    }
    let payment;
    try {
      payment = registerPaymentIn(tx, scope, invoice.id, {
        amount: part,
        paidOn: row.paidOn,
        note: `Omatchad betalning ${row.id} (${row.reference || "utan referens"})`,
      });
    } catch (error) {
      // The invoice's own refusals (paid, credited, more than the balance) belong next to the invoice number.
      if (error instanceof DomainError && error.status !== 404) {
        throw new DomainError(error.status === 409 ? 422 : error.status, "validation_failed", error.message, {
          [error.fields?.amount ? "amount" : "invoiceNumber"]:
            error.fields?.amount ?? error.fields?.paidOn ?? error.message,
        });
      }
      throw error;
    }
    const resolved = {
      status: "assigned" as const,
      invoiceId: invoice.id,
      paymentId: payment.id,
      resolvedAt: new Date().toISOString(),
      resolvedBy: scope.userId,
    };
    let assigned: filesDb.UnmatchedRow;
    if (part === row.amountOre) {
      assigned = filesDb.updateUnmatched(tx, row.id, resolved);
    } else {
      filesDb.updateUnmatched(tx, row.id, { amountOre: row.amountOre - part });
      const { id: _id, createdAt: _c, ...copy } = row;
      assigned = filesDb.insertUnmatched(tx, { ...copy, ...resolved, amountOre: part, splitFromId: row.id });
    }
    writeAudit(tx, scope, {
      action: "unmatched_payment.assign",
      entity: "unmatched_payment",
      entityId: row.id,
      before: row,
      after: assigned,
    });
    return assigned;
  });
}

/** Marks an unmatched payment (or a deduction) as settled outside the app: paid back to the payer, or handled. */
export function refundUnmatchedPayment(scope: Scope, id: number, input: RefundUnmatchedInput) {
  assertStaff(scope);
  return transaction((tx) => {
    const row = openUnmatched(tx, id);
    const after = filesDb.updateUnmatched(tx, row.id, {
      status: "refunded",
      note: input.note,
      resolvedAt: new Date().toISOString(),
      resolvedBy: scope.userId,
    });
    writeAudit(tx, scope, {
      action: "unmatched_payment.refund",
      entity: "unmatched_payment",
      entityId: row.id,
      before: row,
      after,
    });
    return after;
  });
}
