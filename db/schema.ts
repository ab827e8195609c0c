import { sql } from "drizzle-orm";
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CHARGE_KINDS } from "../billing/invoice-document";

/*
 * The whole schema of Sambruk Admin. Money is integer öre; dates are ISO text (YYYY-MM-DD); timestamps are ISO
 * text in UTC. CHECK constraints repeat the most important domain rules so that no code path can store
 * something impossible, and the partial unique index on invoice lines is what makes "a charge is never invoiced
 * twice" true even against a bug in the code.
 */

const timestamps = {
  createdAt: text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text("updated_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
};

export const members = sqliteTable(
  "members",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["municipality", "organisation"] }).notNull(),
    name: text("name").notNull(),
    municipalityCode: text("municipality_code"),
    orgNumber: text("org_number").notNull(),
    joinedOn: text("joined_on").notNull(),
    resignedOn: text("resigned_on"),
    street: text("street"),
    postalCode: text("postal_code"),
    city: text("city"),
    invoiceEmail: text("invoice_email"),
    reference: text("reference"),
    contactName: text("contact_name"),
    contactEmail: text("contact_email"),
    contactPhone: text("contact_phone"),
    /** Peppol participant id "scheme:value", e.g. "0007:2120001637"; null means the default from orgNumber. */
    peppolId: text("peppol_id"),
    /** How issued invoices reach the member; null means the default (peppol for municipalities, else email). */
    deliveryChannel: text("delivery_channel", { enum: ["peppol", "email", "print"] }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("members_municipality_code_uq").on(t.municipalityCode),
    uniqueIndex("members_org_number_uq").on(t.orgNumber),
    index("members_name_idx").on(t.name),
    check("members_kind_code_ck", sql`(${t.kind} = 'municipality') = (${t.municipalityCode} IS NOT NULL)`),
    check("members_resigned_ck", sql`${t.resignedOn} IS NULL OR ${t.resignedOn} >= ${t.joinedOn}`),
  ],
);

export const populations = sqliteTable(
  "populations",
  {
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    year: integer("year").notNull(),
    population: integer("population").notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.memberId, t.year] }), check("populations_population_ck", sql`${t.population} >= 0`)],
);

export const feeSchedules = sqliteTable("fee_schedules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  validFrom: integer("valid_from").notNull().unique(),
  note: text("note"),
  ...timestamps,
});

export const feeBrackets = sqliteTable(
  "fee_brackets",
  {
    scheduleId: integer("schedule_id")
      .notNull()
      .references(() => feeSchedules.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    label: text("label").notNull(),
    minPopulation: integer("min_population").notNull(),
    entryFeeOre: integer("entry_fee_ore").notNull(),
    annualFeeOre: integer("annual_fee_ore").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scheduleId, t.position] }),
    uniqueIndex("fee_brackets_name_uq").on(t.scheduleId, t.name),
    uniqueIndex("fee_brackets_min_uq").on(t.scheduleId, t.minPopulation),
    check("fee_brackets_amounts_ck", sql`${t.entryFeeOre} >= 0 AND ${t.annualFeeOre} >= 0 AND ${t.minPopulation} >= 0`),
  ],
);

/** A board decision that overrides a member's fees for a span of years (e.g. a fixed fee, a waived entry fee). */
export const feeOverrides = sqliteTable(
  "fee_overrides",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    validFrom: integer("valid_from").notNull(),
    validTo: integer("valid_to"),
    entryFeeOre: integer("entry_fee_ore"),
    annualFeeOre: integer("annual_fee_ore"),
    note: text("note").notNull(),
    ...timestamps,
  },
  (t) => [
    index("fee_overrides_member_idx").on(t.memberId),
    check("fee_overrides_span_ck", sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
    check("fee_overrides_some_ck", sql`${t.entryFeeOre} IS NOT NULL OR ${t.annualFeeOre} IS NOT NULL`),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["admin", "treasurer", "member"] }).notNull(),
    memberId: integer("member_id").references(() => members.id),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_uq").on(t.email),
    check("users_member_ck", sql`(${t.role} = 'member') = (${t.memberId} IS NOT NULL)`),
  ],
);

/** Sessions live in the database so that logout, deactivation and role changes take effect at once. */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);

/** Failed (and running) logins, for throttling by e-mail, by client address and by both. Old rows are pruned on write. */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    client: text("client").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("login_failures_email_idx").on(t.email, t.at), index("login_failures_client_idx").on(t.client, t.at)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actorUserId: integer("actor_user_id"),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    before: text("before"),
    after: text("after"),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityId), index("audit_log_at_idx").on(t.at)],
);

