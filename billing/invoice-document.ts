import type { Ore } from "./money";

/**
 * Everything printed on an invoice, copied at issue so that later edits of the member or the association
 * never change an issued invoice. The PDF renderer takes exactly this and nothing else.
 */
export type ChargeKind = "entry_fee" | "annual_fee" | "project_share";
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
  rows: Array<{
    memberName: string;
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
