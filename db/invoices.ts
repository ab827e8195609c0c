import Database from "better-sqlite3";
import { and, asc, desc, eq, getTableColumns, inArray, max, sql, type Column, type SQL } from "drizzle-orm";
import type { DraftLine } from "../billing/invoice";
import { isProjectKind, type FeeBasis, type ShareBasis } from "../billing/invoice-document";
import { privateMemberOf, seesDrafts } from "../billing/policy";
import type { Db } from "./client";
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

// Prepared statements ---------------------------------------------------------------------------------------------
//
// drizzle builds the SQL of a query anew at every call and better-sqlite3 then compiles it; for one invoice that is
// nothing, for a billing run (290 to 10 000 invoices, up to a million lines) it was most of the time. The hot paths
// below use statements prepared once per connection and map rows the way drizzle does. The invoices table has SQL
// defaults only (no JS-side $defaultFn), so a raw insert stores exactly what drizzle's would.

/** The better-sqlite3 connection under a drizzle database or transaction (drizzle keeps it as session.client). */
function sqliteOf(tx: Db): Database.Database {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (!(client instanceof Database)) throw new Error("db/invoices: not a better-sqlite3 drizzle database");
  return client;
}

const invoiceColumns: Record<string, Column> = getTableColumns(invoices);
const lineColumns: Record<string, Column> = getTableColumns(invoiceLines);

/** The keys of `values` that are columns of the table and not undefined (drizzle leaves undefined out too). */
function definedKeys(values: Record<string, unknown>, columns: Record<string, Column>): string[] {
  return Object.keys(values)
    .filter((k) => values[k] !== undefined && k in columns)
    .sort();
}

/** The values as the driver takes them (e.g. booleans as 0/1), as drizzle would bind them. */
function toDriver(values: Record<string, unknown>, keys: string[], columns: Record<string, Column>): unknown[] {
  return keys.map((k) => {
    const v = values[k];
    return v === null ? null : columns[k].mapToDriverValue(v);
  });
}