export const projects = sqliteTable(
  "projects",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: ["planned", "open", "closed"] })
      .notNull()
      .default("planned"),
    allocationKey: text("allocation_key", {
      enum: ["per_capita", "equal", "fixed", "base_plus_per_capita"],
    })
      .notNull()
      .default("per_capita"),
    /** Per cent as a decimal string ("20", "12.5"), only for base_plus_per_capita. */
    basePercent: text("base_percent"),
    ...timestamps,
  },
  (t) => [
    check(
      "projects_base_percent_ck",
      sql`(${t.allocationKey} = 'base_plus_per_capita') = (${t.basePercent} IS NOT NULL)`,
    ),
  ],
);

export const projectBudgets = sqliteTable(
  "project_budgets",
  {
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    year: integer("year").notNull(),
    amountOre: integer("amount_ore").notNull(),
    note: text("note").notNull().default(""),
    /** Year-end settlement (utfall, docs/adjustments.md): the final cost, which is then also amountOre. */
    outcomeOre: integer("outcome_ore"),
    /** The budget as planned before the outcome replaced it; null until an outcome is recorded. */
    plannedOre: integer("planned_ore"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.year] }),
    check("project_budgets_amount_ck", sql`${t.amountOre} >= 0`),
    check(
      "project_budgets_outcome_ck",
      sql`${t.outcomeOre} IS NULL OR (${t.outcomeOre} = ${t.amountOre} AND ${t.plannedOre} IS NOT NULL)`,
    ),
  ],
);

export const projectParticipants = sqliteTable(
  "project_participants",
  {
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id),
    joinedOn: text("joined_on").notNull(),
    leftOn: text("left_on"),
    /** Decimal string ("50", "33.5"), used by the fixed key. */
    weight: text("weight"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.memberId] }),
    index("project_participants_member_idx").on(t.memberId),
    check("project_participants_left_ck", sql`${t.leftOn} IS NULL OR ${t.leftOn} >= ${t.joinedOn}`),
  ],
);

/** The association itself: one row (id = 1). */
export const settings = sqliteTable(
  "settings",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    orgNumber: text("org_number").notNull(),
    vatNumber: text("vat_number"),
    street: text("street").notNull(),
    postalCode: text("postal_code").notNull(),
    city: text("city").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    bankgiro: text("bankgiro").notNull(),
    paymentTermsDays: integer("payment_terms_days").notNull().default(30),
    nextInvoiceNumber: integer("next_invoice_number").notNull(),
    ourReference: text("our_reference").notNull(),
    vatRateEntryFee: integer("vat_rate_entry_fee").notNull().default(0),
    vatRateAnnualFee: integer("vat_rate_annual_fee").notNull().default(0),
    vatRateProjectShare: integer("vat_rate_project_share").notNull().default(0),
    vatExemptionText: text("vat_exemption_text").notNull(),
    footer: text("footer").notNull().default(""),
    /** Godkänd för F-skatt: printed on invoices and sent in the e-invoice. */
    fSkatt: integer("f_skatt", { mode: "boolean" }).notNull().default(false),
    /** The association's own Peppol participant id; null means "0007:" + orgNumber. */
    peppolId: text("peppol_id"),
    /** JSON {entry_fee?, annual_fee?, project_share?, project_adjustment?}: exemption text per charge kind. */
    vatExemptionTexts: text("vat_exemption_texts").notNull().default("{}"),
    /** JSON of the bookkeeping accounts (SIE export); {} means the BAS defaults. */
    accounts: text("accounts").notNull().default("{}"),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    check("settings_singleton_ck", sql`${t.id} = 1`),
    check(
      "settings_vat_ck",
      sql`${t.vatRateEntryFee} IN (0, 6, 12, 25) AND ${t.vatRateAnnualFee} IN (0, 6, 12, 25) AND ${t.vatRateProjectShare} IN (0, 6, 12, 25)`,
    ),
  ],
);

export const billingRuns = sqliteTable("billing_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  year: integer("year").notNull(),
  /** JSON array of charge kinds. */
  chargeKinds: text("charge_kinds").notNull(),
  /** JSON array of {memberId, message}: who could not be charged and why. */
  problems: text("problems").notNull().default("[]"),
  createdAt: text("created_at").notNull(),
  createdBy: integer("created_by").references(() => users.id),
  issuedAt: text("issued_at"),
});

