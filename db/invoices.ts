import { and, asc, desc, eq, getTableColumns, max, sql, type SQL } from "drizzle-orm";
import type { DraftLine } from "../billing/invoice";
import {
  isProjectKind,
  projectYearBasisOf,
  sameProjectYearBasis,
  shareBasisOf,
  type AdjustmentBasis,
  type FeeBasis,
  type ProjectYearBasis,
  type ShareBasis,
} from "../billing/invoice-document";
import { privateMemberOf, seesDrafts } from "../billing/policy";
import { sqliteOf, type Db } from "./client";
import { preparedOnce } from "./prepared";
import { allocationSnapshots, billingRuns, invoiceLines, invoices, members, payments, reminders } from "./schema";
import type { Scope } from "./scope";

/*
 * Billing runs, invoices, their lines and payments. Every read that can return a member's invoices takes the
 * caller's scope: a member user sees only its own member's issued invoices (never drafts), whatever the route.
 */

export type RunRow = typeof billingRuns.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;
export type LineRow = typeof invoiceLines.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
/** An invoice without its frozen document (which can be large): what lists and views need. */
export type InvoiceSummaryRow = Omit<InvoiceRow, "document">;

const { document: _document, ...summaryColumns } = getTableColumns(invoices);

/** The keys of `values` that are set (drizzle leaves undefined out of inserts and updates, and so do these). */
function definedKeys(values: object): string[] {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k)
    .sort();
}

/** A placeholder per key, for a drizzle insert or update prepared once for that set of columns. */
function placeholders(keys: string[]): Record<string, ReturnType<typeof sql.placeholder>> {
  return Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]));
}

// Billing runs ------------------------------------------------------------------------------------------------

export function insertRun(
  tx: Db,
  values: { year: number; chargeKinds: string[]; problems: unknown[]; createdBy: number | null },
): RunRow {
  return tx
    .insert(billingRuns)
    .values({
      year: values.year,
      chargeKinds: JSON.stringify(values.chargeKinds),
      problems: JSON.stringify(values.problems),
      createdAt: new Date().toISOString(),
      createdBy: values.createdBy,
    })
    .returning()
    .get();
}

export function getRun(tx: Db, id: number): RunRow | undefined {
  return tx.select().from(billingRuns).where(eq(billingRuns.id, id)).get();
}

export function listRuns(tx: Db): RunRow[] {
  return tx.select().from(billingRuns).orderBy(desc(billingRuns.id)).all();
}

export function markRunIssued(tx: Db, id: number): void {
  tx.update(billingRuns).set({ issuedAt: new Date().toISOString() }).where(eq(billingRuns.id, id)).run();
}

/** Per run: how many invoices in each state and their total, for the runs list. */
export function runSummaries(tx: Db): Map<number, { drafts: number; issued: number; total: number }> {
  const rows = tx
    .select({
      runId: invoices.runId,
      state: invoices.state,
      n: sql<number>`count(*)`,
      total: sql<number>`coalesce(sum(${invoices.totalOre}), 0)`,
    })
    .from(invoices)
    .where(sql`${invoices.runId} IS NOT NULL`)
    .groupBy(invoices.runId, invoices.state)
    .all();
  const map = new Map<number, { drafts: number; issued: number; total: number }>();
  for (const r of rows) {
    const s = map.get(r.runId!) ?? { drafts: 0, issued: 0, total: 0 };
    if (r.state === "draft") s.drafts += r.n;
    else s.issued += r.n;
    s.total += r.total;
    map.set(r.runId!, s);
  }
  return map;
}

// Charges -----------------------------------------------------------------------------------------------------

/** The charge keys held by a line (of a draft or an issued invoice not credited): these are not billed again. */
export function heldChargeKeys(tx: Db): Set<string> {
  const rows = tx
    .select({ key: invoiceLines.chargeKey })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.holdsCharge, true), sql`${invoiceLines.chargeKey} IS NOT NULL`))
    .all();
  return new Set(rows.map((r) => r.key!));
}

/** A credit note frees the original's charges so that they can be billed again. */
export function releaseCharges(tx: Db, invoiceId: number): void {
  tx.update(invoiceLines).set({ holdsCharge: false }).where(eq(invoiceLines.invoiceId, invoiceId)).run();
}

// Invoices ----------------------------------------------------------------------------------------------------

