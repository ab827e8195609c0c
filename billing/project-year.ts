import { allocateShares, NO_MEMBER, usesPopulation, type AllocationParticipant } from "./allocation";
import { activeInYear } from "./dates";
import { populationBasis, type PopulationBasis, type PopulationFigure } from "./fees";
import type { AllocationKey } from "./invoice-document";
import { Decimal, type Ore } from "./money";

/*
 * The allocation of one project-year (docs/allocation.md): who takes part in the year, their population basis
 * (docs/population-basis.md) or weight, and the shares of billing/allocation.ts, with every error naming the member.
 * Pure: the caller reads the participants, names and figures; the pages, the API and the member's page all use it.
 */

/** What the allocation needs of the project; callers pass their own row and get it back on the result. */
export interface ProjectYearHead {
  id: number;
  code: string;
  allocationKey: AllocationKey;
  basePercent: string | null;
}

export function who(name: string, code: string | null): string {
  return code ? `${name} (${code})` : name;
}

export interface AllocationRow {
  memberId: number;
  memberName: string;
  municipalityCode: string | null;
  joinedOn: string;
  leftOn: string | null;
  /** The population basis for the year (docs/population-basis.md) under a population key; null under equal/fixed or when missing. */
  basis: PopulationBasis | null;
  /** The weight under the fixed key, else null. */
  weight: string | null;
  /** Whole öre; null when the allocation could not be made. */
  share: Ore | null;
  /** A member shown as if it had joined (the would-be share of self-service). */
  hypothetical: boolean;
}

export interface ProjectYearAllocation<P extends ProjectYearHead = ProjectYearHead> {
  project: P;
  year: number;
  /** The budget of the year in öre, null when the project has none for the year. */
  budget: Ore | null;
  /** Exactly the participants of the year, ordered by member id. */
  rows: AllocationRow[];
  ok: boolean;
  /** Why the allocation could not be made; each names the member (memberId null: the project-year as a whole). */
  errors: Array<{ memberId: number | null; message: string }>;
  totalPopulation: number | null;
  totalWeight: string | null;
}

/** A participation as the allocation reads it: the dates decide the years, the weight counts under the fixed key. */
export interface ParticipantLike {
  memberId: number;
  joinedOn: string;
  leftOn: string | null;
  weight: string | null;
}

export type MemberName = { name: string; municipalityCode: string | null };

/**
 * The allocation of `project` for `year` among those of `participants` who take part on some day of the year.
 * Pure: the caller supplies the members' names and population figures (newest first or in any order).
 */
export function allocateProjectYear<P extends ProjectYearHead>(input: {
  project: P;
  year: number;
  budget: Ore | null;
  participants: ParticipantLike[];
  names: Map<number, MemberName>;
  figures: Map<number, PopulationFigure[]>;
  hypotheticalMemberId?: number | null;
}): ProjectYearAllocation<P> {
  const { project, year, budget, names, figures } = input;
  const key = project.allocationKey;
  const byPopulation = usesPopulation(key);
  const basisOf = (memberId: number) => populationBasis(figures.get(memberId) ?? [], year);
  const rows: AllocationRow[] = [];
  for (const p of input.participants) {
    if (!activeInYear(p.joinedOn, p.leftOn, year)) continue;
    const name = names.get(p.memberId);
    rows.push({
      memberId: p.memberId,
      memberName: name?.name ?? `Medlem ${p.memberId}`,
      municipalityCode: name?.municipalityCode ?? null,
      joinedOn: p.joinedOn,
      leftOn: p.leftOn,
      basis: byPopulation ? basisOf(p.memberId) : null,
      weight: key === "fixed" ? p.weight : null,
      share: null,
      hypothetical: p.memberId === input.hypotheticalMemberId,
    });
  }
  rows.sort((a, b) => a.memberId - b.memberId);
  const base = { project, year, budget, rows, totalPopulation: null, totalWeight: null };
  if (budget === null) {
    return {
      ...base,
      ok: false,
      errors: [{ memberId: null, message: `${project.code} har ingen budget för ${year}` }],
    };
  }

  const participants: AllocationParticipant[] = rows.map((r) => ({
    memberId: r.memberId,
    memberName: r.memberName,
    municipalityCode: r.municipalityCode,
    population: r.basis?.population ?? null,
    populationYear: r.basis?.year ?? null,
    weight: r.weight,
  }));
  const result = allocateShares({ budget, key, basePercent: project.basePercent, participants });
  if (!result.ok) {
    return { ...base, ok: false, errors: explainErrors(result.errors, participants, byPopulation, year) };
  }
  // allocateShares answers in the order of its input.
  result.shares.forEach((share, i) => (rows[i].share = share.share));
  return { ...base, ok: true, errors: [], totalPopulation: result.totalPopulation, totalWeight: result.totalWeight };
}

/**
 * The allocation's errors with the member named and, for a missing population basis, the years that were
 * looked for (docs/population-basis.md); an error about the project-year as a whole gets memberId null.
 */
export function explainErrors(
  errors: Array<{ memberId: number; message: string }>,
  participants: AllocationParticipant[],
  byPopulation: boolean,
  year: number,
): Array<{ memberId: number | null; message: string }> {
  const byId = new Map(participants.map((p) => [p.memberId, p]));
  return errors.map((e) => {
    const p = e.memberId === NO_MEMBER ? undefined : byId.get(e.memberId);
    if (p && byPopulation && p.population === null) {
      return {
        memberId: p.memberId,
        message:
          `${who(p.memberName, p.municipalityCode)} saknar invånarantal för ${year - 1} eller tidigare ` +
          `(befolkningsunderlaget för fördelningen ${year})`,
      };
    }
    return { memberId: e.memberId === NO_MEMBER ? null : e.memberId, message: e.message };
  });
}

/** Per cent of the budget with two decimals ("33.33"), exact decimal arithmetic; null for a budget of 0. */
export function percentOf(share: Ore, budget: Ore): string | null {
  if (budget === 0) return null;
  return new Decimal(share).times(100).dividedBy(budget).toDecimalPlaces(2).toFixed(2);
}