export const invoices = sqliteTable(
  "invoices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: integer("run_id").references(() => billingRuns.id),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id),
    year: integer("year").notNull(),
    kind: text("kind", { enum: ["invoice", "credit_note"] })
      .notNull()
      .default("invoice"),
    /** draft | issued | credited; partially_paid and paid are derived from payments. */
    state: text("state", { enum: ["draft", "issued", "credited"] })
      .notNull()
      .default("draft"),
    number: integer("number"),
    issueDate: text("issue_date"),
    dueDate: text("due_date"),
    ocr: text("ocr"),
    creditedInvoiceId: integer("credited_invoice_id"),
    creditReason: text("credit_reason"),
    netOre: integer("net_ore").notNull(),
    vatOre: integer("vat_ore").notNull(),
    totalOre: integer("total_ore").notNull(),
    /** JSON snapshot of the InvoiceDocument, frozen at issue. */
    document: text("document"),
    /** The Peppol BIS Billing 3.0 UBL document (XML), made once at issue from the frozen document. */
    ubl: text("ubl"),
    createdAt: text("created_at").notNull(),
    issuedAt: text("issued_at"),
  },
  (t) => [
    uniqueIndex("invoices_number_uq").on(t.number),
    uniqueIndex("invoices_credited_uq").on(t.creditedInvoiceId),
    index("invoices_member_idx").on(t.memberId),
    index("invoices_run_idx").on(t.runId),
    index("invoices_year_idx").on(t.year),
    check("invoices_number_ck", sql`(${t.state} = 'draft') = (${t.number} IS NULL)`),
  ],
);

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    chargeKind: text("charge_kind", { enum: CHARGE_KINDS }).notNull(),
    /** "entry_fee:M", "annual_fee:M:Y", "project_share:M:P:Y", "project_adjustment:M:P:Y:N"; null on credit-note lines. */
    chargeKey: text("charge_key"),
    /** 1 while the line holds its charge; 0 once a credit note has cancelled it. */
    holdsCharge: integer("holds_charge", { mode: "boolean" }).notNull().default(true),
    projectId: integer("project_id").references(() => projects.id),
    year: integer("year").notNull(),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull().default(1),
    unitPriceOre: integer("unit_price_ore").notNull(),
    vatRate: integer("vat_rate").notNull(),
    amountOre: integer("amount_ore").notNull(),
    vatOre: integer("vat_ore").notNull(),
    /*
     * The line's basis (docs/invoices.md#how-lines-are-stored): a project line cites the snapshot of its
     * project-year's basis (budget, key, participant count, totals) and keeps the member's own figures; a fee
     * line keeps its bracket and population figure. Together they give back the FeeBasis or ShareBasis.
     */
    /** The project-year's basis (allocation_snapshots.basis) on a project line; null on fee lines. */
    allocationSnapshotId: integer("allocation_snapshot_id").references(() => allocationSnapshots.id),
    /** The member's population figure behind the line (fee bracket or per-capita share) and its year. */
    population: integer("population"),
    populationYear: integer("population_year"),
    /** The member's weight under the fixed key, a decimal string. */
    weight: text("weight"),
    /** A fee line's bracket ("small", "medium", "large", or "override" for a board decision); null on project lines. */
    feeBracket: text("fee_bracket"),
    /** The board decision's note behind an overridden fee. */
    feeOverrideNote: text("fee_override_note"),
    /** JSON AdjustmentBasis on a project_adjustment line. */
    adjustment: text("adjustment"),
  },
  (t) => [
    index("invoice_lines_invoice_idx").on(t.invoiceId),
    uniqueIndex("invoice_lines_charge_uq")
      .on(t.chargeKey)
      .where(sql`${t.holdsCharge} = 1 AND ${t.chargeKey} IS NOT NULL`),
  ],
);

export const payments = sqliteTable(
  "payments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id),
    amountOre: integer("amount_ore").notNull(),
    paidOn: text("paid_on").notNull(),
    note: text("note").notNull().default(""),
    createdAt: text("created_at").notNull(),
    createdBy: integer("created_by").references(() => users.id),
  },
  (t) => [index("payments_invoice_idx").on(t.invoiceId), check("payments_amount_ck", sql`${t.amountOre} > 0`)],
);

export const reminders = sqliteTable("reminders", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  invoiceId: integer("invoice_id")
    .notNull()
    .references(() => invoices.id),
  sentOn: text("sent_on").notNull(),
  newDueDate: text("new_due_date").notNull(),
  createdBy: integer("created_by").references(() => users.id),
});

export type Role = "admin" | "treasurer" | "member";

