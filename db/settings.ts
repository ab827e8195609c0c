import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { settings } from "./schema";

/** The association's own details and invoicing settings: one row (id = 1), absent until first saved. */
export type SettingsRow = typeof settings.$inferSelect;
/** What a save writes; the columns added for e-invoicing and bookkeeping have defaults and may be left out. */
export type SettingsValues = Omit<typeof settings.$inferInsert, "id" | "updatedAt">;

export function getSettings(tx: Db): SettingsRow | undefined {
  return tx.select().from(settings).where(eq(settings.id, 1)).get();
}

export function saveSettings(tx: Db, values: SettingsValues): SettingsRow {
  const row = { ...values, id: 1, updatedAt: new Date().toISOString() };
  return tx
    .insert(settings)
    .values(row)
    .onConflictDoUpdate({ target: settings.id, set: { ...values, updatedAt: row.updatedAt } })
    .returning()
    .get();
}

/** Moves the number series on after issuing; only the issuing transaction calls this. */
export function setNextInvoiceNumber(tx: Db, next: number): void {
  tx.update(settings).set({ nextInvoiceNumber: next }).where(eq(settings.id, 1)).run();
}
