import { validateBrackets } from "../../../billing/fees";
import { currentYear } from "../../../billing/dates";
import { writeAudit } from "../../../db/audit";
import { transaction, type Db } from "../../../db/client";
import { insertSchedule, listSchedules, scheduleExists } from "../../../db/fees";
import { deleteSchedule } from "../../../db/issued-fees";
import type { Scope } from "../../../db/scope";
import { DomainError, type FieldErrors } from "../../../billing/errors";
import type { FeeScheduleInput } from "../../lib/schemas";
import { assertFeesNotIssued } from "./freeze.server";
import { authorize } from "../../../billing/policy";

const DEFAULT_LABELS: Record<string, string> = {
  small: "Mindre än 10 000 invånare",
  medium: "10 000–100 000 invånare",
  large: "Fler än 100 000 invånare",
};

/**
 * Adds a fee schedule. Only for a year after the latest schedule and not in the past, so that the fees of
 * years already billed never change under the treasurer's feet.
 */
export function createFeeSchedule(scope: Scope, input: FeeScheduleInput) {
  authorize(scope, "fee-schedule.create");
  const brackets = input.brackets.map((b) => ({
    name: b.name,
    label: b.label ?? DEFAULT_LABELS[b.name] ?? `Från ${b.minPopulation} invånare`,
    minPopulation: b.minPopulation,
    entryFee: b.entryFee,
    annualFee: b.annualFee,
  }));
  const fields: FieldErrors = {};
  for (const e of validateBrackets(brackets)) {
    fields[e.index < 0 ? "brackets" : `brackets.${e.index}.${e.field}`] ??= e.message;
  }
  if (Object.keys(fields).length)
    throw new DomainError("validation", "validation_failed", "Intervallen är inte giltiga", fields);
  return transaction((tx) => {
    const existing = listSchedules(tx);
    const latest = existing.at(-1)?.validFrom ?? 0;
    if (scheduleExists(tx, input.validFrom)) {
      throw new DomainError("conflict", "duplicate", "Det finns redan en avgiftsmodell från det året", {
        validFrom: `Det finns redan en avgiftsmodell från ${input.validFrom}`,
      });
    }
    // A schedule may not take effect in a year whose fees are already issued (docs/adjustments.md).
    assertFeesNotIssued(tx, { from: input.validFrom });
    const thisYear = currentYear();
    if (input.validFrom <= latest || input.validFrom < thisYear) {
      throw new DomainError("validation", "validation_failed", "Avgiftsmodellen måste gälla från ett senare år", {
        validFrom: `Ange ett år efter ${Math.max(latest, thisYear - 1)}: redan fakturerade år ändras inte`,
      });
    }
    const id = insertSchedule(tx, { validFrom: input.validFrom, note: input.note ?? null, brackets });
    writeAudit(tx, scope, {
      action: "fee_schedule.create",
      entity: "fee_schedule",
      entityId: id,
      after: { validFrom: input.validFrom, brackets },
    });
    return { id, validFrom: input.validFrom, brackets };
  });
}

/*
 * Fee schedules are frozen once used (docs/adjustments.md): a schedule, or a change of one, may not take effect in
 * a year whose fees are issued. A schedule no issued invoice depends on may be edited or deleted.
 */

/** The years a stored schedule governs: from its validFrom up to the next schedule's (null: open-ended). */
function spanOf(tx: Db, id: number) {
  const all = listSchedules(tx);
  const i = all.findIndex((s) => s.id === id);
  if (i < 0) throw new DomainError("not_found", "not_found", "Avgiftsmodellen finns inte");
  return { schedule: all[i], from: all[i].validFrom, to: all[i + 1]?.validFrom ?? null, previous: all[i - 1] ?? null };
}

/** Replaces a schedule no issued invoice depends on (brackets and validFrom), as a delete and a create in one go. */
export function updateFeeSchedule(scope: Scope, id: number, input: FeeScheduleInput) {
  authorize(scope, "fee-schedule.update");
  return transaction((tx) => {
    const { schedule, from, to } = spanOf(tx, id);
    assertFeesNotIssued(tx, { from, to });
    assertFeesNotIssued(tx, { from: Math.min(from, input.validFrom) });
    deleteSchedule(tx, id);
    // createFeeSchedule validates the brackets and the year again, in this same transaction (nested = savepoint).
    const created = createFeeSchedule(scope, input);
    writeAudit(tx, scope, {
      action: "fee_schedule.update",
      entity: "fee_schedule",
      entityId: created.id,
      before: schedule,
      after: created,
    });
    return created;
  });
}

/** Deletes a schedule no issued invoice depends on; the earlier schedule then governs its years again. */
export function deleteFeeSchedule(scope: Scope, id: number): void {
  authorize(scope, "fee-schedule.delete");
  transaction((tx) => {
    const { schedule, from, to, previous } = spanOf(tx, id);
    if (!previous)
      throw new DomainError(
        "conflict",
        "first_schedule",
        "Den första avgiftsmodellen kan inte tas bort: ändra den i stället",
      );
    assertFeesNotIssued(tx, { from, to });
    deleteSchedule(tx, id);
    writeAudit(tx, scope, { action: "fee_schedule.delete", entity: "fee_schedule", entityId: id, before: schedule });
  });
}