/** Facts about the database file itself, e.g. `demo = 1` for the demo association. */
export const appMeta = sqliteTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * A project-year's allocation frozen once and shared, of one of two kinds (docs/invoices.md#how-lines-are-stored):
 * - `basis`: what every line of the project-year cites (budget, key, participant count, totals), written when a
 *   billing run drafts its lines; the lines keep only the member's own figures (10 000 × 100 lines at scale).
 * - `appendix`: every participant's share as printed on invoices, written when the first invoice printing it is
 *   issued; the issued documents refer to it by id instead of each carrying a copy (290 invoices × 10 × 290 rows).
 * Rows are never updated; the same content is stored once (`hash`, sha256 of `appendix`, and a project's `basis` are unique).
 */
export const allocationSnapshots = sqliteTable(
  "allocation_snapshots",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id),
    year: integer("year").notNull(),
    /** sha256 of `appendix`; null on a basis snapshot. */
    hash: text("hash"),
    /** JSON AllocationAppendix. */
    appendix: text("appendix"),
    /** JSON ProjectYearBasis. */
    basis: text("basis"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("allocation_snapshots_hash_uq").on(t.hash),
    uniqueIndex("allocation_snapshots_basis_uq").on(t.projectId, t.basis),
    check(
      "allocation_snapshots_kind_ck",
      sql`(${t.appendix} IS NOT NULL AND ${t.hash} IS NOT NULL AND ${t.basis} IS NULL) OR (${t.basis} IS NOT NULL AND ${t.appendix} IS NULL AND ${t.hash} IS NULL)`,
    ),
  ],
);

// BgMax payment files and unmatched payments (docs/bgmax.md) ---------------------------------------------------

/** A BgMax file as uploaded: previewed first, applied at most once. `sha256` makes the same file unique. */
export const paymentFiles = sqliteTable(
  "payment_files",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sha256: text("sha256").notNull(),
    fileName: text("file_name").notNull().default(""),
    /** Record 01's timestamp, YYYYMMDDhhmmssuuuuuu. */
    fileTimestamp: text("file_timestamp").notNull(),
    status: text("status", { enum: ["preview", "applied"] })
      .notNull()
      .default("preview"),
    totalOre: integer("total_ore").notNull(),
    paymentCount: integer("payment_count").notNull(),
    /** The bytes as the bank delivered them; applying reads them again, so what is applied is what was uploaded. */
    content: blob("content", { mode: "buffer" }).notNull(),
    uploadedAt: text("uploaded_at").notNull(),
    uploadedBy: integer("uploaded_by").references(() => users.id),
    appliedAt: text("applied_at"),
    appliedBy: integer("applied_by").references(() => users.id),
  },
  (t) => [uniqueIndex("payment_files_sha256_uq").on(t.sha256)],
);

/**
 * Each payment or deduction of an applied file. `payment_key` (serial, day, payer, kind, reference, amount) is
 * unique: the same Bankgirot payment is never applied twice, whichever file brings it.
 */
export const bankPayments = sqliteTable(
  "bank_payments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    fileId: integer("file_id")
      .notNull()
      .references(() => paymentFiles.id),
    paymentKey: text("payment_key").notNull(),
    line: integer("line").notNull(),
    serial: text("serial").notNull(),
    kind: text("kind", { enum: ["payment", "deduction"] }).notNull(),
    paidOn: text("paid_on").notNull(),
    reference: text("reference").notNull(),
    payer: text("payer").notNull(),
    /** Signed: a deduction is negative. */
    amountOre: integer("amount_ore").notNull(),
    match: text("match", { enum: ["exact", "partial", "over", "closed", "unknown"] }).notNull(),
  },
  (t) => [uniqueIndex("bank_payments_key_uq").on(t.paymentKey), index("bank_payments_file_idx").on(t.fileId)],
);

/** Which registered invoice payment came from which bank payment. */
export const bankPaymentAllocations = sqliteTable(
  "bank_payment_allocations",
  {
    paymentId: integer("payment_id")
      .primaryKey()
      .references(() => payments.id),
    bankPaymentId: integer("bank_payment_id")
      .notNull()
      .references(() => bankPayments.id),
  },
  (t) => [index("bank_payment_allocations_bank_idx").on(t.bankPaymentId)],
);

/**
 * Money from the bank that went to no invoice: an unknown reference, the excess over a balance, a closed invoice,
 * a deduction. The treasurer assigns it to an invoice (which registers a payment) or marks it refunded.
 */
