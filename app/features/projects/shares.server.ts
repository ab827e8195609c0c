import { allocateShares, usesPopulation, type AllocationParticipant } from "../../../billing/allocation";
import { populationBasis, type PopulationBasis } from "../../../billing/fees";
import type { AllocationKey, ShareBasis } from "../../../billing/invoice-document";
import { type Ore } from "../../../billing/money";
import { db, type Db } from "../../../db/client";
import { populationsByMember } from "../../../db/members";
import * as projectsDb from "../../../db/projects";
import { MemberName, explainErrors } from "../../../billing/project-year";

export interface ProjectShare {
  projectId: number;
  memberId: number;
  memberName: string;
  municipalityCode: string | null;
  year: number;
  share: Ore;
  /** What the invoice line prints under the share (billing/invoice-document.ts). */
  basis: ShareBasis;
  /** True when the population figure is older than year − 1 (docs/population-basis.md#the-rule: always say so). */
  populationFallback: boolean;
}

export interface ProjectYearSummary {
  projectId: number;
  code: string;
  name: string;
  year: number;
  allocationKey: AllocationKey;
  basePercent: string | null;
  budget: Ore;
  participantCount: number;
  totalPopulation: number | null;
  totalWeight: string | null;
  ok: boolean;
}

export interface ProjectSharesOfYear {
  /** Every share of every project-year that could be allocated, grouped by project, by member id within one. */
  shares: ProjectShare[];
  /** One entry per project with a budget for the year (allocated or not), for appendices and reports. */
  projects: ProjectYearSummary[];
  /** Why a project-year could not be allocated: the members named, then one line for the project as a whole. */
  problems: Array<{ projectId: number; memberId: number | null; message: string }>;
}

/**
 * Every project's allocation for `year` in one pass and five queries (projects, budgets of the year, the
 * participants of the year, member names, population figures), for billing runs. Every project with a budget
 * for the year is allocated whatever its status: the budget is what the board decided to share. A project-year
 * that cannot be allocated (a population basis or weight missing) yields no shares at all, since each share
 * depends on every other; its problems name the members to fix and the project. Pass the billing run's
 * transaction as `tx` to read the same snapshot it writes in.
 */
export function projectSharesForYear(year: number, tx: Db = db()): ProjectSharesOfYear {
  const projects = new Map(projectsDb.listProjects(tx).map((p) => [p.id, p]));
  const budgets = projectsDb.listBudgets(tx, { year });
  const packed = projectsDb.participantIdsWithBudgetInYear(tx, year);
  const names: Map<number, MemberName> = projectsDb.memberLabels(tx);
  const figures = populationsByMember(tx);
  const bases = new Map<number, PopulationBasis | null>();
  const basisOf = (memberId: number): PopulationBasis | null => {
    let basis = bases.get(memberId);
    if (basis === undefined) bases.set(memberId, (basis = populationBasis(figures.get(memberId) ?? [], year)));
    return basis;
  };

  // A lean loop rather than allocateProjectYear: at 10 000 members × 100 projects every object per share counts.
  const shares: ProjectShare[] = [];
  const summaries: ProjectYearSummary[] = [];
  const problems: ProjectSharesOfYear["problems"] = [];
  for (const budget of budgets) {
    const project = projects.get(budget.projectId)!;
    const key = project.allocationKey;
    const byPopulation = usesPopulation(key);
    const group = packed.get(project.id) ?? { memberIds: [], weights: null };
    const participants: AllocationParticipant[] = group.memberIds.map((memberId, i) => {
      const name = names.get(memberId);
      const basis = byPopulation ? basisOf(memberId) : null;
      return {
        memberId,
        memberName: name?.name ?? `Medlem ${memberId}`,
        municipalityCode: name?.municipalityCode ?? null,
        population: basis?.population ?? null,
        populationYear: basis?.year ?? null,
        weight: key === "fixed" ? (group.weights?.[i] ?? null) : null,
      };
    });
    // Only the rounded shares are used here: no exact decimal string per share.
    const result = allocateShares({
      budget: budget.amountOre,
      key,
      basePercent: project.basePercent,
      participants,
      exactStrings: false,
    });
    const count = participants.length;
    summaries.push({
      projectId: project.id,
      code: project.code,
      name: project.name,
      year,
      allocationKey: key,
      basePercent: project.basePercent,
      budget: budget.amountOre,
      participantCount: count,
      totalPopulation: result.ok ? result.totalPopulation : null,
      totalWeight: result.ok ? result.totalWeight : null,
      ok: result.ok,
    });
    if (!result.ok) {
      const errors = explainErrors(result.errors, participants, byPopulation, year);
      for (const e of errors) {
        problems.push({
          projectId: project.id,
          memberId: e.memberId,
          message: `${project.code} ${year}: ${e.message}`,
        });
      }
      const named = new Set(errors.map((e) => e.memberId).filter((id) => id !== null)).size;
      if (count > 0) {
        problems.push({
          projectId: project.id,
          memberId: null,
          message: `${project.code} ${year}: ingen andel kan beräknas förrän felen ovan är rättade (${count - named} andra deltagare väntar)`,
        });
      }
      continue;
    }
    const { totalPopulation, totalWeight } = result;
    for (let i = 0; i < count; i++) {
      const p = participants[i];
      shares.push({
        projectId: project.id,
        memberId: p.memberId,
        memberName: p.memberName,
        municipalityCode: p.municipalityCode,
        year,
        share: result.shares[i].share,
        populationFallback: byPopulation ? (bases.get(p.memberId)?.fallback ?? false) : false,
        basis: {
          projectCode: project.code,
          projectName: project.name,
          year,
          allocationKey: key,
          basePercent: project.basePercent,
          budget: budget.amountOre,
          participantCount: count,
          population: p.population,
          populationYear: p.populationYear,
          totalPopulation,
          weight: p.weight,
          totalWeight,
        },
      });
    }
  }
  return { shares, projects: summaries, problems };
}

// A member's projects ---------------------------------------------------------------------------------------------
