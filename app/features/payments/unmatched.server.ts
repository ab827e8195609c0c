import { formatSek } from "../../../billing/money";
import { writeAudit } from "../../../db/audit";
import { db, transaction, type Db } from "../../../db/client";
import * as filesDb from "../../../db/payment-files";
import type { UnmatchedStatus } from "../../../billing/enums";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import type { AssignUnmatchedInput, RefundUnmatchedInput } from "../../lib/payment-schemas";
import { registerPaymentIn } from "./commands.server";
import { authorize } from "../../../billing/policy";

/** Unmatched payments of bank files (docs/bgmax.md): the treasurer assigns them to an invoice or marks them refunded. */

export function listUnmatchedPayments(scope: Scope, filter: { status?: UnmatchedStatus } = {}) {
  authorize(scope, "payment.read");
  return filesDb.listUnmatched(db(), filter);
}

function openUnmatched(tx: Db, id: number): filesDb.UnmatchedRow {
  const row = filesDb.getUnmatched(tx, id);
  if (!row) throw new DomainError("not_found", "not_found", "Betalningen finns inte");
  if (row.status !== "open") {
    throw new DomainError(
      "conflict",
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
  authorize(scope, "unmatched-payment.assign");
  return transaction((tx) => {
    const row = openUnmatched(tx, id);
    if (row.amountOre < 0) {
      throw new DomainError(
        "conflict",
        "deduction",
        "Ett avdrag är pengar som banken tagit tillbaka och kan inte läggas på en faktura: markera det som hanterat",
      );
    }
    const part = input.amount ?? row.amountOre;
    if (part > row.amountOre) {
      throw new DomainError("validation", "validation_failed", "Beloppet är större än den omatchade betalningen", {
        amount: `Högst ${formatSek(row.amountOre)} finns kvar av betalningen`,
      });
    }
    const invoice = filesDb.matchableInvoices(tx).find((r) => r.number === input.invoiceNumber);
    if (!invoice) {
      throw new DomainError("validation", "validation_failed", "Fakturan finns inte", {
        invoiceNumber: `Det finns ingen utfärdad faktura med nummer ${input.invoiceNumber}`,
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
      if (error instanceof DomainError && (error.kind === "conflict" || error.kind === "validation")) {
        throw new DomainError("validation", "validation_failed", error.message, {
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
  authorize(scope, "unmatched-payment.refund");
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
