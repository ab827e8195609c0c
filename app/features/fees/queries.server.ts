import { sumOre, type Ore } from "../../../billing/money";
import { db } from "../../../db/client";
import { listSchedules } from "../../../db/fees";
import type { Scope } from "../../../db/scope";
import { MemberListRow, listMemberRows } from "../members/queries.server";
import { authorize, can } from "../../../billing/policy";

/** The fee pages (docs/fees.md): the fees of every member active in a year, totals per bracket, the schedules. */

export interface FeesOverview {
  year: number;
  rows: MemberListRow[];
  totals: Array<{ bracket: string; label: string; members: number; annualFees: Ore; entryFees: Ore }>;
  annualTotal: Ore;
  entryTotal: Ore;
  uncharged: MemberListRow[];
}

/** Annual fees of every member active in the year, entry fees of those who joined in it, totals per bracket. */
export function feesOverview(scope: Scope, year: number): FeesOverview {
  authorize(scope, "fees.read.all");
  const rows = listMemberRows({ year }).filter((r) => r.due.annualFee);
  const schedule = listSchedules(db())
    .filter((s) => s.validFrom <= year)
    .at(-1);
  const groups = new Map<string, { label: string; rows: MemberListRow[] }>();
  for (const b of schedule?.brackets ?? []) groups.set(b.name, { label: b.label, rows: [] });
  groups.set("override", { label: "Styrelsebeslut utan invånarantal", rows: [] });
  const uncharged: MemberListRow[] = [];
  for (const r of rows) {
    if (!r.fees.ok) {
      uncharged.push(r);
      continue;
    }
    const key = r.fees.bracket?.name ?? "override";
    groups.get(key)?.rows.push(r);
  }
  const entryFeeOf = (r: MemberListRow) => (r.fees.ok && r.due.entryFee ? r.fees.entryFee : 0);
  const totals = [...groups.entries()]
    .filter(([name, g]) => name !== "override" || g.rows.length > 0)
    .map(([bracket, g]) => ({
      bracket,
      label: g.label,
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

/** Every fee schedule, oldest first (the fee model is public to everyone logged in). */
export function listFeeSchedules() {
  return listSchedules(db());
}
