import { activeInYear, endOfYear, currentYear, todayIso, yearOf } from "../../../billing/dates";
import type { AllocationKey } from "../../../billing/invoice-document";
import {
  type ParticipantLike,
  MemberName,
  allocateProjectYear,
  ProjectYearAllocation as ProjectYearAllocationOf,
} from "../../../billing/project-year";
import { type Ore } from "../../../billing/money";
import { CountedCache } from "../../../db/cache";
import { db, transaction, type Db } from "../../../db/client";
import { getMemberRow, populationsByMember } from "../../../db/members";
import * as projectsDb from "../../../db/projects";
import { requireProject } from "./queries.server";

/*
 * The allocation of a project-year as the pages and the API show it: the participants, names and population figures
 * are read here, the arithmetic is billing/project-year.ts (docs/allocation.md).
 */

/** The project as an allocation of its year carries it: what the pages and the API print of it. */
export type ProjectHead = Pick<
  projectsDb.ProjectRow,
  "id" | "code" | "name" | "status" | "allocationKey" | "basePercent"
>;
export type ProjectYearAllocation = ProjectYearAllocationOf<ProjectHead>;

function loadProjectYear(
  tx: Db,
  project: projectsDb.ProjectRow,
  year: number,
  extra?: ParticipantLike,
): ProjectYearAllocation {
  const budget = projectsDb.getBudget(tx, project.id, year);
  const participants: ParticipantLike[] = projectsDb.participantsOf(tx, project.id);
  const names = new Map<number, MemberName>(
    (participants as projectsDb.ParticipantView[]).map((p) => [
      p.memberId,
      { name: p.memberName, municipalityCode: p.municipalityCode },
    ]),
  );
  if (extra) {
    participants.push(extra);
    const m = getMemberRow(tx, extra.memberId);
    if (m) names.set(m.id, { name: m.name, municipalityCode: m.municipalityCode });
  }
  const figures = populationsByMember(
    tx,
    participants.map((p) => p.memberId),
  );
  return allocateProjectYear({
    project,
    year,
    budget: budget?.amountOre ?? null,
    participants,
    names,
    figures,
    hypotheticalMemberId: extra?.memberId ?? null,
  });
}

/** Allocations computed for the pages and the API, kept while their inputs are unchanged (db/cache.ts). */
const allocations = new CountedCache<ProjectYearAllocation>(64);

/** What an allocation of a project-year is computed from: the member names and codes, populations, the project. */
export function allocationTopics(projectId: number): string[] {
  return ["members", "populations", `project:${projectId}`];
}

/**
 * The allocation of one project and year (the allocation page, its CSV and GET /projects/{id}/allocation),
 * computed once per change of what it is computed from (docs/architecture.md#caches). Read-only: it is shared.
 */
export function projectAllocation(projectId: number, year: number): ProjectYearAllocation {
  return transaction(
    (tx) =>
      allocations.get(tx, `${projectId}:${year}`, allocationTopics(projectId), () =>
        loadProjectAllocation(tx, projectId, year),
      ),
    "deferred",
  );
}

/** projectAllocation computed now, in the caller's transaction. */
export function loadProjectAllocation(tx: Db, projectId: number, year: number): ProjectYearAllocation {
  return loadProjectYear(tx, requireProject(tx, projectId), year);
}

export type WouldBe =
  | { kind: "participating"; allocation: ProjectYearAllocation }
  | { kind: "left"; year: number; leftOn: string }
  | { kind: "upcoming"; year: number; joinedOn: string }
  | { kind: "no_budget"; year: number }
  | { kind: "not_open"; year: number }
  | { kind: "would_be"; allocation: ProjectYearAllocation };

/**
 * What a member's share of the current year would be if it joined today: the allocation of the year's budget
 * recomputed with the member added. A member already taking part this year sees its actual share.
 */