export type InvoiceInsert = Omit<typeof invoices.$inferInsert, "id" | "createdAt">;

export function insertInvoice(tx: Db, values: InvoiceInsert): InvoiceRow {
  return getInvoiceRow(tx, insertInvoiceId(tx, values))!;
}

/** insertInvoice without reading the row back: its id only (a billing run inserts up to 10 000 drafts). */
export function insertInvoiceId(tx: Db, values: InvoiceInsert): number {
  const row = { ...values, createdAt: new Date().toISOString() };
  const keys = definedKeys(row);
  // Without RETURNING, which costs SQLite more than the insert itself; the row is read back by its key.
  const insert = preparedOnce(tx, `insertInvoice:${keys.join(",")}`, () =>
    tx
      .insert(invoices)
      .values(placeholders(keys) as unknown as typeof invoices.$inferInsert)
      .prepare(),
  );
  return Number(insert.run(row).lastInsertRowid);
}

/** Sets the given columns of an invoice (a prepared update per set of columns: issuing updates every draft). */
export function updateInvoice(tx: Db, id: number, patch: Partial<InvoiceInsert>): void {
  const keys = definedKeys(patch);
  if (keys.length === 0) return;
  const update = preparedOnce(tx, `updateInvoice:${keys.join(",")}`, () =>
    tx
      .update(invoices)
      .set(placeholders(keys) as unknown as Partial<InvoiceInsert>)
      .where(eq(invoices.id, sql.placeholder("id")))
      .prepare(),
  );
  update.run({ ...patch, id });
}

export function deleteInvoice(tx: Db, id: number): void {
  tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, id)).run();
  tx.delete(invoices).where(eq(invoices.id, id)).run();
}

