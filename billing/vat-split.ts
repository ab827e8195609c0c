/*
 * BR-O-11 (docs/e-invoice.md): an e-invoice with a line outside the scope of VAT (category O, our rate 0) may
 * hold no line of any other VAT category. A member whose charges mix untaxed fees with taxed ones (a project
 * share at 25 %) therefore gets two invoices: one of the out-of-scope charges, one of the taxed charges.
 * Pure: charges in, groups out, order kept within each group.
 */

/** Our rate 0 is "outside the scope of VAT" (category O); 6, 12 and 25 are standard-rated (category S). */
export function isOutOfScope(vatRate: number): boolean {
  return vatRate === 0;
}

/**
 * The charges of one member split into the invoices they need: one group when all are out of scope or all are
 * taxed, otherwise the out-of-scope group first, then the taxed group. Never an empty group.
 */
export function splitForVatCategories<T>(charges: readonly T[], rateOf: (charge: T) => number): T[][] {
  const outside: T[] = [];
  const taxed: T[] = [];
  for (const c of charges) (isOutOfScope(rateOf(c)) ? outside : taxed).push(c);
  if (outside.length === 0) return taxed.length === 0 ? [] : [taxed];
  return taxed.length === 0 ? [outside] : [outside, taxed];
}

/** Whether lines would break BR-O-11 on one invoice (both out-of-scope and taxed lines). */
export function mixesVatCategories(lines: ReadonlyArray<{ vatRate: number }>): boolean {
  let outside = false;
  let taxed = false;
  for (const l of lines) {
    if (isOutOfScope(l.vatRate)) outside = true;
    else taxed = true;
  }
  return outside && taxed;
}
