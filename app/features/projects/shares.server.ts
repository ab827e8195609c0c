import { allocateColumns, usesPopulation, type AllocationParticipant } from "../../../billing/allocation";
import { populationBasis, type PopulationBasis } from "../../../billing/fees";
import {
  shareBasisOf,
  type AllocationKey,
  type MemberShareFigures,
  type ProjectYearBasis,
  type ShareBasis,
} from "../../../billing/invoice-document";
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
 * One allocated project-year, compact (a billing run holds 100 of them with 10 000 participants each): the
 * participants in member-id order and their shares, with the figures common to the project-year (its part of every
 * share's ShareBasis) once. shareOf makes the ProjectShare of its i-th participant.
 */
export interface ProjectYearSplit {
  summary: ProjectYearSummary;
  /** The part of each share's basis that is the project-year's own (billing/invoice-document.ts), one object. */
  basis: ProjectYearBasis;
  memberIds: readonly number[];
  shares: readonly Ore[];
  /** Under the fixed key, each participant's weight; else null. */
  weights: ReadonlyArray<string | null> | null;
}

/** Every project-year of a year, allocated compactly, with what its shares need of the members. */
export interface ProjectSplitsOfYear {
  year: number;
  /** The project-years that could be allocated, in the order of `projects`. */
  splits: ProjectYearSplit[];
  projects: ProjectYearSummary[];
  problems: ProjectSharesOfYear["problems"];
  names: ReadonlyMap<number, MemberName>;
  /** The member's population basis of the year (docs/population-basis.md), read once per member. */
  basisOf: (memberId: number) => PopulationBasis | null;
}

/**
 * Every project's allocation for `year` in one pass and five queries (projects, budgets of the year, the
 * participants of the year, member names, population figures), for billing runs. Every project with a budget
 * for the year is allocated whatever its status: the budget is what the board decided to share. A project-year
 * that cannot be allocated (a population basis or weight missing) yields no shares at all, since each share
 * depends on every other; its problems name the members to fix and the project. Pass the billing run's
 * transaction as `tx` to read the same snapshot it writes in.
 */
export function projectSplitsForYear(year: number, tx: Db = db()): ProjectSplitsOfYear {
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

  // Columns rather than an object per participant: at 10 000 members × 100 projects every object per share counts.
  const splits: ProjectYearSplit[] = [];
  const summaries: ProjectYearSummary[] = [];
  const problems: ProjectSharesOfYear["problems"] = [];
  for (const budget of budgets) {
    const project = projects.get(budget.projectId)!;
    const key = project.allocationKey;
    const byPopulation = usesPopulation(key);
    const group = packed.get(project.id) ?? { memberIds: [], weights: null };
    const memberIds = group.memberIds;
    const count = memberIds.length;
    const memberNames = new Array<string>(count);
    const codes = new Array<string | null>(count);
    const populations = new Array<number | null>(count);
    for (let i = 0; i < count; i++) {
      const name = names.get(memberIds[i]);
      memberNames[i] = name?.name ?? `Medlem ${memberIds[i]}`;
      codes[i] = name?.municipalityCode ?? null;
      populations[i] = byPopulation ? (basisOf(memberIds[i])?.population ?? null) : null;
    }
    const weights = key === "fixed" ? memberIds.map((_, i) => group.weights?.[i] ?? null) : null;
    // Only the rounded shares are used here: no exact decimal string per share.
    const result = allocateColumns({
      budget: budget.amountOre,
      key,
      basePercent: project.basePercent,
      memberIds,
      names: memberNames,
      codes,
      populations,
      weights: weights ?? new Array<null>(count).fill(null),
      exactStrings: false,
    });
    const summary: ProjectYearSummary = {
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
    };
    summaries.push(summary);
    if (!result.ok) {
      const participants: AllocationParticipant[] = memberIds.map((memberId, i) => ({
        memberId,
        memberName: memberNames[i],
        municipalityCode: codes[i],
        population: populations[i],
        populationYear: byPopulation ? (basisOf(memberId)?.year ?? null) : null,
        weight: weights?.[i] ?? null,
      }));
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
    splits.push({
      summary,
      basis: {
        projectCode: project.code,
        projectName: project.name,
        year,
        allocationKey: key,
        basePercent: project.basePercent,
        budget: budget.amountOre,
        participantCount: count,
        totalPopulation: result.totalPopulation,
        totalWeight: result.totalWeight,
      },
      memberIds,
      shares: result.shares,
      weights,
    });
  }
  return { year, splits, projects: summaries, problems, names, basisOf };
}

/** The member's own figures of a split's i-th share: its population basis under a population key, its weight. */
export function ownFiguresOf(of: ProjectSplitsOfYear, split: ProjectYearSplit, i: number): MemberShareFigures {
  const memberId = split.memberIds[i];
  const basis = usesPopulation(split.summary.allocationKey) ? of.basisOf(memberId) : null;
  return {
    population: basis?.population ?? null,
    populationYear: basis?.year ?? null,
    weight: split.weights?.[i] ?? null,
  };
}

/** The i-th share of a split, as projectSharesForYear lists it. */
export function shareOf(of: ProjectSplitsOfYear, split: ProjectYearSplit, i: number): ProjectShare {
  const memberId = split.memberIds[i];
  const name = of.names.get(memberId);
  const own = ownFiguresOf(of, split, i);
  return {
    projectId: split.summary.projectId,
    memberId,
    memberName: name?.name ?? `Medlem ${memberId}`,
    municipalityCode: name?.municipalityCode ?? null,
    year: of.year,
    share: split.shares[i],
    populationFallback: usesPopulation(split.summary.allocationKey) ? (of.basisOf(memberId)?.fallback ?? false) : false,
    basis: shareBasisOf(split.basis, own),
  };
}

/** Every share of a split, in member-id order. */
export function sharesOfSplit(of: ProjectSplitsOfYear, split: ProjectYearSplit): ProjectShare[] {
  return split.memberIds.map((_, i) => shareOf(of, split, i));
}

/** Every project's allocation for `year` with every share as an object (projectSplitsForYear, spread out). */
export function projectSharesForYear(year: number, tx: Db = db()): ProjectSharesOfYear {
  const of = projectSplitsForYear(year, tx);
  return {
    shares: of.splits.flatMap((split) => sharesOfSplit(of, split)),
    projects: of.projects,
    problems: of.problems,
  };
}

// A member's projects ---------------------------------------------------------------------------------------------
