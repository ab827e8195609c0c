import type { Ore } from "./money";

/**
 * Everything printed on an invoice, copied at issue so that later edits of the member or the association
 * never change an issued invoice. The PDF renderer takes exactly this and nothing else.
 */
/** The kinds of charge, in the order a run lists them; project_adjustment bills a changed split (docs/adjustments.md). */
export const CHARGE_KINDS = ["entry_fee", "annual_fee", "project_share", "project_adjustment"] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];
/** Kinds whose lines belong to a project-year and carry a ShareBasis. */
export function isProjectKind(kind: ChargeKind): kind is "project_share" | "project_adjustment" {
  return kind === "project_share" || kind === "project_adjustment";
}
export type AllocationKey = "per_capita" | "equal" | "fixed" | "base_plus_per_capita";

export interface PostalAddress {
  street: string;
  postalCode: string; // "NNN NN"
  city: string;
}

export interface SellerDetails {
  name: string;
  orgNumber: string; // "NNNNNN-NNNN"
  vatNumber: string | null; // "SE…01" when registered for VAT
  address: PostalAddress;
  email: string;
  phone: string | null;
  bankgiro: string; // "NNN-NNNN" or "NNNN-NNNN"
  ourReference: string;
  footer: string;
  /** Godkänd för F-skatt (printed, and sent in the e-invoice); absent on documents frozen before e-invoicing. */
  fSkatt?: boolean;
  /** Peppol participant id "scheme:value"; null or absent means "0007:" + the organisation number. */
  peppolId?: string | null;
}

export interface BuyerDetails {
  memberId: number;
  name: string;
  municipalityCode: string | null;
  orgNumber: string;
  address: PostalAddress;
  email: string | null;
  reference: string; // the buyer's reference (Swedish municipalities reject invoices without one)
  /** Peppol participant id "scheme:value"; null or absent means "0007:" + the organisation number. */
  peppolId?: string | null;
}

/** How a project share was computed, printed under its line so the municipality can check the arithmetic. */
export interface ShareBasis {
  projectCode: string;
  projectName: string;
  year: number;
  allocationKey: AllocationKey;
  basePercent: string | null; // for base_plus_per_capita, e.g. "20"
  budget: Ore;
  participantCount: number;
  population: number | null;
  populationYear: number | null;
  totalPopulation: number | null;
  weight: string | null; // for fixed, e.g. "33.5"
  totalWeight: string | null;
  /** On a project_adjustment line: what it corrects (docs/adjustments.md). */
  adjustment?: AdjustmentBasis;
}

/**
 * The part of a ShareBasis that is the same for every participant of a project-year: stored once per
 * project-year (an allocation snapshot, docs/invoices.md#how-lines-are-stored) and cited by each of its lines,
 * which keep only the member's own figures (MemberShareFigures) and an adjustment's basis.
 */
export type ProjectYearBasis = Omit<ShareBasis, keyof MemberShareFigures | "adjustment">;

/** The member's own figures in a ShareBasis: what differs from one participant's line to the next. */
export interface MemberShareFigures {
  population: number | null;
  populationYear: number | null;
  weight: string | null;
}

/** The project-year's part of a share basis, the member's figures left out. */
export function projectYearBasisOf(b: ShareBasis): ProjectYearBasis {
  return {
    projectCode: b.projectCode,
    projectName: b.projectName,
    year: b.year,
    allocationKey: b.allocationKey,
    basePercent: b.basePercent,
    budget: b.budget,
    participantCount: b.participantCount,
    totalPopulation: b.totalPopulation,
    totalWeight: b.totalWeight,
  };
}

/** Whether two project-year bases hold the same figures. */
export function sameProjectYearBasis(a: ProjectYearBasis, b: ProjectYearBasis): boolean {
  return (
    a.projectCode === b.projectCode &&
    a.projectName === b.projectName &&
    a.year === b.year &&
    a.allocationKey === b.allocationKey &&
    a.basePercent === b.basePercent &&
    a.budget === b.budget &&
    a.participantCount === b.participantCount &&
    a.totalPopulation === b.totalPopulation &&
    a.totalWeight === b.totalWeight
  );
}