/** Any invoice by id, whatever the caller: only for use cases that check the scope themselves. */
export function getInvoiceRow(tx: Db, id: number): InvoiceRow | undefined {
  return preparedOnce(tx, "getInvoiceRow", () =>
    tx
      .select()
      .from(invoices)
      .where(eq(invoices.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id });
}

/** What the caller may see (billing/policy.ts): staff everything, a member user its own member's issued invoices. */
function visibleTo(scope: Scope): SQL | undefined {
  const own = privateMemberOf(scope);
  return and(
    own === "all" ? undefined : eq(invoices.memberId, own ?? -1),
    seesDrafts(scope) ? undefined : sql`${invoices.state} <> 'draft'`,
  );
}

export function getInvoice(tx: Db, scope: Scope, id: number): InvoiceSummaryRow | undefined {
  return tx
    .select(summaryColumns)
    .from(invoices)
    .where(and(eq(invoices.id, id), visibleTo(scope)))
    .get();
}

/** The frozen document JSON of an invoice the caller may see: undefined when not visible, null for a draft. */
export function getDocument(tx: Db, scope: Scope, id: number): string | null | undefined {
  const row = tx
    .select({ document: invoices.document })
    .from(invoices)
    .where(and(eq(invoices.id, id), visibleTo(scope)))
    .get();
  return row ? row.document : undefined;
}

/** The documents of a run's issued invoices in number order. */
export function documentsOfRun(tx: Db, runId: number): string[] {
  return tx
    .select({ document: invoices.document })
    .from(invoices)
    .where(and(eq(invoices.runId, runId), sql`${invoices.document} IS NOT NULL`))
    .orderBy(asc(invoices.number))
    .all()
    .map((r) => r.document!);
}

export interface InvoiceFilter {
  year?: number;
  memberId?: number;
  runId?: number;
  state?: InvoiceRow["state"];
}

export type InvoiceListRow = InvoiceSummaryRow & { memberName: string; memberOrgNumber: string; paidOre: number };

/** Invoices the caller may see, newest number first (drafts last), with member name and what is paid. */
export function listInvoices(tx: Db, scope: Scope, filter: InvoiceFilter = {}): InvoiceListRow[] {
  const conditions = [visibleTo(scope)];
  if (filter.year !== undefined) conditions.push(eq(invoices.year, filter.year));
  if (filter.memberId !== undefined) conditions.push(eq(invoices.memberId, filter.memberId));
  if (filter.runId !== undefined) conditions.push(eq(invoices.runId, filter.runId));
  if (filter.state !== undefined) conditions.push(eq(invoices.state, filter.state));
  const paid = tx
    .select({ invoiceId: payments.invoiceId, paid: sql<number>`sum(${payments.amountOre})`.as("paid") })
    .from(payments)
    .groupBy(payments.invoiceId)
    .as("paid");
  const rows = tx
    .select({ invoice: summaryColumns, memberName: members.name, memberOrgNumber: members.orgNumber, paid: paid.paid })
    .from(invoices)
    .innerJoin(members, eq(members.id, invoices.memberId))
    .leftJoin(paid, eq(paid.invoiceId, invoices.id))
    .where(and(...conditions))
    .orderBy(sql`${invoices.number} IS NULL`, desc(invoices.number), asc(members.name), asc(invoices.id))
    .all();
  return rows.map((r) => ({
    ...r.invoice,
    memberName: r.memberName,
    memberOrgNumber: r.memberOrgNumber,
    paidOre: r.paid ?? 0,
  }));
}

/** The drafts of a run in numbering order: by member name, then invoice id. */
export function draftsOfRun(tx: Db, runId: number): InvoiceRow[] {
  return tx
    .select({ invoice: invoices })
    .from(invoices)
    .innerJoin(members, eq(members.id, invoices.memberId))
    .where(and(eq(invoices.runId, runId), eq(invoices.state, "draft")))
    .orderBy(asc(members.name), asc(invoices.id))
    .all()
    .map((r) => r.invoice);
}

export function maxInvoiceNumber(tx: Db): number | null {
  return (
    tx
      .select({ n: max(invoices.number) })
      .from(invoices)
      .get()?.n ?? null
  );
}

/**
 * The latest invoice date in the series, with the (highest) number that carries it: an issue may not be dated
 * before it (billing/issue-dates.ts). Null before the first issue.
 */
export function latestIssueDate(tx: Db): { number: number; issueDate: string } | null {
  const row = tx
    .select({ number: invoices.number, issueDate: invoices.issueDate })
    .from(invoices)
    .where(sql`${invoices.number} IS NOT NULL AND ${invoices.issueDate} IS NOT NULL`)
    .orderBy(desc(invoices.issueDate), desc(invoices.number))
    .limit(1)
    .get();
  return row && row.number !== null && row.issueDate !== null ? { number: row.number, issueDate: row.issueDate } : null;
}

export function getCreditNoteOf(tx: Db, invoiceId: number): InvoiceRow | undefined {
  return tx.select().from(invoices).where(eq(invoices.creditedInvoiceId, invoiceId)).get();
}

// Lines -------------------------------------------------------------------------------------------------------
//
// How lines are stored (docs/invoices.md#how-lines-are-stored): a project line cites the basis snapshot of its
// project-year (allocation_snapshots.basis: budget, key, participant count, totals) and keeps only the member's own
// figures; a fee line keeps its bracket and population figure. Reading puts the FeeBasis or ShareBasis back
// together, so what the pages, the API, the PDF and the e-invoice get is what was drafted.

/** A stored line as the use cases and documents see it. */
export type StoredLine = DraftLine & { id: number; holdsCharge: boolean };

/** The columns of a line that hold its ShareBasis, with the snapshot of its project-year's part. */
export type ShareBasisColumns = Pick<
  LineRow,
  "chargeKind" | "allocationSnapshotId" | "population" | "populationYear" | "weight" | "adjustment"
>;

/** A project line's ShareBasis from its columns and its project-year's basis (null on other lines). */
export function shareBasisOfLine(
  r: ShareBasisColumns,
  bases: ReadonlyMap<number, ProjectYearBasis>,
): ShareBasis | null {
  const yearBasis =
    isProjectKind(r.chargeKind) && r.allocationSnapshotId !== null ? bases.get(r.allocationSnapshotId) : undefined;
  if (!yearBasis) return null;
  return shareBasisOf(
    yearBasis,
    { population: r.population, populationYear: r.populationYear, weight: r.weight },
    r.adjustment === null ? null : (JSON.parse(r.adjustment) as AdjustmentBasis),
  );
}

/** The line's FeeBasis or ShareBasis from its columns and its project-year's basis. */
function lineOf(r: LineRow, bases: ReadonlyMap<number, ProjectYearBasis>): StoredLine {
  const feeBasis: FeeBasis | null =
    !isProjectKind(r.chargeKind) && r.feeBracket !== null
      ? {
          bracket: r.feeBracket,
          population: r.population,
          populationYear: r.populationYear,
          overrideNote: r.feeOverrideNote,
        }
      : null;
  const shareBasis = shareBasisOfLine(r, bases);
  return {
    id: r.id,
    holdsCharge: r.holdsCharge,
    chargeKind: r.chargeKind,
    chargeKey: r.chargeKey,
    projectId: r.projectId,
    year: r.year,
    description: r.description,
    quantity: r.quantity,
    unitPrice: r.unitPriceOre,
    vatRate: r.vatRate,
    amount: r.amountOre,
    vat: r.vatOre,
    feeBasis,
    shareBasis,
  };
}

/** Lines as stored, each with its basis (the project-year bases read once for all of them). */
export function storedLines(tx: Db, rows: LineRow[]): StoredLine[] {
  const bases = basisSnapshots(
    tx,
    rows.map((r) => r.allocationSnapshotId),
  );
  return rows.map((r) => lineOf(r, bases));
}

export function linesOf(tx: Db, invoiceId: number): StoredLine[] {
  const rows = preparedOnce(tx, "linesOf", () =>
    tx
      .select()
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, sql.placeholder("invoiceId")))
      .orderBy(asc(invoiceLines.position), asc(invoiceLines.id))
      .prepare(),
  ).all({ invoiceId });
  return storedLines(tx, rows);
}