export const unmatchedPayments = sqliteTable(
  "unmatched_payments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    fileId: integer("file_id")
      .notNull()
      .references(() => paymentFiles.id),
    bankPaymentId: integer("bank_payment_id")
      .notNull()
      .references(() => bankPayments.id),
    /** The row this one was split from when the treasurer assigned part of it. */
    splitFromId: integer("split_from_id"),
    reference: text("reference").notNull(),
    payer: text("payer").notNull(),
    paidOn: text("paid_on").notNull(),
    amountOre: integer("amount_ore").notNull(),
    reason: text("reason", { enum: ["exact", "partial", "over", "closed", "unknown"] }).notNull(),
    status: text("status", { enum: ["open", "assigned", "refunded"] })
      .notNull()
      .default("open"),
    invoiceId: integer("invoice_id").references(() => invoices.id),
    paymentId: integer("payment_id").references(() => payments.id),
    note: text("note").notNull().default(""),
    createdAt: text("created_at").notNull(),
    resolvedAt: text("resolved_at"),
    resolvedBy: integer("resolved_by").references(() => users.id),
  },
  (t) => [
    index("unmatched_payments_status_idx").on(t.status),
    check("unmatched_payments_amount_ck", sql`${t.amountOre} <> 0`),
    check("unmatched_payments_assigned_ck", sql`(${t.status} = 'assigned') = (${t.paymentId} IS NOT NULL)`),
  ],
);

// Population imports (SCB files): the preview is stored so that applying stores exactly what was previewed. ------

/** One uploaded SCB file for a year: its preview until applied (all or nothing), then the record of the import. */
export const populationImports = sqliteTable("population_imports", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  year: integer("year").notNull(),
  layout: text("layout", { enum: ["scb_table", "pxweb", "simple"] }).notNull(),
  encoding: text("encoding").notNull(),
  /** Rows for Riket and the counties that the file has and an import never uses. */
  regionsSkipped: integer("regions_skipped").notNull().default(0),
  status: text("status", { enum: ["preview", "applied"] })
    .notNull()
    .default("preview"),
  createdAt: text("created_at").notNull(),
  createdBy: integer("created_by").references(() => users.id),
  appliedAt: text("applied_at"),
  appliedBy: integer("applied_by").references(() => users.id),
});

export const populationImportRows = sqliteTable(
  "population_import_rows",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    importId: integer("import_id")
      .notNull()
      .references(() => populationImports.id, { onDelete: "cascade" }),
    line: integer("line").notNull(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    population: integer("population"),
    memberId: integer("member_id").references(() => members.id),
    /** The member's figure for the year when previewed; applying refuses if it has changed since. */
    current: integer("current"),
    status: text("status", { enum: ["update", "unchanged", "not_member", "error"] }).notNull(),
    message: text("message"),
  },
  (t) => [index("population_import_rows_import_idx").on(t.importId)],
);
// Delivery (issue 13) ------------------------------------------------------------------------------------------

/**
 * One attempt to deliver an issued invoice, or one of its reminders (reminder_id set), by a channel. A row is
 * written as "sending" before the message leaves and finished as "sent" or "failed" after, so an attempt cut short
 * by a crash is still visible. The partial unique index allows one attempt in flight per invoice (or reminder):
 * two treasurers pressing "Skicka" at once cannot both send. See docs/delivery.md.
 */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id),
    reminderId: integer("reminder_id").references(() => reminders.id),
    channel: text("channel", { enum: ["peppol", "email", "print"] }).notNull(),
    status: text("status", { enum: ["sending", "sent", "failed"] }).notNull(),
    /** The e-mail address, the Peppol participant id, or null for print. */
    recipient: text("recipient"),
    /** SMTP message id, the outbox file written, or the print batch. */
    messageId: text("message_id"),
    error: text("error"),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    sentBy: integer("sent_by").references(() => users.id),
    /** Who sent it, as the audit log names them (users can be deleted, the log stays readable). */
    sentByLabel: text("sent_by_label").notNull(),
  },
  (t) => [
    index("deliveries_invoice_idx").on(t.invoiceId, t.id),
    uniqueIndex("deliveries_in_flight_uq")
      .on(t.invoiceId, sql`coalesce(${t.reminderId}, 0)`)
      .where(sql`${t.status} = 'sending'`),
  ],
);

// Change counters (docs/architecture.md#caches) ------------------------------------------------------------------

/**
 * A counter per topic, bumped by triggers (migration 0006) in the same transaction as every insert, update or
 * delete of the tables behind it, whoever writes them (the app, the CLI, another process): what a process may
 * cache from those tables it keys by the counters it read, so a cached result can never outlive a change.
 * Topics: `members`, `populations`, `fees` (schedules, brackets, board decisions), `project:<id>` (the project,
 * its budgets and participants).
 */
export const changeCounters = sqliteTable("change_counters", {
  topic: text("topic").primaryKey(),
  counter: integer("counter").notNull(),
});
