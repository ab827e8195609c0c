import type {
  BuyerDetails,
  ChargeKind,
  FeeBasis,
  InvoiceDocument,
  InvoiceLineDocument,
  SellerDetails,
  ShareBasis,
  AllocationAppendix,
  VatSummaryRow,
} from "./invoice-document";
import { adjustmentKey } from "./adjustment";
import type { InvoiceKind, InvoiceState, InvoiceStatus } from "./enums";
import { Decimal, sumOre, type Ore } from "./money";

/*
 * Invoice building (docs/invoices.md): charges in, draft lines with VAT out; the VAT summary per rate; totals; credit
 * notes; the status of an invoice from its state and payments. Pure: no database, no clock (today is passed in).
 */

export const VAT_RATES = [0, 6, 12, 25] as const;
export type VatRate = (typeof VAT_RATES)[number];
export { CHARGE_KINDS } from "./invoice-document";

export function isVatRate(n: unknown): n is VatRate {
  return typeof n === "number" && (VAT_RATES as readonly number[]).includes(n);
}

/** The VAT rate (per cent) of each kind of charge, from the association's settings. */
export type VatRates = Record<ChargeKind, VatRate>;

/** One thing owed (docs/invoices.md#charges): a member's entry fee, annual fee of a year, or share of a project-year. */
export interface Charge {
  kind: ChargeKind;
  memberId: number;
  projectId: number | null;
  year: number;
  description: string;
  amount: Ore; // excluding VAT
  feeBasis: FeeBasis | null;
  shareBasis: ShareBasis | null;
  /** project_adjustment only: which adjustment of the member's project-year this is (1, 2, …). */
  sequence?: number;
}

/** A line of an invoice before it is stored: the charge it holds (null on credit notes), amount and VAT. */
export interface DraftLine extends InvoiceLineDocument {
  chargeKey: string | null;
  projectId: number | null;
  year: number;
}

/**
 * The key that the database keeps unique among lines holding a charge, so that a charge is invoiced once:
 * "entry_fee:M" (once per member), "annual_fee:M:Y", "project_share:M:P:Y", "project_adjustment:M:P:Y:N".
 */
export function chargeKey(c: {
  kind: ChargeKind;
  memberId: number;
  projectId: number | null;
  year: number;
  sequence?: number;
}): string {
  switch (c.kind) {
    case "entry_fee":
      return `entry_fee:${c.memberId}`;
    case "annual_fee":
      return `annual_fee:${c.memberId}:${c.year}`;
    case "project_share":
      if (c.projectId === null) throw new RangeError("a project share needs a project");
      return `project_share:${c.memberId}:${c.projectId}:${c.year}`;
    case "project_adjustment":
      if (c.projectId === null || c.sequence === undefined)
        throw new RangeError("an adjustment needs a project and a sequence");
      return adjustmentKey(c.memberId, c.projectId, c.year, c.sequence);
  }
}

