import { asc, inArray } from "drizzle-orm";
import type { Db } from "./client";
import { reminders } from "./schema";

/** The dates reminders were sent, per invoice, oldest first: one query for a whole list page. */
export function reminderDatesByInvoice(tx: Db, invoiceIds: readonly number[]): Map<number, string[]> {
  const result = new Map<number, string[]>();
  if (invoiceIds.length === 0) return result;
  // SQLite allows some 32 000 parameters; a page is far smaller, but chunk so a full export also works.
  for (let i = 0; i < invoiceIds.length; i += 500) {
    const chunk = invoiceIds.slice(i, i + 500);
    const rows = tx
      .select({ invoiceId: reminders.invoiceId, sentOn: reminders.sentOn })
      .from(reminders)
      .where(inArray(reminders.invoiceId, chunk))
      .orderBy(asc(reminders.sentOn), asc(reminders.id))
      .all();
    for (const r of rows) {
      const list = result.get(r.invoiceId) ?? [];
      list.push(r.sentOn);
      result.set(r.invoiceId, list);
    }
  }
  return result;
}