/** A line's ShareBasis put back together from its project-year's basis and the member's own figures. */
export function shareBasisOf(
  p: ProjectYearBasis,
  own: MemberShareFigures,
  adjustment?: AdjustmentBasis | null,
): ShareBasis {
  // The keys in the order the billing run has always written them (the frozen documents print in this order).
  const basis: ShareBasis = {
    projectCode: p.projectCode,
    projectName: p.projectName,
    year: p.year,
    allocationKey: p.allocationKey,
    basePercent: p.basePercent,
    budget: p.budget,
    participantCount: p.participantCount,
    population: own.population,
    populationYear: own.populationYear,
    totalPopulation: p.totalPopulation,
    weight: own.weight,
    totalWeight: p.totalWeight,
  };
  if (adjustment) basis.adjustment = adjustment;
  return basis;
}

/** Why an adjustment line bills what it bills: net invoiced before, the share now, and what changed. */
export interface AdjustmentBasis {
  invoicedBefore: Ore;
  shareNow: Ore;
  /** False for a member taken out of the split: it gets its whole net back. */
  inSplit: boolean;
  reasons: string[];
}

/** A fee line's basis: the bracket and the population figure that chose it. */
export interface FeeBasis {
  bracket: string; // "small" | "medium" | "large" or a board override
  population: number | null;
  populationYear: number | null;
  overrideNote: string | null;
}

export interface InvoiceLineDocument {
  chargeKind: ChargeKind;
  description: string;
  quantity: number; // always 1 for now; kept because the law asks for quantity
  unitPrice: Ore;
  vatRate: number; // per cent: 0, 6, 12 or 25
  amount: Ore; // excluding VAT
  vat: Ore;
  feeBasis: FeeBasis | null;
  shareBasis: ShareBasis | null;
}

/** One participant's row in the appendix that shows a whole project-year allocation. */
export interface AllocationAppendix {
  projectCode: string;
  projectName: string;
  year: number;
  allocationKey: AllocationKey;
  basePercent: string | null;
  budget: Ore;
  /** On the appendix of an adjustment: the split as invoiced before (net per participant), beside the current one. */
  invoicedBefore?: { total: Ore; reasons: string[] };
  rows: Array<{
    memberId?: number;
    memberName: string;
    /** Net invoiced before the adjustment (adjustment appendices only). */
    invoicedBefore?: Ore;
    municipalityCode: string | null;
    population: number | null;
    populationYear: number | null;
    weight: string | null;
    share: Ore;
  }>;
}

export interface VatSummaryRow {
  rate: number; // per cent
  base: Ore;
  vat: Ore;
  /** Shown when rate is 0: why no VAT is charged (e.g. "Medlemsavgift, utanför mervärdesskattens tillämpningsområde"). */
  exemptionText: string | null;
}

export interface InvoiceDocument {
  kind: "invoice" | "credit_note";
  number: string; // e.g. "2026001"
  ocr: string;
  issueDate: string; // YYYY-MM-DD
  dueDate: string; // YYYY-MM-DD
  billingYear: number;
  seller: SellerDetails;
  buyer: BuyerDetails;
  lines: InvoiceLineDocument[];
  vatSummary: VatSummaryRow[];
  net: Ore; // sum of line amounts
  vat: Ore; // sum of VAT
  total: Ore; // net + vat, what is to be paid (negative on a credit note)
  creditedInvoice: { number: string; issueDate: string; reason: string } | null;
  appendices: AllocationAppendix[];
}

export interface ReminderDocument {
  invoice: InvoiceDocument;
  reminderDate: string; // YYYY-MM-DD
  paid: Ore;
  balance: Ore;
  newDueDate: string; // YYYY-MM-DD
}
