import type { MatchKind, PaymentEntryKind } from "./enums";
import type { Ore } from "./money";

/*
 * Matching the payments of a bank file to invoices (docs/bgmax.md). A reference matches an invoice only when it
 * is the invoice's whole OCR reference, check digits and all: "20260019" (a digit dropped) is not 202600193.
 * Payments are taken in file order against running balances, so two payments of one invoice in the same file
 * see each other. Whatever cannot go to an invoice stays unmatched, so that applied + unmatched is always the
 * payment's amount.
 */

export type { MatchKind } from "./enums";

export interface MatchableInvoice {
  id: number;
  ocr: string;
  /** What is still owed; 0 for a paid, credited invoice or a credit note. */
  balance: Ore;
  /** Whether the invoice can take a payment at all (issued, not credited, not a credit note). */
  open: boolean;
  issueDate: string;
}

export interface PaymentToMatch {
  kind: PaymentEntryKind;
  reference: string;
  /** The extra references (records 22) that the same money pays, in file order. */
  extraReferences: string[];
  /** Positive; a deduction's amount is taken back. */
  amount: Ore;
  paidOn: string;
}

export interface Allocation {
  invoiceId: number;
  amount: Ore;
}

export interface PaymentMatch {
  match: MatchKind;
  /** The invoice the payment goes to first, or the one its reference names when it cannot take money. */
  invoiceId: number | null;
  allocations: Allocation[];
  /** The part that goes to no invoice: positive for a payment, negative (the whole amount) for a deduction. */
  unmatched: Ore;
}

/** The distinct, non-blank references of a payment: its own first, then the extra ones. */
export function referencesOf(p: Pick<PaymentToMatch, "reference" | "extraReferences">): string[] {
  const seen = new Set<string>();
  for (const r of [p.reference, ...p.extraReferences]) {
    const ref = r.trim();
    if (ref !== "") seen.add(ref);
  }
  return [...seen];
}

/**
 * Matches each payment, in order. A payment's money goes to its referenced invoices in the order of the
 * references, each up to its balance; an invoice issued after the payment date cannot be what was paid. A deduction
 * is never taken from an invoice automatically: it is kept (negative) for the treasurer, who knows what it undoes.
 */
export function matchPayments(
  payments: readonly PaymentToMatch[],
  invoices: readonly MatchableInvoice[],
): PaymentMatch[] {
  const byOcr = new Map<string, MatchableInvoice>();
  for (const inv of invoices) byOcr.set(inv.ocr, inv);
  const balance = new Map<number, Ore>();
  for (const inv of invoices) balance.set(inv.id, inv.open ? inv.balance : 0);

  return payments.map((p) => {
    const found = referencesOf(p)
      .map((ref) => byOcr.get(ref))
      .filter((inv): inv is MatchableInvoice => inv !== undefined);
    if (p.kind === "deduction") {
      return {
        match: found.length ? "closed" : "unknown",
        invoiceId: found[0]?.id ?? null,
        allocations: [],
        unmatched: -p.amount,
      };
    }
    if (found.length === 0) return { match: "unknown", invoiceId: null, allocations: [], unmatched: p.amount };
    const payable = found.filter((inv) => inv.open && inv.issueDate <= p.paidOn && (balance.get(inv.id) ?? 0) > 0);
    if (payable.length === 0) return { match: "closed", invoiceId: found[0].id, allocations: [], unmatched: p.amount };

    let remaining = p.amount;
    const allocations: Allocation[] = [];
    for (const inv of payable) {
      if (remaining === 0) break;
      const open = balance.get(inv.id)!;
      const take = Math.min(open, remaining);
      allocations.push({ invoiceId: inv.id, amount: take });
      balance.set(inv.id, open - take);
      remaining -= take;
    }
    const stillOwed = allocations.some((a) => (balance.get(a.invoiceId) ?? 0) > 0);
    const match: MatchKind = remaining > 0 ? "over" : stillOwed ? "partial" : "exact";
    return { match, invoiceId: allocations[0].invoiceId, allocations, unmatched: remaining };
  });
}
