import { listSchedules } from "../../db/fees";
import { deleteSchedule } from "../../db/issued-fees";
import { assertFeesNotIssued } from "./fee-freeze.server";
import { writeAudit } from "../../db/audit";
import { transaction, type Db } from "../../db/client";
import type { Scope } from "../../db/scope";
import { DomainError } from "../../billing/errors";
import { authorize } from "../../billing/policy";
import type { FeeScheduleInput } from "../lib/schemas";
import { createFeeSchedule } from "./fees.server";

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
