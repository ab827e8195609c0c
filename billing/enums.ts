/*
 * The closed lists of the domain, each written once (docs/architecture.md#each-list-once). The zod enums of
 * app/lib/*schemas.ts, the drizzle columns of db/schema.ts (`text({ enum })`) and the Swedish labels of
 * app/lib/i18n.ts and billing/pdf-text.ts derive from these: a label map is typed `Record<X, string>`, so a value
 * added here without its label fails the typecheck. The order of each list is the order the API and the pages
 * list the values in (a page that leads with one value says so).
 */

/** Whether a value (a query parameter, a stored text) is one of a list's values. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}

/** Who a user is (docs/roles.md). */
export const ROLES = ["admin", "treasurer", "member"] as const;
export type Role = (typeof ROLES)[number];

/** A member is a municipality (with a municipality code) or another organisation (docs/membership.md). */
export const MEMBER_KINDS = ["municipality", "organisation"] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/** A member's status today: active, or resigned once its resignation date has passed (docs/membership.md). */
export const MEMBER_STATUSES = ["active", "resigned"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** What an invoice line charges (docs/invoices.md#charges-and-charge-keys). */
export const CHARGE_KINDS = ["entry_fee", "annual_fee", "project_share", "project_adjustment"] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];
/** The charge kinds of a member's own fees (docs/fees.md). */
export const FEE_CHARGE_KINDS = ["entry_fee", "annual_fee"] as const satisfies readonly ChargeKind[];
/** The charge kinds of a project-year (a share and its later adjustments, docs/adjustments.md). */
export const PROJECT_CHARGE_KINDS = ["project_share", "project_adjustment"] as const satisfies readonly ChargeKind[];
export type ProjectChargeKind = (typeof PROJECT_CHARGE_KINDS)[number];

/** How a project-year's budget is split between its participants (docs/allocation.md). */
export const ALLOCATION_KEYS = ["per_capita", "equal", "fixed", "base_plus_per_capita"] as const;
export type AllocationKey = (typeof ALLOCATION_KEYS)[number];

export const PROJECT_STATUSES = ["planned", "open", "closed"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** An invoice or the credit note of one (docs/invoices.md). */
export const INVOICE_KINDS = ["invoice", "credit_note"] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
/** The stored state of an invoice; `credited` once a credit note cancels it. */
export const INVOICE_STATES = ["draft", "issued", "credited"] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];
/** What the treasurer sees: the state, and for an issued invoice how much is paid (statusOf in billing/invoice.ts). */
export const INVOICE_STATUSES = ["draft", "issued", "partially_paid", "paid", "credited"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Where a member's participation in a project stands on a day (participationState, docs/allocation.md). */
export const PARTICIPATION_STATES = ["upcoming", "active", "leaving", "ended"] as const;
export type ParticipationState = (typeof PARTICIPATION_STATES)[number];

/** How issued invoices reach a member (docs/delivery.md). */
export const DELIVERY_CHANNELS = ["peppol", "email", "print"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
/** One attempt to deliver an invoice or a reminder, as the delivery log records it. */
export const ATTEMPT_STATUSES = ["sending", "sent", "failed"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];
/** How an attempt ends: it is written as "sending" and finished once as one of these. */
export type FinishedAttemptStatus = Exclude<AttemptStatus, "sending">;
/** Where an invoice's delivery stands: never tried, or its latest attempt (one sent attempt is enough). */
export const DELIVERY_STATES = ["unsent", ...ATTEMPT_STATUSES] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
/** What a send request reports per invoice (the API's `deliveries[].status`). */
export const DELIVERY_OUTCOMES = ["sent", "failed", "skipped"] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/**
 * An uploaded file, a bank file (docs/bgmax.md) or a population file (docs/scb-import.md): its preview is stored,
 * then applied as a whole.
 */
export const UPLOAD_STATUSES = ["preview", "applied"] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];
/** A bank file's entry: money in, or a deduction taken back. */
export const PAYMENT_ENTRY_KINDS = ["payment", "deduction"] as const;
export type PaymentEntryKind = (typeof PAYMENT_ENTRY_KINDS)[number];
/** How a bank payment matched an invoice (billing/payment-matching.ts). */
export const MATCH_KINDS = ["exact", "partial", "over", "closed", "unknown"] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];
/** A payment that matched no invoice: to handle, placed on an invoice, or refunded. */
export const UNMATCHED_STATUSES = ["open", "assigned", "refunded"] as const;
export type UnmatchedStatus = (typeof UNMATCHED_STATUSES)[number];

/** The layouts of a population file that the import reads (billing/population-file.ts, docs/scb-import.md). */
export const POPULATION_FILE_LAYOUTS = ["scb_table", "pxweb", "simple"] as const;
export type PopulationFileLayout = (typeof POPULATION_FILE_LAYOUTS)[number];
/** What a previewed population-file row would do: change a member's figure, nothing, skip a non-member, or fail. */
export const IMPORT_ROW_STATUSES = ["update", "unchanged", "not_member", "error"] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];