/** VAT in öre on an amount in öre: amount × rate / 100, rounded half up (away from zero) to whole öre. */
export function vatOf(amount: Ore, rate: number): Ore {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not a whole number of öre: ${amount}`);
  if (!isVatRate(rate)) throw new RangeError(`not a Swedish VAT rate: ${rate}`);
  if (rate === 0 || amount === 0) return 0;
  // Integer fast path: amount × rate is exact while it is a safe integer; then |amount × rate| / 100 rounded
  // half up is floor(|p| / 100) plus one when the remainder is 50 or more, and the sign is put back (half away
  // from zero, as ROUND_HALF_UP does for negative amounts; Math.round would round −0.5 towards zero).
  const product = amount * rate;
  if (Number.isSafeInteger(product)) {
    const abs = product < 0 ? -product : product;
    const rest = abs % 100;
    const rounded = (abs - rest) / 100 + (rest >= 50 ? 1 : 0);
    return product < 0 ? 0 - rounded : rounded;
  }
  return new Decimal(amount).times(rate).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** A line for an amount at a rate; quantity is always 1, so the unit price is the amount. */
export function lineFor(input: Omit<DraftLine, "vat" | "quantity" | "unitPrice">): DraftLine {
  return { ...input, quantity: 1, unitPrice: input.amount, vat: vatOf(input.amount, input.vatRate) };
}

/** One line per charge, in the order given, each with its kind's VAT rate. */
export function buildInvoiceLines(charges: Charge[], rates: VatRates): DraftLine[] {
  // What lineFor gives, built as one literal (same keys in the same order) rather than by spreading an input
  // object: a billing run builds up to a million lines.
  const lines: DraftLine[] = new Array(charges.length);
  for (let i = 0; i < charges.length; i++) {
    const c = charges[i];
    const vatRate = rates[c.kind];
    lines[i] = {
      chargeKind: c.kind,
      chargeKey: chargeKey(c),
      projectId: c.projectId,
      year: c.year,
      description: c.description,
      amount: c.amount,
      vatRate,
      feeBasis: c.feeBasis,
      shareBasis: c.shareBasis,
      quantity: 1,
      unitPrice: c.amount,
      vat: vatOf(c.amount, vatRate),
    };
  }
  return lines;
}

/** The same lines at the rates in force now (issuing applies the settings of the day of issue). */
export function withRates(lines: DraftLine[], rates: VatRates): DraftLine[] {
  return lines.map((l) => lineFor({ ...l, vatRate: rates[l.chargeKind] }));
}

/**
 * The VAT of an invoice per rate (mervärdesskattelagen 17 kap. 24 §: rate and amount per rate, or why none is
 * charged), lowest rate first. The 0 % row carries the exemption text.
 */
export function vatSummary(
  lines: Array<Pick<DraftLine, "vatRate" | "amount" | "vat"> & { chargeKind?: string }>,
  exemptionText: string,
  exemptionTexts: ExemptionTexts = {},
): VatSummaryRow[] {
  const byRate = new Map<number, { base: Ore; vat: Ore }>();
  const texts: string[] = [];
  for (const l of lines) {
    const row = byRate.get(l.vatRate) ?? { base: 0, vat: 0 };
    byRate.set(l.vatRate, { base: sumOre([row.base, l.amount]), vat: sumOre([row.vat, l.vat]) });
    if (l.vatRate === 0) {
      const text = exemptionTextFor(l.chargeKind, exemptionText, exemptionTexts);
      if (!texts.includes(text)) texts.push(text);
    }
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rate, t]) => ({
      rate,
      base: t.base,
      vat: t.vat,
      exemptionText: rate === 0 ? texts.join("; ") || exemptionText : null,
    }));
}

/** Exemption texts per charge kind (settings `vatExemptionTexts`); a kind without one uses the default text. */
export type ExemptionTexts = Partial<Record<string, string>>;

/** Why no VAT is charged on a line of this kind (a membership fee and a project contribution differ: docs/e-invoice.md). */
export function exemptionTextFor(kind: string | undefined, fallback: string, texts: ExemptionTexts): string {
  const own = kind === undefined ? undefined : texts[kind];
  return own && own.trim() !== "" ? own.trim() : fallback;
}

export interface InvoiceTotals {
  net: Ore;
  vat: Ore;
  total: Ore;
}

export function invoiceTotals(lines: Array<Pick<DraftLine, "amount" | "vat">>): InvoiceTotals {
  const net = sumOre(lines.map((l) => l.amount));
  const vat = sumOre(lines.map((l) => l.vat));
  return { net, vat, total: sumOre([net, vat]) };
}

/** The lines of a credit note: every line of the original negated, holding no charge (the charge is freed). */
export function creditLines(lines: DraftLine[]): DraftLine[] {
  return lines.map((l) => ({
    ...l,
    chargeKey: null,
    // 0 − x rather than −x: no negative zero in JSON or comparisons.
    unitPrice: 0 - l.unitPrice,
    amount: 0 - l.amount,
    vat: 0 - l.vat,
  }));
}

export { INVOICE_STATUSES, type InvoiceState, type InvoiceStatus } from "./enums";

/**
 * What the treasurer sees: a draft, an issued invoice by how much is paid, or credited. A credit note is
 * `issued` (nothing to pay on it); an invoice of 0 kr is `paid` at once.
 */
/**
 * An issued invoice's money: its total, what is paid on it, and what credit notes of adjustments took off it
 * (`credited`, docs/adjustments.md#credit-notes-of-adjustments; a credit note that cancels the whole invoice makes
 * its state `credited` instead).
 */
export interface InvoiceMoney {
  state: InvoiceState;
  total: Ore;
  paid: Ore;
  credited?: Ore;
  kind?: InvoiceKind;
}

export function invoiceStatus(input: InvoiceMoney): InvoiceStatus {
  if (input.state === "draft") return "draft";
  if (input.state === "credited") return "credited";
  if (input.kind === "credit_note") return "issued";
  const credited = input.credited ?? 0;
  const owed = input.total - credited;
  // Credits of adjustments that took off the whole invoice before anything was paid: nothing was ever owed.
  if (credited > 0 && owed <= 0 && input.paid === 0) return "credited";
  if (input.paid >= owed) return "paid";
  if (input.paid > 0) return "partially_paid";
  return "issued";
}

/** What is left to pay: the total less payments and credits of adjustments (never below zero; a credit note has nothing to pay). */
export function balanceOf(input: InvoiceMoney): Ore {
  if (input.state !== "issued" || input.kind === "credit_note") return 0;
  return Math.max(0, input.total - input.paid - (input.credited ?? 0));
}

/** Overdue (docs/invoices.md#statuses): issued, not fully paid, and the due date has passed (the due date itself is still in time). */
export function isOverdue(input: InvoiceMoney & { dueDate: string | null }, today: string): boolean {
  const status = invoiceStatus(input);
  if (status !== "issued" && status !== "partially_paid") return false;
  if (input.kind === "credit_note") return false;
  return input.dueDate !== null && input.dueDate < today;
}

/** The frozen document of an issued invoice or credit note: what the PDF prints and the law requires. */
export function buildInvoiceDocument(input: {
  kind: InvoiceKind;
  number: number;
  ocr: string;
  issueDate: string;
  dueDate: string;
  billingYear: number;
  seller: SellerDetails;
  buyer: BuyerDetails;
  lines: DraftLine[];
  exemptionText: string;
  exemptionTexts?: ExemptionTexts;
  creditedInvoice: InvoiceDocument["creditedInvoice"];
  appendices: AllocationAppendix[];
}): InvoiceDocument {
  const totals = invoiceTotals(input.lines);
  return {
    kind: input.kind,
    number: String(input.number),
    ocr: input.ocr,
    issueDate: input.issueDate,
    dueDate: input.dueDate,
    billingYear: input.billingYear,
    seller: input.seller,
    buyer: input.buyer,
    lines: input.lines.map((l) => ({
      chargeKind: l.chargeKind,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      vatRate: l.vatRate,
      amount: l.amount,
      vat: l.vat,
      feeBasis: l.feeBasis,
      shareBasis: l.shareBasis,
    })),
    vatSummary: vatSummary(input.lines, input.exemptionText, input.exemptionTexts),
    net: totals.net,
    vat: totals.vat,
    total: totals.total,
    creditedInvoice: input.creditedInvoice,
    appendices: input.appendices,
  };
}
