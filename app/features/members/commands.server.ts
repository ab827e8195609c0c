import { db, transaction } from "../../../db/client";
import { writeAudit } from "../../../db/audit";
import * as membersDb from "../../../db/members";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { zodFieldErrors } from "../../http/errors";
import type { MemberCreateInput, MemberPatchInput } from "../../lib/schemas";
import { MemberMergedSchema } from "../../lib/schemas";
import { assertFeesNotIssued } from "../fees/freeze.server";
import { authorize, BOARD_ONLY_FIELD, can, refusedMemberFields } from "../../../billing/policy";

/*
 * The use cases that change members, their population figures and the board's fee decisions: one transaction each,
 * each audited (docs/membership.md, docs/fees.md).
 */

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
    throw new DomainError("conflict", "duplicate", "En annan medlem har samma uppgifter", fields);
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
  authorize(scope, "member.create");
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
 * are checked on the merged member, so a patch of one field cannot break them. The board changes any field
 * (`member.update`); a member's contact person only the contact and invoice details of its own member
 * (`member.update.contact`: another member is 404, another field 403 naming it).
 */
export function updateMember(scope: Scope, id: number, patch: MemberPatchInput): membersDb.MemberRow {
  if (!can(scope, "member.update")) {
    authorize(scope, "member.update.contact", { memberId: id });
    const named = Object.keys(patch).filter((k) => patch[k as keyof MemberPatchInput] !== undefined);
    const refused = refusedMemberFields(scope, named);
    if (refused.length > 0) {
      throw new DomainError(
        "forbidden",
        "forbidden",
        "Bara styrelsen kan ändra de här uppgifterna",
        Object.fromEntries(refused.map((field) => [field, BOARD_ONLY_FIELD])),
      );
    }
  }
  return transaction((tx) => {
    const before = membersDb.getMemberRow(tx, id);
    if (!before) throw new DomainError("not_found", "not_found", "Medlemmen finns inte");
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const merged = MemberMergedSchema.safeParse({ ...asInput(before), ...defined });
    if (!merged.success) {
      throw new DomainError(
        "validation",
        "validation_failed",
        "Uppgifterna är inte giltiga",
        zodFieldErrors(merged.error),
      );
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
  authorize(scope, "population.record");
  return transaction((tx) => {
    if (!membersDb.getMemberRow(tx, memberId)) throw new DomainError("not_found", "not_found", "Medlemmen finns inte");
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
  authorize(scope, "population.record");
  return transaction((tx) => {
    const before = membersDb.getPopulation(tx, memberId, year);
    if (before === undefined)
      throw new DomainError("not_found", "not_found", "Det finns inget invånarantal för det året");
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
  authorize(scope, "fee-override.manage");
  return transaction((tx) => {
    if (!membersDb.getMemberRow(tx, memberId)) throw new DomainError("not_found", "not_found", "Medlemmen finns inte");
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
  authorize(scope, "fee-override.manage");
  transaction((tx) => {
    const before = membersDb.getOverride(tx, overrideId);
    if (!before || before.memberId !== memberId) throw new DomainError("not_found", "not_found", "Beslutet finns inte");
    assertFeesNotIssued(tx, {
      from: before.validFrom,
      to: before.validTo == null ? null : before.validTo + 1,
      memberId,
    });
    membersDb.deleteOverride(tx, overrideId);
    writeAudit(tx, scope, { action: "fee_override.delete", entity: "member", entityId: memberId, before });
  });
}