export function wouldBeShare(memberId: number, projectId: number, year = currentYear()): WouldBe {
  const tx = db();
  const project = requireProject(tx, projectId);
  const existing = projectsDb.getParticipant(tx, projectId, memberId);
  if (existing && activeInYear(existing.joinedOn, existing.leftOn, year)) {
    return { kind: "participating", allocation: loadProjectYear(tx, project, year) };
  }
  if (existing && existing.joinedOn > endOfYear(year)) return { kind: "upcoming", year, joinedOn: existing.joinedOn };
  if (existing) return { kind: "left", year, leftOn: existing.leftOn ?? existing.joinedOn };
  if (project.status !== "open") return { kind: "not_open", year };
  if (!projectsDb.getBudget(tx, projectId, year)) return { kind: "no_budget", year };
  const joinedOn = todayIso();
  const allocation = loadProjectYear(tx, project, year, { memberId, joinedOn, leftOn: null, weight: null });
  return { kind: "would_be", allocation };
}

/**
 * What a member would pay for the year its chosen start date falls in, if it joined from that date: the year's
 * allocation with the member added (a full share of that year, docs/allocation.md#joining), or no_budget when that
 * year has no budget yet.
 */
export function shareIfJoining(
  memberId: number,
  projectId: number,
  joinedOn: string,
): { kind: "no_budget"; year: number } | { kind: "would_be"; year: number; allocation: ProjectYearAllocation } {
  const tx = db();
  const project = requireProject(tx, projectId);
  const year = yearOf(joinedOn);
  if (!projectsDb.getBudget(tx, projectId, year)) return { kind: "no_budget", year };
  const allocation = loadProjectYear(tx, project, year, { memberId, joinedOn, leftOn: null, weight: null });
  return { kind: "would_be", year, allocation };
}

// Every project's shares of a year, for billing ---------------------------------------------------------------------

export interface MemberProjectShare {
  projectId: number;
  code: string;
  name: string;
  status: projectsDb.ProjectRow["status"];
  year: number;
  /** Whole öre; null when the allocation of the project-year fails (then `error` says why). */
  share: Ore | null;
  key: AllocationKey;
  budget: Ore;
  joinedOn: string;
  leftOn: string | null;
  population: number | null;
  populationYear: number | null;
  populationFallback: boolean;
  weight: string | null;
  error?: string;
}

/**
 * The member's share of every project-year it takes part in that has a budget, newest year first. A
 * project-year whose allocation fails carries the reason (naming the member(s) to fix), never a silent 0.
 */
export function memberProjectShares(memberId: number, tx: Db = db()): MemberProjectShare[] {
  const own = projectsDb.participationsOfMember(tx, memberId);
  if (own.length === 0) return [];
  const projectIds = own.map((p) => p.projectId);
  const projects = new Map(
    projectsDb
      .listProjects(tx)
      .filter((p) => projectIds.includes(p.id))
      .map((p) => [p.id, p]),
  );
  const budgets = projectsDb.listBudgets(tx, { projectIds });
  const all = projectsDb.listParticipants(tx, { projectIds });
  const names: Map<number, MemberName> = projectsDb.memberLabels(tx, [...new Set(all.map((p) => p.memberId))]);
  const figures = populationsByMember(tx, [...new Set(all.map((p) => p.memberId))]);

  const out: MemberProjectShare[] = [];
  for (const mine of own) {
    const project = projects.get(mine.projectId)!;
    const participants = all.filter((p) => p.projectId === project.id);
    for (const budget of budgets) {
      if (budget.projectId !== project.id || !activeInYear(mine.joinedOn, mine.leftOn, budget.year)) continue;
      const allocation = allocateProjectYear({
        project,
        year: budget.year,
        budget: budget.amountOre,
        participants,
        names,
        figures,
      });
      const row = allocation.rows.find((r) => r.memberId === memberId)!;
      out.push({
        projectId: project.id,
        code: project.code,
        name: project.name,
        status: project.status,
        year: budget.year,
        share: allocation.ok ? row.share : null,
        key: project.allocationKey,
        budget: budget.amountOre,
        joinedOn: mine.joinedOn,
        leftOn: mine.leftOn,
        population: row.basis?.population ?? null,
        populationYear: row.basis?.year ?? null,
        populationFallback: row.basis?.fallback ?? false,
        weight: row.weight,
        ...(allocation.ok ? {} : { error: allocation.errors.map((e) => e.message).join("; ") }),
      });
    }
  }
  return out.sort((a, b) => b.year - a.year || a.code.localeCompare(b.code, "sv"));
}

// Lists and overviews ---------------------------------------------------------------------------------------------
