import { and, eq, ne, sql } from "drizzle-orm";
import { privateMemberOf } from "../billing/policy";
import type { LedgerInvoice, LedgerPayment } from "../billing/receivables";
import type { Db } from "./client";
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
  return tx
    .select({
      id: invoices.id,
      memberId: invoices.memberId,
      kind: invoices.kind,
      number: invoices.number,
      issueDate: invoices.issueDate,
      dueDate: invoices.dueDate,
      total: invoices.totalOre,
      // The invoice a credit note counts against: the one it cancels, or for a credit note of adjustments (which
      // cancels nothing, docs/adjustments.md) the member's invoice its frozen document refers to by number.
      creditedInvoiceId: sql<number | null>`coalesce("invoices"."credited_invoice_id",
        case when "invoices"."kind" = 'credit_note' then (
          select o.id from invoices o
          where o.kind = 'invoice' and o.member_id = "invoices"."member_id"
            and o.number = cast(json_extract("invoices"."document", '$.creditedInvoice.number') as integer)
        ) end)`,
    })
    .from(invoices)
    .where(and(ne(invoices.state, "draft"), memberCondition(scope, memberId)))
    .all();
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
