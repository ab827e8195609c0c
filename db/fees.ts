import { asc, eq } from "drizzle-orm";
import type { FeeSchedule } from "../billing/fees";
import type { Db } from "./client";
import { feeBrackets, feeSchedules } from "./schema";

export type StoredFeeSchedule = FeeSchedule & { id: number; note: string | null; createdAt: string };

export function listSchedules(tx: Db): StoredFeeSchedule[] {
  const schedules = tx.select().from(feeSchedules).orderBy(asc(feeSchedules.validFrom)).all();
  const brackets = tx.select().from(feeBrackets).orderBy(asc(feeBrackets.scheduleId), asc(feeBrackets.position)).all();
  return schedules.map((s) => ({
    id: s.id,
    validFrom: s.validFrom,
    note: s.note,
    createdAt: s.createdAt,
    brackets: brackets
      .filter((b) => b.scheduleId === s.id)
      .map((b) => ({
        name: b.name,
        label: b.label,
        minPopulation: b.minPopulation,
        entryFee: b.entryFeeOre,
        annualFee: b.annualFeeOre,
      })),
  }));
}

export function scheduleExists(tx: Db, validFrom: number): boolean {
  return !!tx.select({ id: feeSchedules.id }).from(feeSchedules).where(eq(feeSchedules.validFrom, validFrom)).get();
}

export function insertSchedule(tx: Db, schedule: FeeSchedule & { note?: string | null }): number {
  const { id } = tx
    .insert(feeSchedules)
    .values({ validFrom: schedule.validFrom, note: schedule.note ?? null })
    .returning({ id: feeSchedules.id })
    .get();
  schedule.brackets.forEach((b, position) => {
    tx.insert(feeBrackets)
      .values({
        scheduleId: id,
        position,
        name: b.name,
        label: b.label,
        minPopulation: b.minPopulation,
        entryFeeOre: b.entryFee,
        annualFeeOre: b.annualFee,
      })
      .run();
  });
  return id;
}
