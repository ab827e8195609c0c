import Database from "better-sqlite3";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client";
import {
  bankPaymentAllocations,
  bankPayments,
  invoices,
  members,
  paymentFiles,
  payments,
  unmatchedPayments,
} from "./schema";

/*
 * BgMax files, their payments and the unmatched payments (docs/bgmax.md). Only staff reach these (the use cases
 * check the role); nothing here belongs to one member.
 */

export type PaymentFileRow = typeof paymentFiles.$inferSelect;
export type PaymentFileSummary = Omit<PaymentFileRow, "content">;
export type BankPaymentRow = typeof bankPayments.$inferSelect;
export type UnmatchedRow = typeof unmatchedPayments.$inferSelect;

const summaryColumns = {
  id: paymentFiles.id,
  sha256: paymentFiles.sha256,
  fileName: paymentFiles.fileName,
  fileTimestamp: paymentFiles.fileTimestamp,
  status: paymentFiles.status,
  totalOre: paymentFiles.totalOre,
  paymentCount: paymentFiles.paymentCount,
  uploadedAt: paymentFiles.uploadedAt,
  uploadedBy: paymentFiles.uploadedBy,
  appliedAt: paymentFiles.appliedAt,
  appliedBy: paymentFiles.appliedBy,
};

export function findFileByHash(tx: Db, sha256: string): PaymentFileSummary | undefined {
  return tx.select(summaryColumns).from(paymentFiles).where(eq(paymentFiles.sha256, sha256)).get();
}

export function insertFile(
  tx: Db,
  values: Omit<typeof paymentFiles.$inferInsert, "id" | "status" | "appliedAt" | "appliedBy">,
): PaymentFileSummary {
  return tx.insert(paymentFiles).values(values).returning(summaryColumns).get();
}

export function getFile(tx: Db, id: number): PaymentFileRow | undefined {
  return tx.select().from(paymentFiles).where(eq(paymentFiles.id, id)).get();
}

export function listFiles(tx: Db): PaymentFileSummary[] {
  return tx.select(summaryColumns).from(paymentFiles).orderBy(desc(paymentFiles.id)).all();
}

/** Marks a previewed file applied; false when it was not a preview any more (someone applied it meanwhile). */
export function markApplied(tx: Db, id: number, userId: number | null): boolean {
  const res = tx
    .update(paymentFiles)
    .set({ status: "applied", appliedAt: new Date().toISOString(), appliedBy: userId })
    .where(and(eq(paymentFiles.id, id), eq(paymentFiles.status, "preview")))
    .run();
  return res.changes === 1;
}

