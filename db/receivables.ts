import { and, eq, ne, sql } from "drizzle-orm";
import { privateMemberOf } from "../billing/policy";
import type { LedgerInvoice, LedgerPayment } from "../billing/receivables";
import type { Db } from "./client";
import { adjustmentCreditTargets } from "./invoices";
import { invoices, members, payments } from "./schema";
import { canSeeMemberPrivate, type Scope } from "./scope";

/*
 * The ledger behind the receivables (docs/receivables.md): issued invoices and credit notes, and their payments.
 * A member user sees only its own member's; staff everything.
 */

function memberCondition(scope: Scope, memberId?: number) {
  const own = privateMemberOf(scope);
  if (own !== "all") return eq(invoices.memberId, own ?? -1);
  return memberId === undefined ? undefined : eq(invoices.memberId, memberId);
}

export function ledgerInvoices(tx: Db, scope: Scope, memberId?: number): LedgerInvoice[] {
  if (memberId !== undefined && !canSeeMemberPrivate(scope, memberId)) return [];
  let adjustmentTargets: Map<number, number> | undefined;
  const targets = () =>
    (adjustmentTargets ??= new Map(adjustmentCreditTargets(tx).map((t) => [t.creditNoteId, t.invoiceId])));
  return (
    tx
      .select({
        id: invoices.id,
        memberId: invoices.memberId,
        kind: invoices.kind,
        number: invoices.number,
        issueDate: invoices.issueDate,
        dueDate: invoices.dueDate,
        total: invoices.totalOre,
        creditedInvoiceId: invoices.creditedInvoiceId,
      })
      .from(invoices)
      .where(and(ne(invoices.state, "draft"), memberCondition(scope, memberId)))
      .all()
      // The invoice a credit note counts against: the one it cancels, or the one a credit note of adjustments lowers.
      .map((r) =>
        r.kind === "credit_note" && r.creditedInvoiceId === null
          ? { ...r, creditedInvoiceId: targets().get(r.id) ?? null }
          : r,
      )
  );
}

export function ledgerPayments(tx: Db, scope: Scope, memberId?: number): LedgerPayment[] {
  if (memberId !== undefined && !canSeeMemberPrivate(scope, memberId)) return [];
  return tx
    .select({ id: payments.id, invoiceId: payments.invoiceId, amount: payments.amountOre, paidOn: payments.paidOn })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
    .where(memberCondition(scope, memberId) ?? sql`1 = 1`)
    .all();
}

export function memberNames(tx: Db): Map<number, { name: string; municipalityCode: string | null }> {
  return new Map(
    tx
      .select({ id: members.id, name: members.name, municipalityCode: members.municipalityCode })
      .from(members)
      .all()
      .map((m) => [m.id, { name: m.name, municipalityCode: m.municipalityCode }]),
  );
}