export function linesByInvoice(tx: Db, invoiceIds: number[]): Map<number, StoredLine[]> {
  const map = new Map<number, StoredLine[]>();
  for (const id of invoiceIds) map.set(id, []);
  if (invoiceIds.length === 0) return map;
  // The ids as one JSON array: one statement whatever their number (SQLite limits bound parameters).
  const rows = preparedOnce(tx, "linesByInvoice", () =>
    tx
      .select()
      .from(invoiceLines)
      .where(sql`${invoiceLines.invoiceId} IN (SELECT value FROM json_each(${sql.placeholder("ids")}))`)
      .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position), asc(invoiceLines.id))
      .prepare(),
  ).all({ ids: JSON.stringify(invoiceIds) });
  storedLines(tx, rows).forEach((line, i) => map.get(rows[i].invoiceId)!.push(line));
  return map;
}

export function getLine(tx: Db, lineId: number): LineRow | undefined {
  return tx.select().from(invoiceLines).where(eq(invoiceLines.id, lineId)).get();
}

/** One stored row as a line with its basis. */
export function storedLine(tx: Db, row: LineRow): StoredLine {
  return storedLines(tx, [row])[0];
}

export function updateLine(
  tx: Db,
  lineId: number,
  patch: { description: string; unitPriceOre: number; amountOre: number; vatOre: number },
): void {
  tx.update(invoiceLines).set(patch).where(eq(invoiceLines.id, lineId)).run();
}

export function deleteLine(tx: Db, lineId: number): void {
  tx.delete(invoiceLines).where(eq(invoiceLines.id, lineId)).run();
}

/** Rewrites the stored lines' rate and VAT (issuing applies the rates of the day of issue). */
export function setLineVat(tx: Db, lineId: number, vatRate: number, vatOre: number): void {
  tx.update(invoiceLines).set({ vatRate, vatOre }).where(eq(invoiceLines.id, lineId)).run();
}

/** Lines per INSERT statement: fewer, larger statements save a third of the cost of a line. */
const LINES_PER_STATEMENT = 50;

/**
 * What each column of a new line holds, in the order of the INSERT; the column names come from the schema.
 * `basisId` is the line's basis snapshot (LineWriter finds or writes it).
 */