/** Of these payment keys, the ones already applied, with the file that brought them. */
export function appliedKeys(tx: Db, keys: string[]): Map<string, { fileId: number; line: number }> {
  const found = new Map<string, { fileId: number; line: number }>();
  // SQLite limits bound parameters; 5 000 payments go in chunks.
  for (let i = 0; i < keys.length; i += 500) {
    const rows = tx
      .select({ key: bankPayments.paymentKey, fileId: bankPayments.fileId, line: bankPayments.line })
      .from(bankPayments)
      .where(inArray(bankPayments.paymentKey, keys.slice(i, i + 500)))
      .all();
    for (const r of rows) found.set(r.key, { fileId: r.fileId, line: r.line });
  }
  return found;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A statement prepared once per connection: applying a file writes a row per payment, 5 000 of them and more. */
function statement(tx: Db, key: string, text: string): Database.Statement {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (!(client instanceof Database)) throw new Error("db/payment-files: not a better-sqlite3 drizzle database");
  let cache = statements.get(client);
  if (!cache) statements.set(client, (cache = new Map()));
  let prepared = cache.get(key);
  if (!prepared) cache.set(key, (prepared = client.prepare(text)));
  return prepared;
}

export function insertBankPayment(tx: Db, v: Omit<typeof bankPayments.$inferInsert, "id">): number {
  const result = statement(
    tx,
    "insertBankPayment",
    `INSERT INTO bank_payments (file_id, payment_key, line, serial, kind, paid_on, reference, payer, amount_ore, match) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(v.fileId, v.paymentKey, v.line, v.serial, v.kind, v.paidOn, v.reference, v.payer, v.amountOre, v.match);
  return Number(result.lastInsertRowid);
}

export function linkAllocation(tx: Db, paymentId: number, bankPaymentId: number): void {
  statement(
    tx,
    "linkAllocation",
    `INSERT INTO bank_payment_allocations (payment_id, bank_payment_id) VALUES (?, ?)`,
  ).run(paymentId, bankPaymentId);
}

export function insertUnmatched(
  tx: Db,
  values: Omit<typeof unmatchedPayments.$inferInsert, "id" | "createdAt">,
): UnmatchedRow {
  return tx
    .insert(unmatchedPayments)
    .values({ ...values, createdAt: new Date().toISOString() })
    .returning()
    .get();
}

export function getUnmatched(tx: Db, id: number): UnmatchedRow | undefined {
  return tx.select().from(unmatchedPayments).where(eq(unmatchedPayments.id, id)).get();
}

export function updateUnmatched(tx: Db, id: number, patch: Partial<Omit<UnmatchedRow, "id">>): UnmatchedRow {
  return tx.update(unmatchedPayments).set(patch).where(eq(unmatchedPayments.id, id)).returning().get();
}

export type UnmatchedListRow = UnmatchedRow & { invoiceNumber: number | null };

export function listUnmatched(
  tx: Db,
  filter: { status?: UnmatchedRow["status"]; fileId?: number } = {},
): UnmatchedListRow[] {
  const conditions = [];
  if (filter.status) conditions.push(eq(unmatchedPayments.status, filter.status));
  if (filter.fileId) conditions.push(eq(unmatchedPayments.fileId, filter.fileId));
  return tx
    .select({ row: unmatchedPayments, invoiceNumber: invoices.number })
    .from(unmatchedPayments)
    .leftJoin(invoices, eq(invoices.id, unmatchedPayments.invoiceId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(unmatchedPayments.paidOn), asc(unmatchedPayments.id))
    .all()
    .map((r) => ({ ...r.row, invoiceNumber: r.invoiceNumber }));
}

/** What a file put on invoices and what it left unmatched, in öre: the two add up to the file's total. */
export function fileSums(
  tx: Db,
  fileId: number,
): { applied: { count: number; amount: number }; unmatched: { count: number; amount: number } } {
  const applied = tx
    .select({ count: sql<number>`count(*)`, amount: sql<number>`coalesce(sum(${payments.amountOre}), 0)` })
    .from(bankPaymentAllocations)
    .innerJoin(payments, eq(payments.id, bankPaymentAllocations.paymentId))
    .innerJoin(bankPayments, eq(bankPayments.id, bankPaymentAllocations.bankPaymentId))
    .where(eq(bankPayments.fileId, fileId))
    .get()!;
  // Every unmatched row of the file, whatever became of it: assigning part of a row splits it, keeping the sum.
  const unmatched = tx
    .select({ count: sql<number>`count(*)`, amount: sql<number>`coalesce(sum(${unmatchedPayments.amountOre}), 0)` })
    .from(unmatchedPayments)
    .where(eq(unmatchedPayments.fileId, fileId))
    .get()!;
  return { applied, unmatched };
}

/** Every invoice and credit note that has an OCR reference, with what is paid: what a bank payment can match. */
export function matchableInvoices(tx: Db) {
  const paid = tx
    .select({ invoiceId: payments.invoiceId, paid: sql<number>`sum(${payments.amountOre})`.as("paid") })
    .from(payments)
    .groupBy(payments.invoiceId)
    .as("paid");
  return tx
    .select({
      id: invoices.id,
      number: invoices.number,
      ocr: invoices.ocr,
      kind: invoices.kind,
      state: invoices.state,
      totalOre: invoices.totalOre,
      issueDate: invoices.issueDate,
      issuedAt: invoices.issuedAt,
      memberId: invoices.memberId,
      memberName: members.name,
      paid: paid.paid,
    })
    .from(invoices)
    .innerJoin(members, eq(members.id, invoices.memberId))
    .leftJoin(paid, eq(paid.invoiceId, invoices.id))
    .where(sql`${invoices.ocr} IS NOT NULL`)
    .all()
    .map((r) => ({ ...r, ocr: r.ocr!, paid: r.paid ?? 0 }));
}
