import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import type { FeeOverride, PopulationFigure } from "../billing/fees";
import type { Db } from "./client";
import { feeOverrides, members, populations } from "./schema";
import { canSeeMemberPrivate, type Scope } from "./scope";

export type MemberRow = typeof members.$inferSelect;
export type MemberKind = MemberRow["kind"];

/** What anyone logged in may see of a member (the directory is open). */
const publicColumns = {
  id: members.id,
  kind: members.kind,
  name: members.name,
  municipalityCode: members.municipalityCode,
  orgNumber: members.orgNumber,
  joinedOn: members.joinedOn,
  resignedOn: members.resignedOn,
};
export type PublicMember = { [K in keyof typeof publicColumns]: MemberRow[K] };

/** Invoice and contact details: the member's own users, the treasurer and the board. */
export type PrivateMemberFields = Pick<
  MemberRow,
  | "street"
  | "postalCode"
  | "city"
  | "invoiceEmail"
  | "reference"
  | "contactName"
  | "contactEmail"
  | "contactPhone"
  | "peppolId"
  | "deliveryChannel"
>;
export type MemberView = PublicMember & { private: PrivateMemberFields | null };

export function listPublicMembers(tx: Db): PublicMember[] {
  return tx.select(publicColumns).from(members).orderBy(asc(members.name), asc(members.id)).all();
}

/** Every member with private fields; only for the board, the treasurer and use cases such as billing. */
export function listMembersWithPrivate(tx: Db, scope: Scope): MemberRow[] {
  const rows = tx.select().from(members).orderBy(asc(members.name), asc(members.id)).all();
  return rows.filter((m) => canSeeMemberPrivate(scope, m.id));
}

export function getMemberRow(tx: Db, id: number): MemberRow | undefined {
  return tx.select().from(members).where(eq(members.id, id)).get();
}

export function getMember(tx: Db, scope: Scope, id: number): MemberView | undefined {
  const row = getMemberRow(tx, id);
  if (!row) return undefined;
  return toView(row, canSeeMemberPrivate(scope, id));
}

export function toView(row: MemberRow, withPrivate: boolean): MemberView {
  const {
    street,
    postalCode,
    city,
    invoiceEmail,
    reference,
    contactName,
    contactEmail,
    contactPhone,
    peppolId,
    deliveryChannel,
    id,
    kind,
    name,
    municipalityCode,
    orgNumber,
    joinedOn,
    resignedOn,
  } = row;
  return {
    id,
    kind,
    name,
    municipalityCode,
    orgNumber,
    joinedOn,
    resignedOn,
    private: withPrivate
      ? {
          street,
          postalCode,
          city,
          invoiceEmail,
          reference,
          contactName,
          contactEmail,
          contactPhone,
          peppolId,
          deliveryChannel,
        }
      : null,
  };
}

export function findMemberByCode(tx: Db, code: string): PublicMember | undefined {
  return tx.select(publicColumns).from(members).where(eq(members.municipalityCode, code)).get();
}

/** Ids of members other than `exceptId` holding this code or org number: for friendly duplicate messages. */
export function findConflicts(
  tx: Db,
  values: { municipalityCode?: string | null; orgNumber?: string },
  exceptId?: number,
) {
  const conflicts: { municipalityCode?: PublicMember; orgNumber?: PublicMember } = {};
  const notSelf = exceptId === undefined ? undefined : ne(members.id, exceptId);
  if (values.municipalityCode) {
    conflicts.municipalityCode = tx
      .select(publicColumns)
      .from(members)
      .where(and(eq(members.municipalityCode, values.municipalityCode), notSelf))
      .get();
  }
  if (values.orgNumber) {
    conflicts.orgNumber = tx
      .select(publicColumns)
      .from(members)
      .where(and(eq(members.orgNumber, values.orgNumber), notSelf))
      .get();
  }
  return conflicts;
}

export type MemberInsert = Omit<typeof members.$inferInsert, "id" | "createdAt" | "updatedAt">;

export function insertMember(tx: Db, values: MemberInsert): MemberRow {
  return tx.insert(members).values(values).returning().get();
}

export function updateMember(tx: Db, id: number, patch: Partial<MemberInsert>): MemberRow | undefined {
  return tx
    .update(members)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(members.id, id))
    .returning()
    .get();
}

// Populations ----------------------------------------------------------------------------------------------

export function populationsOf(tx: Db, memberId: number): PopulationFigure[] {
  return tx
    .select({ year: populations.year, population: populations.population })
    .from(populations)
    .where(eq(populations.memberId, memberId))
    .orderBy(desc(populations.year))
    .all();
}

/** All figures grouped by member, newest year first: one query for list pages and billing runs. */
export function populationsByMember(tx: Db, memberIds?: number[]): Map<number, PopulationFigure[]> {
  const rows = tx
    .select({ memberId: populations.memberId, year: populations.year, population: populations.population })
    .from(populations)
    .where(memberIds ? inArray(populations.memberId, memberIds) : undefined)
    .orderBy(asc(populations.memberId), desc(populations.year))
    .all();
  const map = new Map<number, PopulationFigure[]>();
  for (const r of rows) {
    let list = map.get(r.memberId);
    if (!list) map.set(r.memberId, (list = []));
    list.push({ year: r.year, population: r.population });
  }
  return map;
}

export function getPopulation(tx: Db, memberId: number, year: number): number | undefined {
  return tx
    .select({ population: populations.population })
    .from(populations)
    .where(and(eq(populations.memberId, memberId), eq(populations.year, year)))
    .get()?.population;
}

export function upsertPopulation(tx: Db, memberId: number, year: number, population: number): void {
  tx.insert(populations)
    .values({ memberId, year, population })
    .onConflictDoUpdate({
      target: [populations.memberId, populations.year],
      set: { population, updatedAt: new Date().toISOString() },
    })
    .run();
}

export function deletePopulation(tx: Db, memberId: number, year: number): void {
  tx.delete(populations)
    .where(and(eq(populations.memberId, memberId), eq(populations.year, year)))
    .run();
}

// Fee overrides (board decisions) ------------------------------------------------------------------------------

export type FeeOverrideRow = typeof feeOverrides.$inferSelect;

export function overridesOf(tx: Db, memberId: number): FeeOverrideRow[] {
  return tx
    .select()
    .from(feeOverrides)
    .where(eq(feeOverrides.memberId, memberId))
    .orderBy(desc(feeOverrides.validFrom))
    .all();
}

export function overridesByMember(tx: Db): Map<number, FeeOverride[]> {
  const map = new Map<number, FeeOverride[]>();
  for (const r of tx.select().from(feeOverrides).all()) {
    let list = map.get(r.memberId);
    if (!list) map.set(r.memberId, (list = []));
    list.push(toFeeOverride(r));
  }
  return map;
}

export function toFeeOverride(r: FeeOverrideRow): FeeOverride {
  return {
    validFrom: r.validFrom,
    validTo: r.validTo,
    entryFee: r.entryFeeOre,
    annualFee: r.annualFeeOre,
    note: r.note,
  };
}

export function insertOverride(
  tx: Db,
  values: Omit<typeof feeOverrides.$inferInsert, "id" | "createdAt" | "updatedAt">,
) {
  return tx.insert(feeOverrides).values(values).returning().get();
}

export function getOverride(tx: Db, id: number): FeeOverrideRow | undefined {
  return tx.select().from(feeOverrides).where(eq(feeOverrides.id, id)).get();
}

export function deleteOverride(tx: Db, id: number): void {
  tx.delete(feeOverrides).where(eq(feeOverrides.id, id)).run();
}
