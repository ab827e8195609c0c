import { oreToDecimalString } from "../../billing/money";
import type { UnmatchedListRow } from "../../db/payment-files";
import type { PaymentFilePreview } from "~/features/payments/bank-files.server";

/*
 * The JSON of BgMax files and unmatched payments (docs/bgmax.md), and reading a file sent as the raw body.
 */

const money = oreToDecimalString;

export function previewJson(p: PaymentFilePreview) {
  return {
    id: p.id,
    status: p.status,
    fileName: p.fileName,
    total: money(p.total),
    applied: { count: p.applied.count, amount: money(p.applied.amount) },
    unmatched: { count: p.unmatched.count, amount: money(p.unmatched.amount) },
    deposits: p.deposits.map((d) => ({
      line: d.line,
      paymentDate: d.paymentDate,
      total: money(d.total),
      count: d.count,
    })),
    payments: p.payments.map((x) => ({
      line: x.line,
      kind: x.kind,
      serial: x.serial,
      reference: x.reference,
      extraReferences: x.extraReferences,
      amount: money(x.amount),
      paidOn: x.paidOn,
      payer: x.payer,
      invoiceId: x.invoiceId,
      invoiceNumber: x.invoiceNumber,
      match: x.match,
      allocations: x.allocations.map((a) => ({
        invoiceId: a.invoiceId,
        invoiceNumber: a.invoiceNumber,
        amount: money(a.amount),
      })),
      unmatched: money(x.unmatched),
    })),
  };
}

export function sumsJson(s: {
  applied: { count: number; amount: number };
  unmatched: { count: number; amount: number };
}) {
  return {
    applied: { count: s.applied.count, amount: money(s.applied.amount) },
    unmatched: { count: s.unmatched.count, amount: money(s.unmatched.amount) },
  };
}

export function unmatchedJson(u: UnmatchedListRow | Omit<UnmatchedListRow, "invoiceNumber">) {
  return {
    id: u.id,
    reference: u.reference,
    amount: money(u.amountOre),
    paidOn: u.paidOn,
    payer: u.payer,
    fileId: u.fileId,
    reason: u.reason,
    status: u.status,
    invoiceId: u.invoiceId,
    note: u.note,
  };
}
