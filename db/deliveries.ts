import type { FinishedAttemptStatus, InvoiceState, MemberKind } from "../billing/enums";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { DeliveryChannel } from "../billing/delivery";
import type { Db } from "./client";
import { deliveries, invoices, members, users } from "./schema";

/*
 * The delivery log: one row per attempt to send an invoice or a reminder (docs/delivery.md). Rows are only ever
 * inserted as "sending" and then finished once; nothing deletes them.
 */

export type DeliveryRow = typeof deliveries.$inferSelect;

export function insertAttempt(
  tx: Db,
  values: {
    invoiceId: number;
    reminderId: number | null;
    channel: DeliveryChannel;
    recipient: string | null;
    sentBy: number | null;
    sentByLabel: string;
  },
): DeliveryRow {
  return tx
    .insert(deliveries)
    .values({ ...values, status: "sending", startedAt: new Date().toISOString() })
    .returning()
    .get();
}

export function finishAttempt(
  tx: Db,
  id: number,
  result: { status: FinishedAttemptStatus; messageId: string | null; error: string | null },
): DeliveryRow {
  return (
    tx
      .update(deliveries)
      .set({ ...result, finishedAt: new Date().toISOString() })
      // By id alone: an attempt closed as cut short by another request meanwhile still gets its true result.
      .where(eq(deliveries.id, id))
      .returning()
      .get()
  );
}

/** A cut-short attempt (still "sending" long after it started) is closed as failed before a retry. */
export function abandonAttempt(tx: Db, id: number): void {
  tx.update(deliveries)
    .set({
      status: "failed",
      error:
        "Avbrutet: sändningen avslutades aldrig (servern startades om?). Kontrollera hos mottagaren före omsändning.",
      finishedAt: new Date().toISOString(),
    })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, "sending")))
    .run();
}

/** The attempts for an invoice itself (not its reminders), oldest first. */
export function invoiceAttempts(tx: Db, invoiceId: number): DeliveryRow[] {
  return tx
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.invoiceId, invoiceId), isNull(deliveries.reminderId)))
    .orderBy(asc(deliveries.id))
    .all();
}

export function reminderAttempts(tx: Db, reminderId: number): DeliveryRow[] {
  return tx.select().from(deliveries).where(eq(deliveries.reminderId, reminderId)).orderBy(asc(deliveries.id)).all();
}

export type DeliveryLogRow = DeliveryRow & { sentByName: string | null };

/** Every attempt for an invoice and its reminders, oldest first, with the sender's name where the user still exists. */
export function deliveryLog(tx: Db, invoiceId: number): DeliveryLogRow[] {
  return tx
    .select({ d: deliveries, name: users.name })
    .from(deliveries)
    .leftJoin(users, eq(users.id, deliveries.sentBy))
    .where(eq(deliveries.invoiceId, invoiceId))
    .orderBy(asc(deliveries.id))
    .all()
    .map((r) => ({ ...r.d, sentByName: r.name }));
}

/** The invoice attempts (status, start, channel) of many invoices at once, oldest first per invoice. */
export function attemptsByInvoice(
  tx: Db,
  invoiceIds: number[],
): Map<number, Array<Pick<DeliveryRow, "status" | "startedAt" | "channel" | "finishedAt">>> {
  const map = new Map<number, Array<Pick<DeliveryRow, "status" | "startedAt" | "channel" | "finishedAt">>>();
  for (const id of invoiceIds) map.set(id, []);
  if (invoiceIds.length === 0) return map;
  const rows = tx
    .select({
      invoiceId: deliveries.invoiceId,
      status: deliveries.status,
      startedAt: deliveries.startedAt,
      channel: deliveries.channel,
      finishedAt: deliveries.finishedAt,
    })
    .from(deliveries)
    .where(
      and(
        isNull(deliveries.reminderId),
        sql`${deliveries.invoiceId} IN (SELECT value FROM json_each(${JSON.stringify(invoiceIds)}))`,
      ),
    )
    .orderBy(asc(deliveries.invoiceId), asc(deliveries.id))
    .all();
  for (const r of rows) map.get(r.invoiceId)?.push(r);
  return map;
}

/** An issued invoice with what its delivery needs to know of the member (current details: channel, address). */
export interface Recipient {
  invoiceId: number;
  number: number | null;
  state: InvoiceState;
  runId: number | null;
  hasUbl: boolean;
  memberId: number;
  memberName: string;
  memberKind: MemberKind;
  deliveryChannel: DeliveryChannel | null;
  invoiceEmail: string | null;
  peppolId: string | null;
  orgNumber: string;
}

const recipientColumns = {
  invoiceId: invoices.id,
  number: invoices.number,
  state: invoices.state,
  runId: invoices.runId,
  hasUbl: sql<number>`${invoices.ubl} IS NOT NULL`,
  memberId: members.id,
  memberName: members.name,
  memberKind: members.kind,
  deliveryChannel: members.deliveryChannel,
  invoiceEmail: members.invoiceEmail,
  peppolId: members.peppolId,
  orgNumber: members.orgNumber,
};

function toRecipient(r: Omit<Recipient, "hasUbl"> & { hasUbl: number }): Recipient {
  return { ...r, hasUbl: r.hasUbl === 1 };
}

/** The issued invoices of a run (credit notes made later belong to no run), in number order: member order. */
export function recipientsOfRun(tx: Db, runId: number): Recipient[] {
  return tx
    .select(recipientColumns)
    .from(invoices)
    .innerJoin(members, eq(members.id, invoices.memberId))
    .where(and(eq(invoices.runId, runId), sql`${invoices.state} <> 'draft'`))
    .orderBy(asc(invoices.number))
    .all()
    .map(toRecipient);
}

export function recipientOf(tx: Db, invoiceId: number): Recipient | undefined {
  const r = tx
    .select(recipientColumns)
    .from(invoices)
    .innerJoin(members, eq(members.id, invoices.memberId))
    .where(eq(invoices.id, invoiceId))
    .get();
  return r ? toRecipient(r) : undefined;
}

/** The Peppol UBL document stored at issue (docs/delivery.md), or null when the invoice has none. */
export function storedUbl(tx: Db, invoiceId: number): string | null {
  return tx.select({ ubl: invoices.ubl }).from(invoices).where(eq(invoices.id, invoiceId)).get()?.ubl ?? null;
}
