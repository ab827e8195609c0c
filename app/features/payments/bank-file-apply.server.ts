import { paymentKey } from "../../../billing/bgmax";
import { formatSek, type Ore } from "../../../billing/money";
import { referencesOf } from "../../../billing/payment-matching";
import { writeAudit } from "../../../db/audit";
import { transaction } from "../../../db/client";
import * as filesDb from "../../../db/payment-files";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { readOrThrow, checkAdmissible, buildPreview } from "./bank-files.server";
import { registerPaymentIn } from "./commands.server";
import { authorize } from "../../../billing/policy";

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
  authorize(scope, "payment-file.apply");
  return transaction((tx) => {
    const row = filesDb.getFile(tx, id);
    if (!row) throw new DomainError("not_found", "not_found", "Filen finns inte");
    if (row.status === "applied")
      throw new DomainError(
        "conflict",
        "already_applied",
        `Fil ${id} är redan inläst (${row.appliedAt?.slice(0, 10)})`,
      );
    const file = readOrThrow(row.content);
    checkAdmissible(tx, file);
    const preview = buildPreview(tx, row, file);
    // The page sends what the treasurer confirmed; a payment registered meanwhile may have changed the matching.
    if (confirmed && confirmed.applied !== preview.applied.amount) {
      throw new DomainError(
        "conflict",
        "preview_changed",
        `Förhandsgranskningen har ändrats sedan du bekräftade (${formatSek(preview.applied.amount)} går nu till fakturor, inte ${formatSek(confirmed.applied)}): granska filen igen`,
      );
    }
    if (!filesDb.markApplied(tx, id, scope.userId))
      throw new DomainError("conflict", "already_applied", `Fil ${id} är redan inläst`);
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
