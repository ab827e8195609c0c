import {
  bracketsWithRanges,
  defaultBracketLabel,
  OVERRIDE_BRACKET,
  scheduleForYear,
  validateBrackets,
  type BracketRange,
} from "../../billing/fees";
import { sumOre, type Ore } from "../../billing/money";
import { todayIso, yearOf } from "../../billing/dates";
import { db, transaction } from "../../db/client";
import { writeAudit } from "../../db/audit";
import { insertSchedule, listSchedules, scheduleExists } from "../../db/fees";
import type { Scope } from "../../db/scope";
import { DomainError, type FieldErrors } from "../lib/http.server";
import { overrideGroupLabel } from "../lib/i18n";
import type { FeeScheduleInput } from "../lib/schemas";
import { assertFeesNotIssued } from "./fee-freeze.server";
import { listMemberRows, type MemberListRow } from "./members.server";

/**
 * Adds a fee schedule. Only for a year after the latest schedule and not in the past, so that the fees of
 * years already billed never change under the treasurer's feet.
 */
export function createFeeSchedule(scope: Scope, input: FeeScheduleInput) {
  // A bracket without a label is labelled with its own boundaries (docs/fees.md#bracket-texts).
  const next = (i: number) => input.brackets[i + 1]?.minPopulation;
  const brackets = input.brackets.map((b, i) => ({
    name: b.name,
    label: b.label ?? defaultBracketLabel({ min: b.minPopulation, max: next(i) === undefined ? null : next(i)! - 1 }),
    minPopulation: b.minPopulation,
    entryFee: b.entryFee,
    annualFee: b.annualFee,
  }));
  const fields: FieldErrors = {};
  for (const e of validateBrackets(brackets)) {
    fields[e.index < 0 ? "brackets" : `brackets.${e.index}.${e.field}`] ??= e.message;
  }
  if (Object.keys(fields).length)
    throw new DomainError(422, "validation_failed", "Intervallen är inte giltiga", fields);
  return transaction((tx) => {
    const existing = listSchedules(tx);
    const latest = existing.at(-1)?.validFrom ?? 0;
    if (scheduleExists(tx, input.validFrom)) {
      throw new DomainError(409, "duplicate", "Det finns redan en avgiftsmodell från det året", {
        validFrom: `Det finns redan en avgiftsmodell från ${input.validFrom}`,
      });
    }
    // A schedule may not take effect in a year whose fees are already issued (docs/adjustments.md).
    assertFeesNotIssued(tx, { from: input.validFrom });
    const thisYear = yearOf(todayIso());
    if (input.validFrom <= latest || input.validFrom < thisYear) {
      throw new DomainError(422, "validation_failed", "Avgiftsmodellen måste gälla från ett senare år", {
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

export interface FeesOverview {
  year: number;
  rows: MemberListRow[];
  totals: Array<{
    bracket: string;
    label: string;
    /** The bracket's populations in the schedule in force; null for the board decisions' group. */
    range: BracketRange | null;
    members: number;
    annualFees: Ore;
    entryFees: Ore;
  }>;
  annualTotal: Ore;
  entryTotal: Ore;
  uncharged: MemberListRow[];
}

/** Annual fees of every member active in the year, entry fees of those who joined in it, totals per bracket. */
export function feesOverview(year: number): FeesOverview {
  const rows = listMemberRows({ year }).filter((r) => r.activeInYear);
  const schedule = scheduleForYear(listSchedules(db()), year);
  const groups = new Map<string, { label: string; range: BracketRange | null; rows: MemberListRow[] }>();
  for (const b of schedule ? bracketsWithRanges(schedule) : []) {
    groups.set(b.name, { label: b.label, range: b.range, rows: [] });
  }
  groups.set(OVERRIDE_BRACKET, { label: overrideGroupLabel, range: null, rows: [] });
  const uncharged: MemberListRow[] = [];
  for (const r of rows) {
    if (!r.fees.ok) {
      uncharged.push(r);
      continue;
    }
    const key = r.fees.bracket?.name ?? OVERRIDE_BRACKET;
    groups.get(key)?.rows.push(r);
  }
  const entryFeeOf = (r: MemberListRow) => (r.fees.ok && yearOf(r.member.joinedOn) === year ? r.fees.entryFee : 0);
  const totals = [...groups.entries()]
    .filter(([name, g]) => name !== OVERRIDE_BRACKET || g.rows.length > 0)
    .map(([bracket, g]) => ({
      bracket,
      label: g.label,
      range: g.range,
      members: g.rows.length,
      annualFees: sumOre(g.rows.map((r) => (r.fees.ok ? r.fees.annualFee : 0))),
      entryFees: sumOre(g.rows.map(entryFeeOf)),
    }));
  return {
    year,
    rows,
    totals,
    annualTotal: sumOre(totals.map((t) => t.annualFees)),
    entryTotal: sumOre(totals.map((t) => t.entryFees)),
    uncharged,
  };
}

/** The fee rows of the members active in `year` that the caller asks about: all for staff, its own for a member user. */
export function feeRowsFor(scope: Scope, year: number): MemberListRow[] {
  const rows = listMemberRows({ year }).filter((r) => r.activeInYear);
  return scope.role === "member" ? rows.filter((r) => r.member.id === scope.memberId) : rows;
}

/** The brackets of the schedule in force in `year`, in population order, each with its range; none before 2005. */
export function bracketsOfYear(year: number) {
  const schedule = scheduleForYear(listSchedules(db()), year);
  return schedule ? bracketsWithRanges(schedule).map(({ name, label, range }) => ({ name, label, range })) : [];
}

/** Every fee schedule, oldest first (the fee model is public to everyone logged in). */
export function listFeeSchedules() {
  return listSchedules(db());
}