/** A raw row (column names) as drizzle would map it (property names, driver values decoded). */
function fromDriver<T>(raw: Record<string, unknown>, columns: Record<string, Column>): T {
  const row: Record<string, unknown> = {};
  for (const key in columns) {
    const v = raw[columns[key].name];
    row[key] = v === null || v === undefined ? null : columns[key].mapFromDriverValue(v);
  }
  return row as T;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A statement prepared once per connection, for the paths that write thousands of rows per billing run. */
function cachedStatement(tx: Db, key: string, sqlText: () => string): Database.Statement {
  const client = sqliteOf(tx);
  let cache = statements.get(client);
  if (!cache) statements.set(client, (cache = new Map()));
  let statement = cache.get(key);
  if (!statement) cache.set(key, (statement = client.prepare(sqlText())));
  return statement;
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
  const row: Record<string, unknown> = { ...values, createdAt: new Date().toISOString() };
  const keys = definedKeys(row, invoiceColumns);
  // Without RETURNING, which costs SQLite more than the insert itself; the row is read back by its key.
  const insert = cachedStatement(tx, `insertInvoice:${keys.join(",")}`, () => {
    const names = keys.map((k) => `"${invoiceColumns[k].name}"`);
    return `INSERT INTO "invoices" (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
  });
  return Number(insert.run(...toDriver(row, keys, invoiceColumns)).lastInsertRowid);
}

/** Lines per INSERT statement: fewer, larger statements save a third of the cost of a line. */
const LINES_PER_STATEMENT = 50;
const LINE_COLUMNS = [
  invoiceLines.invoiceId,
  invoiceLines.position,
  invoiceLines.chargeKind,
  invoiceLines.chargeKey,
  invoiceLines.holdsCharge,
  invoiceLines.projectId,
  invoiceLines.year,
  invoiceLines.description,
  invoiceLines.quantity,
  invoiceLines.unitPriceOre,
  invoiceLines.vatRate,
  invoiceLines.amountOre,
  invoiceLines.vatOre,
  invoiceLines.basis,
].map((col) => `"${col.name}"`);

export function insertLines(tx: Db, invoiceId: number, lines: DraftLine[], holdsCharge = true): void {
  // A billing run inserts up to a million lines (10 000 members × 100 projects): prepared statements of up to 50
  // rows, reused, rather than a query built by drizzle for each invoice (which costs microseconds per value).
  const width = LINE_COLUMNS.length;
  let values: unknown[] = [];
  for (let from = 0; from < lines.length; from += LINES_PER_STATEMENT) {
    const count = Math.min(LINES_PER_STATEMENT, lines.length - from);
    const insert = cachedStatement(tx, `insertLines:${count}`, () => {
      const row = `(${LINE_COLUMNS.map(() => "?").join(", ")})`;
      return `INSERT INTO "invoice_lines" (${LINE_COLUMNS.join(", ")}) VALUES ${Array(count).fill(row).join(", ")}`;
    });
    if (values.length !== count * width) values = new Array(count * width);
    let k = 0;
    for (let i = 0; i < count; i++) {
      const l = lines[from + i];
      values[k++] = invoiceId;
      values[k++] = from + i;
      values[k++] = l.chargeKind;
      values[k++] = l.chargeKey;
      values[k++] = holdsCharge && l.chargeKey !== null ? 1 : 0;
      values[k++] = l.projectId;
      values[k++] = l.year;
      values[k++] = l.description;
      values[k++] = l.quantity;
      values[k++] = l.unitPrice;
      values[k++] = l.vatRate;
      values[k++] = l.amount;
      values[k++] = l.vat;
      values[k++] = l.shareBasis ? shareBasisJson(l.shareBasis) : l.feeBasis ? JSON.stringify(l.feeBasis) : null;
    }
    insert.run(values);
  }
}

/** The keys of a ShareBasis in the order billing/projects write them (and JSON.stringify then prints them). */
const SHARE_BASIS_KEYS = [
  "projectCode",
  "projectName",
  "year",
  "allocationKey",
  "basePercent",
  "budget",
  "participantCount",
  "population",
  "populationYear",
  "totalPopulation",
  "weight",
  "totalWeight",
] as const;

/** The project-level head of the last share basis seen per project code, as JSON text up to participantCount. */
const basisHeads = new Map<string, { basis: ShareBasis; head: string }>();

function jsonNumber(v: unknown): string | undefined {
  if (v === null) return "null";
  return typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
}

function jsonString(v: unknown): string | undefined {
  if (v === null) return "null";
  return typeof v === "string" ? JSON.stringify(v) : undefined;
}

/**
 * JSON.stringify(basis), exactly, faster: the shares of one project-year (10 000 of them at the scale of docs/quality.md#speed)
 * repeat its project-level fields, whose JSON text is kept; only the participant's fields are printed. Anything
 * not of the expected shape (other keys or key order, other types) goes to JSON.stringify.
 */
export function shareBasisJson(b: ShareBasis): string {
  let i = 0;
  for (const key in b) {
    if (key !== SHARE_BASIS_KEYS[i++]) return JSON.stringify(b);
  }
  if (i !== SHARE_BASIS_KEYS.length) return JSON.stringify(b);
  const population = jsonNumber(b.population);
  const populationYear = jsonNumber(b.populationYear);
  const totalPopulation = jsonNumber(b.totalPopulation);
  const weight = jsonString(b.weight);
  const totalWeight = jsonString(b.totalWeight);
  if (
    population === undefined ||
    populationYear === undefined ||
    totalPopulation === undefined ||
    weight === undefined ||
    totalWeight === undefined
  ) {
    return JSON.stringify(b);
  }
  let cached = basisHeads.get(b.projectCode);
  const c = cached?.basis;
  if (
    !c ||
    c.projectName !== b.projectName ||
    c.year !== b.year ||
    c.allocationKey !== b.allocationKey ||
    c.basePercent !== b.basePercent ||
    c.budget !== b.budget ||
    c.participantCount !== b.participantCount
  ) {
    const full = JSON.stringify(b);
    const head = full.slice(0, full.indexOf(',"population":'));
    // Only a head that prints the same as JSON.stringify is kept (e.g. no key inside a string value).
    if (
      full !==
      `${head},"population":${population},"populationYear":${populationYear},"totalPopulation":${totalPopulation},"weight":${weight},"totalWeight":${totalWeight}}`
    ) {
      return full;
    }
    if (basisHeads.size > 10_000) basisHeads.clear();
    basisHeads.set(b.projectCode, (cached = { basis: { ...b }, head }));
    return full;
  }
  return `${cached!.head},"population":${population},"populationYear":${populationYear},"totalPopulation":${totalPopulation},"weight":${weight},"totalWeight":${totalWeight}}`;
}

export function updateInvoice(tx: Db, id: number, patch: Partial<InvoiceInsert>): InvoiceRow | undefined {
  const keys = definedKeys(patch, invoiceColumns);
  if (keys.length > 0) {
    const update = cachedStatement(tx, `updateInvoice:${keys.join(",")}`, () => {
      const set = keys.map((k) => `"${invoiceColumns[k].name}" = ?`);
      return `UPDATE "invoices" SET ${set.join(", ")} WHERE "id" = ?`;
    });
    update.run(...toDriver(patch, keys, invoiceColumns), id);
  }
  return getInvoiceRow(tx, id);
}

export function deleteInvoice(tx: Db, id: number): void {
  tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, id)).run();
  tx.delete(invoices).where(eq(invoices.id, id)).run();
}

/** Any invoice by id, whatever the caller: only for use cases that check the scope themselves. */
export function getInvoiceRow(tx: Db, id: number): InvoiceRow | undefined {
  const raw = cachedStatement(tx, "getInvoiceRow", () => `SELECT * FROM "invoices" WHERE "id" = ?`).get(id);
  return raw ? fromDriver<InvoiceRow>(raw as Record<string, unknown>, invoiceColumns) : undefined;
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

export function toDraftLine(r: LineRow): DraftLine & { id: number; holdsCharge: boolean } {
  const basis = r.basis ? (JSON.parse(r.basis) as FeeBasis | ShareBasis) : null;
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
    feeBasis: isProjectKind(r.chargeKind) ? null : (basis as FeeBasis | null),
    shareBasis: isProjectKind(r.chargeKind) ? (basis as ShareBasis | null) : null,
  };
}

export function linesOf(tx: Db, invoiceId: number) {
  return tx
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position), asc(invoiceLines.id))
    .all()
    .map(toDraftLine);
}

export function linesByInvoice(tx: Db, invoiceIds: number[]) {
  const map = new Map<number, ReturnType<typeof toDraftLine>[]>();
  for (const id of invoiceIds) map.set(id, []);
  if (invoiceIds.length === 0) return map;
  // The ids as one JSON array: one statement whatever their number (SQLite limits bound parameters).
  const select = cachedStatement(
    tx,
    "linesByInvoice",
    () =>
      `SELECT * FROM "invoice_lines" WHERE "invoice_id" IN (SELECT value FROM json_each(?)) ORDER BY "invoice_id", "position", "id"`,
  );
  for (const raw of select.all(JSON.stringify(invoiceIds)) as Array<Record<string, unknown>>) {
    const r = fromDriver<LineRow>(raw, lineColumns);
    map.get(r.invoiceId)!.push(toDraftLine(r));
  }
  return map;
}

export function getLine(tx: Db, lineId: number): LineRow | undefined {
  return tx.select().from(invoiceLines).where(eq(invoiceLines.id, lineId)).get();
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

// Payments ----------------------------------------------------------------------------------------------------

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

export function snapshotsByIds(tx: Db, ids: number[]): Map<number, string> {
  const map = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of tx
      .select({ id: allocationSnapshots.id, appendix: allocationSnapshots.appendix })
      .from(allocationSnapshots)
      .where(inArray(allocationSnapshots.id, ids.slice(i, i + 500)))
      .all()) {
      map.set(r.id, r.appendix);
    }
  }
  return map;
}
