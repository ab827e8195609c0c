import { feesDueInYear, entryFeeYear as entryFeeYearOf, type FeesDue } from "../../../billing/charges";
import { activeInYear, todayIso } from "../../../billing/dates";
import { feesFor, type FeeResult, type FeeSchedule } from "../../../billing/fees";
import { matchesText, searchKey } from "../../../billing/search";
import { CountedCache } from "../../../db/cache";
import { db, transaction, type Db } from "../../../db/client";
import { listSchedules } from "../../../db/fees";
import * as membersDb from "../../../db/members";
import type { Scope } from "../../../db/scope";
import { issuedFeesOfMember } from "../../../db/issued-fees";
import { MemberStatus, memberStatus } from "../../../billing/membership";

/** The member directory and one member's page (docs/membership.md): each member's bracket and fees for a year. */

export interface MemberListRow {
  member: membersDb.PublicMember;
  status: MemberStatus;
  activeInYear: boolean;
  /** Which fees fall due in the year (billing/charges.ts): the same rule the billing run charges by. */
  due: FeesDue;
  fees: FeeResult;
  latestPopulation: { year: number; population: number } | null;
}

export interface MemberListFilter {
  q?: string;
  kind?: membersDb.MemberKind;
  status?: MemberStatus;
  bracket?: string;
  year: number;
}

/** Swedish-aware match on any part of the name (spaces and hyphens ignored), municipality code or org number. */
export function matchesSearch(m: membersDb.PublicMember, q: string): boolean {
  const needle = searchKey(q);
  if (!needle) return true;
  return (
    matchesText(m.name, q) ||
    (m.municipalityCode ?? "").startsWith(needle) ||
    m.orgNumber.replace("-", "").startsWith(needle)
  );
}

/** Every member's row for a year, kept while members, populations and fees are unchanged (db/cache.ts). */
const directories = new CountedCache<MemberListRow[]>(8);

/** Every member with its status today and its bracket and fees for `year`, computed now in the caller's transaction. */
export function directoryOf(tx: Db, year: number, today: string): MemberListRow[] {
  const schedules = listSchedules(tx);
  const figures = membersDb.populationsByMember(tx);
  const overrides = membersDb.overridesByMember(tx);
  return membersDb.listPublicMembers(tx).map((member) => {
    const memberFigures = figures.get(member.id) ?? [];
    return {
      member,
      status: memberStatus(member, today),
      activeInYear: activeInYear(member.joinedOn, member.resignedOn, year),
      due: feesDueInYear(member, year),
      fees: feesFor({ schedules, figures: memberFigures, billingYear: year, overrides: overrides.get(member.id) }),
      latestPopulation: memberFigures[0] ?? null,
    };
  });
}

/**
 * The directory with each member's bracket and fees for the chosen year (open to everyone logged in). The rows
 * of a year are computed once per change of members, populations or fees, and per day (docs/architecture.md#caches);
 * they are shared, so read-only.
 */
export function listMemberRows(filter: MemberListFilter): MemberListRow[] {
  const today = todayIso();
  const all = transaction(
    (tx) =>
      directories.get(tx, `${filter.year}:${today}`, ["members", "populations", "fees"], () =>
        directoryOf(tx, filter.year, today),
      ),
    "deferred",
  );
  return all.filter(
    (r) =>
      (!filter.q || matchesSearch(r.member, filter.q)) &&
      (!filter.kind || r.member.kind === filter.kind) &&
      (!filter.status || r.status === filter.status) &&
      (!filter.bracket || (r.fees.ok && (r.fees.bracket?.name ?? "override") === filter.bracket)),
  );
}

export interface MemberDetail {
  member: membersDb.MemberView;
  status: MemberStatus;
  populations: Array<{ year: number; population: number }>;
  overrides: membersDb.FeeOverrideRow[];
  fees: FeeResult;
  entryFeeYear: number;
  entryFees: FeeResult;
  schedules: FeeSchedule[];
  /** The fees as issued (not credited) for `year` and the entry year: shown instead of computed ones (docs/adjustments.md). */
  invoiced: { annualFee: number | null; entryFee: number | null };
}

/** One member as its page shows it: fees for `year`, and the entry fee as charged in the year it joined. */
export function memberDetail(scope: Scope, id: number, year: number): MemberDetail | null {
  const tx = db();
  const member = membersDb.getMember(tx, scope, id);
  if (!member) return null;
  const schedules = listSchedules(tx);
  const populations = membersDb.populationsOf(tx, id);
  const overrideRows = membersDb.overridesOf(tx, id);
  const overrides = overrideRows.map(membersDb.toFeeOverride);
  const entryFeeYear = entryFeeYearOf(member);
  const issued = issuedFeesOfMember(tx, id);
  return {
    member,
    status: memberStatus(member),
    populations,
    overrides: overrideRows,
    fees: feesFor({ schedules, figures: populations, billingYear: year, overrides }),
    entryFeeYear,
    entryFees: feesFor({ schedules, figures: populations, billingYear: entryFeeYear, overrides }),
    schedules,
    invoiced: {
      annualFee: issued.get(year)?.annualFee ?? null,
      entryFee: issued.get(entryFeeYear)?.entryFee ?? null,
    },
  };
}