const LINE_VALUES = [
  ["invoiceId", (_l, c) => c.invoiceId],
  ["position", (_l, c) => c.position],
  ["chargeKind", (l) => l.chargeKind],
  ["chargeKey", (l) => l.chargeKey],
  ["holdsCharge", (l, c) => (c.holdsCharge && l.chargeKey !== null ? 1 : 0)],
  ["projectId", (l) => l.projectId],
  ["year", (l) => l.year],
  ["description", (l) => l.description],
  ["quantity", (l) => l.quantity],
  ["unitPriceOre", (l) => l.unitPrice],
  ["vatRate", (l) => l.vatRate],
  ["amountOre", (l) => l.amount],
  ["vatOre", (l) => l.vat],
  ["allocationSnapshotId", (_l, c) => c.basisId],
  ["population", (l) => l.shareBasis?.population ?? l.feeBasis?.population ?? null],
  ["populationYear", (l) => l.shareBasis?.populationYear ?? l.feeBasis?.populationYear ?? null],
  ["weight", (l) => l.shareBasis?.weight ?? null],
  ["feeBracket", (l) => (l.shareBasis ? null : (l.feeBasis?.bracket ?? null))],
  ["feeOverrideNote", (l) => (l.shareBasis ? null : (l.feeBasis?.overrideNote ?? null))],
  ["adjustment", (l) => (l.shareBasis?.adjustment ? JSON.stringify(l.shareBasis.adjustment) : null)],
] as const satisfies ReadonlyArray<
  readonly [
    keyof Omit<typeof invoiceLines.$inferInsert, "id">,
    (
      line: DraftLine,
      context: { invoiceId: number; position: number; holdsCharge: boolean; basisId: number | null },
    ) => string | number | null,
  ]
>;

/**
 * Writes the lines of one use case (a billing run: up to a million lines at 10 000 members × 100 projects) with
 * prepared statements of up to 50 rows, and the basis snapshot of each project-year they cite, once.
 */
export class LineWriter {
  private readonly bases = new Map<number, Array<{ basis: ProjectYearBasis; id: number }>>();
  constructor(private readonly tx: Db) {}

  insert(invoiceId: number, lines: DraftLine[], holdsCharge = true): void {
    const width = LINE_VALUES.length;
    const context = { invoiceId, position: 0, holdsCharge, basisId: null as number | null };
    let values: Array<string | number | null> = [];
    for (let from = 0; from < lines.length; from += LINES_PER_STATEMENT) {
      const count = Math.min(LINES_PER_STATEMENT, lines.length - from);
      const insert = preparedOnce(this.tx, `insertLines:${count}`, () => {
        const names = LINE_VALUES.map(([key]) => `"${invoiceLines[key].name}"`);
        const row = `(${names.map(() => "?").join(", ")})`;
        return sqliteOf(this.tx).prepare(
          `INSERT INTO "invoice_lines" (${names.join(", ")}) VALUES ${Array(count).fill(row).join(", ")}`,
        );
      });
      if (values.length !== count * width) values = new Array(count * width);
      let k = 0;
      for (let i = 0; i < count; i++) {
        const line = lines[from + i];
        context.position = from + i;
        context.basisId = this.basisIdOf(line);
        for (let c = 0; c < width; c++) values[k++] = LINE_VALUES[c][1](line, context);
      }
      insert.run(values);
    }
  }

  /** The basis snapshot a project line cites: the same figures of a project-year are stored once. */
  private basisIdOf(line: DraftLine): number | null {
    const b = line.shareBasis;
    if (b === null || line.projectId === null || !isProjectKind(line.chargeKind)) return null;
    let known = this.bases.get(line.projectId);
    if (!known) this.bases.set(line.projectId, (known = []));
    for (const k of known) if (sameProjectYearBasis(k.basis, b)) return k.id;
    const basis = projectYearBasisOf(b);
    const id = basisSnapshotId(this.tx, line.projectId, basis);
    known.push({ basis, id });
    return id;
  }
}

/** Inserts the lines of one invoice (a credit note's lines do not hold their charges). */
export function insertLines(tx: Db, invoiceId: number, lines: DraftLine[], holdsCharge = true): void {
  new LineWriter(tx).insert(invoiceId, lines, holdsCharge);
}

// Payments ----------------------------------------------------------------------------------------------------

/**
 * The credit notes of adjustments and the invoice each lowers (docs/adjustments.md#credit-notes-of-adjustments):
 * such a credit note cancels nothing, so it has no credited_invoice_id; its frozen document refers to the member's
 * invoice it lowers by number. Credit notes are few: all of them are read at once. `amount` is positive, in öre.
 */
export function adjustmentCreditTargets(tx: Db): Array<{ creditNoteId: number; invoiceId: number; amount: number }> {
  return tx.all<{ creditNoteId: number; invoiceId: number; amount: number }>(sql`
    select c.id as creditNoteId, o.id as invoiceId, -c.total_ore as amount
    from invoices c
    join invoices o on o.kind = 'invoice' and o.member_id = c.member_id
      and o.number = cast(json_extract(c.document, '$.creditedInvoice.number') as integer)
    where c.kind = 'credit_note' and c.state = 'issued' and c.credited_invoice_id is null`);
}

