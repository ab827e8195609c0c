import { bracketsWithRanges, OVERRIDE_BRACKET, scheduleForYear, type BracketRange } from "../../../billing/fees";
import { sumOre, type Ore } from "../../../billing/money";
import { CountedCache } from "../../../db/cache";
import { db, transaction } from "../../../db/client";
import { listSchedules, type StoredFeeSchedule } from "../../../db/fees";
import type { Scope } from "../../../db/scope";
import { overrideGroupLabel } from "../../lib/i18n";
import { MemberListRow, listMemberRows } from "../members/queries.server";
import { authorize, can } from "../../../billing/policy";

/** The fee pages (docs/fees.md): the fees of every member active in a year, totals per bracket, the schedules. */

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
export function feesOverview(scope: Scope, year: number): FeesOverview {
  authorize(scope, "fees.read.all");
  const rows = listMemberRows({ year }).filter((r) => r.due.annualFee);
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
  const entryFeeOf = (r: MemberListRow) => (r.fees.ok && r.due.entryFee ? r.fees.entryFee : 0);
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
  const rows = listMemberRows({ year }).filter((r) => r.due.annualFee);
  return rows.filter((r) => can(scope, "fees.read", { memberId: r.member.id }));
}

/** The fee schedules while no schedule, bracket or override changes (the "fees" counter, db/cache.ts). */
const schedules = new CountedCache<StoredFeeSchedule[]>(1);

/**
 * The brackets of the schedule in force in `year`, in population order, each with its range; none before 2005.
 * The member list asks at every request: the schedules are read once per change of them, not per page.
 */
export function bracketsOfYear(year: number) {
  const all = transaction((tx) => schedules.get(tx, "all", ["fees"], () => listSchedules(tx)), "deferred");
  const schedule = scheduleForYear(all, year);
  return schedule ? bracketsWithRanges(schedule).map(({ name, label, range }) => ({ name, label, range })) : [];
}

/** Every fee schedule, oldest first (the fee model is public to everyone logged in). */
export function listFeeSchedules() {
  return listSchedules(db());
}
