import { activeInYear, todayIso, yearOf } from "../../billing/dates";
import { feesFor, OVERRIDE_BRACKET, type FeeResult, type FeeSchedule } from "../../billing/fees";
import { matchesText, searchKey } from "../../billing/search";
import { db, transaction } from "../../db/client";
import { writeAudit } from "../../db/audit";
import { listSchedules } from "../../db/fees";
import * as membersDb from "../../db/members";
import type { Scope } from "../../db/scope";
import { issuedFeesOfMember } from "../../db/issued-fees";
import { assertFeesNotIssued } from "./fee-freeze.server";
import { DomainError, zodFieldErrors } from "../lib/http.server";
import type { MemberCreateInput, MemberPatchInput } from "../lib/schemas";
import { MemberMergedSchema } from "../lib/schemas";

import type { MemberStatus } from "../../billing/enums";
export type { MemberStatus };

/** A member is resigned once its resignation date has passed. */
export function memberStatus(m: { resignedOn: string | null }, today = todayIso()): MemberStatus {
  return m.resignedOn !== null && m.resignedOn < today ? "resigned" : "active";
}

export interface MemberListRow {
  member: membersDb.PublicMember;
  status: MemberStatus;
  activeInYear: boolean;
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

/** The directory with each member's bracket and fees for the chosen year (open to everyone logged in). */
export function listMemberRows(filter: MemberListFilter): MemberListRow[] {
  const tx = db();
  const schedules = listSchedules(tx);
  const figures = membersDb.populationsByMember(tx);
  const overrides = membersDb.overridesByMember(tx);
  const today = todayIso();
  const rows: MemberListRow[] = [];
  for (const member of membersDb.listPublicMembers(tx)) {
    if (filter.q && !matchesSearch(member, filter.q)) continue;
    if (filter.kind && member.kind !== filter.kind) continue;
    const status = memberStatus(member, today);
    if (filter.status && status !== filter.status) continue;
    const memberFigures = figures.get(member.id) ?? [];
    const fees = feesFor({
      schedules,
      figures: memberFigures,
      billingYear: filter.year,
      overrides: overrides.get(member.id),
    });
    if (filter.bracket && !(fees.ok && (fees.bracket?.name ?? OVERRIDE_BRACKET) === filter.bracket)) continue;
    rows.push({
      member,
      status,
      activeInYear: activeInYear(member.joinedOn, member.resignedOn, filter.year),
      fees,
      latestPopulation: memberFigures[0] ?? null,
    });
  }
  return rows;
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
  const entryFeeYear = yearOf(member.joinedOn);
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

function duplicateCheck(
  tx: ReturnType<typeof db>,
  values: { municipalityCode?: string | null; orgNumber?: string },
  exceptId?: number,
) {
  const conflicts = membersDb.findConflicts(tx, values, exceptId);
  const fields: Record<string, string> = {};
  if (conflicts.municipalityCode) {
    fields.municipalityCode = `Kommunkoden används redan av ${conflicts.municipalityCode.name}`;
  }
  if (conflicts.orgNumber) fields.orgNumber = `Organisationsnumret används redan av ${conflicts.orgNumber.name}`;
  if (Object.keys(fields).length)
    throw new DomainError(409, "duplicate", "En annan medlem har samma uppgifter", fields);
}

function rowValues(input: Omit<MemberCreateInput, "population">): membersDb.MemberInsert {
  return {
    kind: input.kind,
    name: input.name,
    municipalityCode: input.kind === "municipality" ? (input.municipalityCode ?? null) : null,
    orgNumber: input.orgNumber,
    joinedOn: input.joinedOn,
    resignedOn: input.resignedOn ?? null,
    street: input.invoiceAddress?.street ?? null,
    postalCode: input.invoiceAddress?.postalCode ?? null,
    city: input.invoiceAddress?.city ?? null,
    invoiceEmail: input.invoiceEmail ?? null,
    reference: input.reference ?? null,
    contactName: input.contactName ?? null,
    contactEmail: input.contactEmail ?? null,
    contactPhone: input.contactPhone ?? null,
    peppolId: input.peppolId ?? null,
    deliveryChannel: input.deliveryChannel ?? null,
  };
}

export function createMember(scope: Scope, input: MemberCreateInput): membersDb.MemberRow {
  return transaction((tx) => {
    duplicateCheck(tx, input);
    const row = membersDb.insertMember(tx, rowValues(input));
    writeAudit(tx, scope, { action: "member.create", entity: "member", entityId: row.id, after: row });
    if (input.population) {
      membersDb.upsertPopulation(tx, row.id, input.population.year, input.population.population);
      writeAudit(tx, scope, {
        action: "population.set",
        entity: "population",
        entityId: `${row.id}:${input.population.year}`,
        after: input.population,
      });
    }
    return row;
  });
}

/** The member as the writable fields of the API/forms see it, to merge a patch into. */
function asInput(row: membersDb.MemberRow) {
  return {
    kind: row.kind,
    name: row.name,
    municipalityCode: row.municipalityCode,
    orgNumber: row.orgNumber,
    joinedOn: row.joinedOn,
    resignedOn: row.resignedOn,
    invoiceAddress:
      row.street !== null && row.postalCode !== null && row.city !== null
        ? { street: row.street, postalCode: row.postalCode, city: row.city }
        : null,
    invoiceEmail: row.invoiceEmail,
    reference: row.reference,
    contactName: row.contactName,
    contactEmail: row.contactEmail,
    contactPhone: row.contactPhone,
    peppolId: row.peppolId,
    deliveryChannel: row.deliveryChannel,
  };
}

/**
 * Applies a validated patch. The cross-field rules (a municipality has a code, resignation after joining…)
 * are checked on the merged member, so a patch of one field cannot break them. Member users reach this
 * only with the fields of MemberSelfPatchSchema and only for their own member.
 */
export function updateMember(scope: Scope, id: number, patch: MemberPatchInput): membersDb.MemberRow {
  if (scope.role === "member" && scope.memberId !== id) throw new DomainError(404, "not_found", "Medlemmen finns inte");
  return transaction((tx) => {
    const before = membersDb.getMemberRow(tx, id);
    if (!before) throw new DomainError(404, "not_found", "Medlemmen finns inte");
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const merged = MemberMergedSchema.safeParse({ ...asInput(before), ...defined });
    if (!merged.success) {
      throw new DomainError(422, "validation_failed", "Uppgifterna är inte giltiga", zodFieldErrors(merged.error));
    }
    const values = rowValues(merged.data);
    const unchanged = (Object.keys(values) as Array<keyof typeof values>).every(
      (k) => values[k] === before[k as keyof typeof before],
    );
    if (unchanged) return before; // nothing to store, nothing to audit
    duplicateCheck(tx, merged.data, id);
    const after = membersDb.updateMember(tx, id, values)!;
    writeAudit(tx, scope, { action: "member.update", entity: "member", entityId: id, before, after });
    return after;
  });
}

export function setPopulation(scope: Scope, memberId: number, year: number, population: number) {
  return transaction((tx) => {
    if (!membersDb.getMemberRow(tx, memberId)) throw new DomainError(404, "not_found", "Medlemmen finns inte");
    const before = membersDb.getPopulation(tx, memberId, year);
    membersDb.upsertPopulation(tx, memberId, year, population);
    writeAudit(tx, scope, {
      action: before === undefined ? "population.set" : "population.correct",
      entity: "population",
      entityId: `${memberId}:${year}`,
      before: before === undefined ? undefined : { year, population: before },
      after: { year, population },
    });
    return { year, population };
  });
}

export function deletePopulationFigure(scope: Scope, memberId: number, year: number) {
  return transaction((tx) => {
    const before = membersDb.getPopulation(tx, memberId, year);
    if (before === undefined) throw new DomainError(404, "not_found", "Det finns inget invånarantal för det året");
    membersDb.deletePopulation(tx, memberId, year);
    writeAudit(tx, scope, {
      action: "population.delete",
      entity: "population",
      entityId: `${memberId}:${year}`,
      before: { year, population: before },
    });
  });
}

export function addFeeOverride(
  scope: Scope,
  memberId: number,
  input: {
    validFrom: number;
    validTo?: number | null;
    entryFee?: number | null;
    annualFee?: number | null;
    note: string;
  },
) {
  return transaction((tx) => {
    if (!membersDb.getMemberRow(tx, memberId)) throw new DomainError(404, "not_found", "Medlemmen finns inte");
    // A board decision that would alter a fee already issued is refused: credit and re-bill instead.
    assertFeesNotIssued(tx, { from: input.validFrom, to: input.validTo == null ? null : input.validTo + 1, memberId });
    const row = membersDb.insertOverride(tx, {
      memberId,
      validFrom: input.validFrom,
      validTo: input.validTo ?? null,
      entryFeeOre: input.entryFee ?? null,
      annualFeeOre: input.annualFee ?? null,
      note: input.note,
    });
    writeAudit(tx, scope, { action: "fee_override.create", entity: "member", entityId: memberId, after: row });
    return row;
  });
}

export function removeFeeOverride(scope: Scope, memberId: number, overrideId: number) {
  transaction((tx) => {
    const before = membersDb.getOverride(tx, overrideId);
    if (!before || before.memberId !== memberId) throw new DomainError(404, "not_found", "Beslutet finns inte");
    assertFeesNotIssued(tx, {
      from: before.validFrom,
      to: before.validTo == null ? null : before.validTo + 1,
      memberId,
    });
    membersDb.deleteOverride(tx, overrideId);
    writeAudit(tx, scope, { action: "fee_override.delete", entity: "member", entityId: memberId, before });
  });
}

/** The member as the API shows it (docs/api.md#members), private fields only for those who may see them. */
export function memberJson(view: membersDb.MemberView, populations: Array<{ year: number; population: number }>) {
  const p = view.private;
  return {
    id: view.id,
    kind: view.kind,
    name: view.name,
    municipalityCode: view.municipalityCode,
    orgNumber: view.orgNumber,
    joinedOn: view.joinedOn,
    resignedOn: view.resignedOn,
    populations: [...populations].sort((a, b) => a.year - b.year),
    invoiceAddress:
      p && p.street !== null && p.postalCode !== null && p.city !== null
        ? { street: p.street, postalCode: p.postalCode, city: p.city }
        : null,
    invoiceEmail: p?.invoiceEmail ?? null,
    reference: p?.reference ?? null,
    contact: p ? { name: p.contactName, email: p.contactEmail, phone: p.contactPhone } : null,
    // The stored values (null = the default); docs/e-invoice.md says what the defaults are.
    peppolId: p?.peppolId ?? null,
    deliveryChannel: p?.deliveryChannel ?? null,
  };
}

/** The directory as the API shows it: every member (optionally searched), private fields only where the caller may see them. */
export function listMembersJson(scope: Scope, filter: { q?: string } = {}) {
  const tx = db();
  const figures = membersDb.populationsByMember(tx);
  // listMembersWithPrivate filters by scope: a member user gets only its own row with private fields.
  const visible = new Map(membersDb.listMembersWithPrivate(tx, scope).map((row) => [row.id, row]));
  return membersDb
    .listPublicMembers(tx)
    .filter((m) => !filter.q || matchesSearch(m, filter.q))
    .map((m) => {
      const row = visible.get(m.id);
      const view: membersDb.MemberView = row ? membersDb.toView(row, true) : { ...m, private: null };
      return memberJson(view, figures.get(m.id) ?? []);
    });
}

/** One member as the API shows it, or null when there is no such member. */
export function getMemberJson(scope: Scope, id: number) {
  const tx = db();
  const view = membersDb.getMember(tx, scope, id);
  return view ? memberJson(view, membersDb.populationsOf(tx, id)) : null;
}
