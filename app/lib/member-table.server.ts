import { todayIso } from "../../billing/dates";
import { CountedCache } from "../../db/cache";
import { transaction } from "../../db/client";
import type { MemberRowView } from "~/components/member-rows";
import { listMemberRows, type MemberListFilter } from "~/features/members/queries.server";
import { sortAndPage, type TableQuery, type TableSpec } from "~/lib/table";

/*
 * The member list's rows (docs/ui.md#large-tables): filtered and sorted, kept per query while members,
 * populations and fees are unchanged and for the day (db/cache.ts, docs/architecture.md#caches), since the same
 * 290 rows are asked for again and again and every member of staff sees the same.
 */

export type MemberColumn = "name" | "code" | "population" | "bracket" | "fee";

const BRACKET_ORDER: Record<string, number> = { small: 1, medium: 2, large: 3, override: 4 };

const tables = new CountedCache<MemberRowView[]>(32);

function rowsOf(filter: MemberListFilter): MemberRowView[] {
  return listMemberRows(filter).map((r) => ({
    id: r.member.id,
    name: r.member.name,
    kind: r.member.kind,
    code: r.member.municipalityCode,
    orgNumber: r.member.orgNumber,
    status: r.status,
    activeInYear: r.activeInYear,
    population: r.fees.ok && r.fees.basis ? r.fees.basis : null,
    bracket: r.fees.ok ? (r.fees.bracket?.name ?? "override") : null,
    annualFee: r.fees.ok ? r.fees.annualFee : null,
    override: r.fees.ok && r.fees.override ? r.fees.override.note : null,
    problem: r.fees.ok ? null : r.fees.message,
  }));
}

export function memberTable(
  filter: MemberListFilter,
  query: TableQuery<MemberColumn>,
  spec: TableSpec<MemberColumn>,
): MemberRowView[] {
  const key = JSON.stringify([filter, query, todayIso()]);
  return transaction(
    (tx) =>
      tables.get(tx, key, ["members", "populations", "fees"], () => {
        const sorted = sortAndPage(rowsOf(filter), query, spec, {
          name: (r) => r.name,
          code: (r) => r.code,
          population: (r) => r.population?.population ?? null,
          // Brackets in their size order, not alphabetically; a member whose fee cannot be computed sorts last.
          bracket: (r) => (r.bracket ? (BRACKET_ORDER[r.bracket] ?? 5) : null),
          fee: (r) => (r.annualFee !== null && r.activeInYear ? r.annualFee : null),
        });
        return sorted.rows;
      }),
    "deferred",
  );
}
