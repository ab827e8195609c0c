import { bracketRangeOf, OVERRIDE_BRACKET, scheduleForYear, type BracketRange, type FeeSchedule } from "./fees";
import type { AllocationKey, ChargeKind, InvoiceKind, ProjectChargeKind } from "./enums";
import type { Ore } from "./money";

/**
 * Everything printed on an invoice, copied at issue so that later edits of the member or the association
 * never change an issued invoice. The PDF renderer takes exactly this and nothing else.
 */
// The charge kinds and allocation keys are lists of billing/enums.ts; exported here too, beside the lines they type.
export { ALLOCATION_KEYS, CHARGE_KINDS, type AllocationKey, type ChargeKind } from "./enums";
/** Kinds whose lines belong to a project-year and carry a ShareBasis (PROJECT_CHARGE_KINDS). */
export function isProjectKind(kind: ChargeKind): kind is ProjectChargeKind {
  return kind === "project_share" || kind === "project_adjustment";
}

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
  bracket: string; // the bracket's name in the schedule in force, or "override" (a board decision)
  /**
   * The populations the bracket covers in the schedule the fee was charged under: what the invoice prints as the
   * bracket (docs/fees.md#bracket-texts). Absent on documents frozen before it was recorded; reading them fills it
   * in from that year's schedule (withBracketRanges in billing/fees.ts).
   */
  range?: BracketRange;
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
  kind: InvoiceKind;
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

/**
 * A frozen document as it is printed: a fee line frozen before its basis recorded the bracket's range gets the
 * range of that bracket in the schedule of the billing year, the schedule it was charged under (a schedule whose
 * fees are issued never changes, docs/fees.md#adding-or-changing-a-schedule). Other documents are returned as they are.
 */
export function withBracketRanges(document: InvoiceDocument, schedules: FeeSchedule[]): InvoiceDocument {
  if (!lacksBracketRanges(document)) return document;
  return { ...document, lines: linesWithBracketRanges(document.lines, document.billingYear, schedules) };
}

/**
 * Lines of an invoice of billing year `year` as they are shown: a fee line without its bracket's range (a draft, or a
 * line as stored) gets the range of its bracket in that year's schedule; other lines are returned as they are.
 */
export function linesWithBracketRanges<L extends Pick<InvoiceLineDocument, "feeBasis">>(
  lines: L[],
  year: number,
  schedules: FeeSchedule[],
): L[] {
  if (!lines.some(lacksRange)) return lines;
  const schedule = scheduleForYear(schedules, year);
  if (schedule === null) return lines;
  return lines.map((line) => {
    if (!lacksRange(line)) return line;
    const range = bracketRangeOf(schedule, line.feeBasis!.bracket);
    return range ? { ...line, feeBasis: { ...line.feeBasis!, range } } : line;
  });
}

/** Whether a document needs withBracketRanges: a fee line of a bracket without its range. */
export function lacksBracketRanges(document: InvoiceDocument): boolean {
  return document.lines.some(lacksRange);
}

function lacksRange(line: Pick<InvoiceLineDocument, "feeBasis">): boolean {
  return line.feeBasis !== null && line.feeBasis.bracket !== OVERRIDE_BRACKET && line.feeBasis.range === undefined;
}
