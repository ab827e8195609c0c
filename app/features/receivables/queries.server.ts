import { todayIso } from "../../../billing/dates";
import { accountStatement, receivablesAt } from "../../../billing/receivables";
import { db } from "../../../db/client";
import * as ledgerDb from "../../../db/receivables";
import type { Scope } from "../../../db/scope";
import { authorize } from "../../../billing/policy";

/*
 * Accounts receivable at a date, for the association (staff) and one member's account statement (its own users
 * and staff). docs/receivables.md.
 */

export function receivables(scope: Scope, date: string = todayIso()) {
  authorize(scope, "receivables.read");
  const tx = db();
  const result = receivablesAt(date, ledgerDb.ledgerInvoices(tx, scope), ledgerDb.ledgerPayments(tx, scope));
  const names = ledgerDb.memberNames(tx);
  return {
    date,
    members: result.members.map((m) => ({
      ...m,
      name: names.get(m.memberId)?.name ?? "",
      municipalityCode: names.get(m.memberId)?.municipalityCode ?? null,
    })),
    totals: result.totals,
  };
}

export function memberStatement(scope: Scope, memberId: number, date: string = todayIso()) {
  authorize(scope, "member.read.private", { memberId });
  const tx = db();
  const invoices = ledgerDb.ledgerInvoices(tx, scope, memberId);
  const payments = ledgerDb.ledgerPayments(tx, scope, memberId);
  const entries = accountStatement(invoices, payments, date);
  const summary = receivablesAt(date, invoices, payments).members[0];
  return { date, entries, summary: summary ?? null };
}