/** What credit notes of adjustments take off each invoice, by invoice id (positive, in öre). */
export function adjustmentCredits(tx: Db): Map<number, number> {
  const credits = new Map<number, number>();
  for (const t of adjustmentCreditTargets(tx)) credits.set(t.invoiceId, (credits.get(t.invoiceId) ?? 0) + t.amount);
  return credits;
}

export function paidOf(tx: Db, invoiceId: number): number {
  return (
    tx
      .select({ paid: sql<number>`coalesce(sum(${payments.amountOre}), 0)` })
      .from(payments)
      .where(eq(payments.invoiceId, invoiceId))
      .get()?.paid ?? 0
  );
}

export function paymentsOf(tx: Db, invoiceId: number): PaymentRow[] {
  return tx
    .select()
    .from(payments)
    .where(eq(payments.invoiceId, invoiceId))
    .orderBy(asc(payments.paidOn), asc(payments.id))
    .all();
}

export function insertPayment(
  tx: Db,
  values: { invoiceId: number; amountOre: number; paidOn: string; note: string; createdBy: number | null },
): PaymentRow {
  return tx
    .insert(payments)
    .values({ ...values, createdAt: new Date().toISOString() })
    .returning()
    .get();
}

// Reminders ---------------------------------------------------------------------------------------------------

export function insertReminder(
  tx: Db,
  values: { invoiceId: number; sentOn: string; newDueDate: string; createdBy: number | null },
) {
  return tx.insert(reminders).values(values).returning().get();
}

export function remindersOf(tx: Db, invoiceId: number) {
  return tx.select().from(reminders).where(eq(reminders.invoiceId, invoiceId)).orderBy(asc(reminders.id)).all();
}

// Allocation snapshots ------------------------------------------------------------------------------------------

/** The id of the frozen appendix with this content, inserting it the first time it is printed. */
export function snapshotId(
  tx: Db,
  values: { projectId: number; year: number; hash: string; appendix: string },
): number {
  const found = tx
    .select({ id: allocationSnapshots.id })
    .from(allocationSnapshots)
    .where(eq(allocationSnapshots.hash, values.hash))
    .get();
  if (found) return found.id;
  return tx
    .insert(allocationSnapshots)
    .values({ ...values, createdAt: new Date().toISOString() })
    .returning({ id: allocationSnapshots.id })
    .get().id;
}

/** The appendices of these snapshot ids, as stored (JSON). */
export function snapshotsByIds(tx: Db, ids: number[]): Map<number, string> {
  const map = new Map<number, string>();
  if (ids.length === 0) return map;
  const rows = tx
    .select({ id: allocationSnapshots.id, appendix: allocationSnapshots.appendix })
    .from(allocationSnapshots)
    .where(sql`${allocationSnapshots.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
    .all();
  for (const r of rows) if (r.appendix !== null) map.set(r.id, r.appendix);
  return map;
}

/** The id of the basis snapshot of a project-year with these figures, inserting it the first time they are cited. */
export function basisSnapshotId(tx: Db, projectId: number, basis: ProjectYearBasis): number {
  const json = JSON.stringify(basis);
  const found = tx
    .select({ id: allocationSnapshots.id })
    .from(allocationSnapshots)
    .where(and(eq(allocationSnapshots.projectId, projectId), eq(allocationSnapshots.basis, json)))
    .get();
  if (found) return found.id;
  return tx
    .insert(allocationSnapshots)
    .values({ projectId, year: basis.year, basis: json, createdAt: new Date().toISOString() })
    .returning({ id: allocationSnapshots.id })
    .get().id;
}

/** The project-year bases of these snapshot ids (nulls and repeats ignored). */
export function basisSnapshots(tx: Db, ids: Array<number | null>): Map<number, ProjectYearBasis> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  const map = new Map<number, ProjectYearBasis>();
  if (wanted.length === 0) return map;
  const rows = tx
    .select({ id: allocationSnapshots.id, basis: allocationSnapshots.basis })
    .from(allocationSnapshots)
    .where(sql`${allocationSnapshots.id} IN (SELECT value FROM json_each(${JSON.stringify(wanted)}))`)
    .all();
  for (const r of rows) if (r.basis !== null) map.set(r.id, JSON.parse(r.basis) as ProjectYearBasis);
  return map;
}
