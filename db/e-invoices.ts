import { and, asc, eq, sql } from "drizzle-orm";
import { privateMemberOf, seesDrafts } from "../billing/policy";
import type { Db } from "./client";
import { invoices } from "./schema";
import type { Scope } from "./scope";

/*
 * The stored e-invoices (invoices.ubl, made once at issue). Visibility as for the invoice itself: staff every
 * invoice, a member user only its own member's issued ones (a draft of theirs reads as absent).
 */

export interface StoredUbl {
  id: number;
  kind: "invoice" | "credit_note";
  number: number | null;
  state: "draft" | "issued" | "credited";
  ubl: string | null;
}

function visibleTo(scope: Scope) {
  const own = privateMemberOf(scope);
  return and(
    own === "all" ? undefined : eq(invoices.memberId, own ?? -1),
    seesDrafts(scope) ? undefined : sql`${invoices.state} <> 'draft'`,
  );
}

export function getUbl(tx: Db, scope: Scope, id: number): StoredUbl | undefined {
  return tx
    .select({ id: invoices.id, kind: invoices.kind, number: invoices.number, state: invoices.state, ubl: invoices.ubl })
    .from(invoices)
    .where(and(eq(invoices.id, id), visibleTo(scope)))
    .get();
}

/** The issued e-invoices of a run in number order (the run's ZIP). */
export function ublsOfRun(tx: Db, runId: number): StoredUbl[] {
  return tx
    .select({ id: invoices.id, kind: invoices.kind, number: invoices.number, state: invoices.state, ubl: invoices.ubl })
    .from(invoices)
    .where(and(eq(invoices.runId, runId), sql`${invoices.state} <> 'draft'`))
    .orderBy(asc(invoices.number))
    .all();
}
