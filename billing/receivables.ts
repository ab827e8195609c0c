import type { InvoiceKind } from "./enums";
import type { Ore } from "./money";

/*
 * Accounts receivable (kundreskontra) at a date (docs/receivables.md): only invoices and credit notes issued on or
 * before the date and payments made on or before it count. Each invoice's open amount is its total minus what was
 * paid on it minus its credit note; it is aged by the days between its due date and the date. A credit balance (an
 * invoice paid, then credited) is a negative open amount in the bucket of its invoice, so that open is always the
 * sum of the buckets and overdue the sum of the buckets past due.
 */

export interface LedgerInvoice {
  id: number;
  memberId: number;
  kind: InvoiceKind;
  number: number | null;
  issueDate: string | null;
  dueDate: string | null;
  total: Ore;
  /** For a credit note, the invoice it counts against: the one it cancels, or the one a credit note of adjustments refers to. */
  creditedInvoiceId: number | null;
}

export interface LedgerPayment {
  id: number;
  invoiceId: number;
  amount: Ore;
  paidOn: string;
}

export interface Aging {
  notDue: Ore;
  d1_30: Ore;
  d31_60: Ore;
  d61_90: Ore;
  over90: Ore;
}

export interface Receivable {
  invoiced: Ore;
  paid: Ore;
  credited: Ore;
  open: Ore;
  overdue: Ore;
  aging: Aging;
}

export interface MemberReceivable extends Receivable {
  memberId: number;
}

export const AGING_BUCKETS = ["notDue", "d1_30", "d31_60", "d61_90", "over90"] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

const MS_PER_DAY = 86_400_000;

function dayNumber(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / MS_PER_DAY);
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The bucket of an amount due on `dueDate`, seen on `date`: due today is not yet overdue. */
export function agingBucket(dueDate: string, date: string): AgingBucket {
  const late = daysBetween(dueDate, date);
  if (late <= 0) return "notDue";
  if (late <= 30) return "d1_30";
  if (late <= 60) return "d31_60";
  if (late <= 90) return "d61_90";
  return "over90";
}

function empty(): Receivable {
  return {
    invoiced: 0,
    paid: 0,
    credited: 0,
    open: 0,
    overdue: 0,
    aging: { notDue: 0, d1_30: 0, d31_60: 0, d61_90: 0, over90: 0 },
  };
}

function add(into: Receivable, from: Receivable): void {
  into.invoiced += from.invoiced;
  into.paid += from.paid;
  into.credited += from.credited;
  into.open += from.open;
  into.overdue += from.overdue;
  for (const b of AGING_BUCKETS) into.aging[b] += from.aging[b];
}

const issuedBy = (inv: LedgerInvoice, date: string) => inv.issueDate !== null && inv.issueDate <= date;

/** Receivables per member (those with anything invoiced by the date, ordered by member id) and in total. */
export function receivablesAt(
  date: string,
  invoices: readonly LedgerInvoice[],
  payments: readonly LedgerPayment[],
): { members: MemberReceivable[]; totals: Receivable } {
  const paidOn = new Map<number, Ore>();
  for (const p of payments) if (p.paidOn <= date) paidOn.set(p.invoiceId, (paidOn.get(p.invoiceId) ?? 0) + p.amount);
  const creditOf = new Map<number, Ore>();
  for (const c of invoices) {
    if (c.kind === "credit_note" && c.creditedInvoiceId !== null && issuedBy(c, date)) {
      creditOf.set(c.creditedInvoiceId, (creditOf.get(c.creditedInvoiceId) ?? 0) - c.total);
    }
  }
  const perMember = new Map<number, Receivable>();
  for (const inv of invoices) {
    if (inv.kind !== "invoice" || !issuedBy(inv, date)) continue;
    const r = perMember.get(inv.memberId) ?? empty();
    perMember.set(inv.memberId, r);
    const paid = paidOn.get(inv.id) ?? 0;
    const credited = creditOf.get(inv.id) ?? 0;
    const open = inv.total - paid - credited;
    r.invoiced += inv.total;
    r.paid += paid;
    r.credited += credited;
    r.open += open;
    const bucket = agingBucket(inv.dueDate ?? inv.issueDate!, date);
    r.aging[bucket] += open;
    if (bucket !== "notDue") r.overdue += open;
  }
  const members = [...perMember.entries()].sort((a, b) => a[0] - b[0]).map(([memberId, r]) => ({ memberId, ...r }));
  const totals = empty();
  for (const m of members) add(totals, m);
  return { members, totals };
}

export interface StatementEntry {
  date: string;
  kind: InvoiceKind | "payment";
  invoiceId: number;
  number: number | null;
  /** Positive for what the member owes (an invoice), negative for a credit note or a payment. */
  amount: Ore;
  balance: Ore;
}

/** A member's account statement: its invoices, credit notes and payments by date, with the running balance. */
export function accountStatement(
  invoices: readonly LedgerInvoice[],
  payments: readonly LedgerPayment[],
  date: string,
): StatementEntry[] {
  const numberOf = new Map(invoices.map((i) => [i.id, i.number]));
  const rows: Omit<StatementEntry, "balance">[] = [];
  for (const inv of invoices) {
    if (!issuedBy(inv, date)) continue;
    rows.push({ date: inv.issueDate!, kind: inv.kind, invoiceId: inv.id, number: inv.number, amount: inv.total });
  }
  for (const p of payments) {
    if (p.paidOn > date || !numberOf.has(p.invoiceId)) continue;
    rows.push({
      date: p.paidOn,
      kind: "payment",
      invoiceId: p.invoiceId,
      number: numberOf.get(p.invoiceId) ?? null,
      amount: -p.amount,
    });
  }
  // Same day: what was invoiced before what was paid, so the balance never dips below what it is.
  const order = { invoice: 0, credit_note: 1, payment: 2 } as const;
  rows.sort(
    (a, b) => a.date.localeCompare(b.date) || order[a.kind] - order[b.kind] || (a.number ?? 0) - (b.number ?? 0),
  );
  let balance = 0;
  return rows.map((r) => ({ ...r, balance: (balance += r.amount) }));
}
