import { currentYear } from "../../../billing/dates";
import { oreToDecimalString } from "../../../billing/money";
import { db } from "../../../db/client";
import * as projectsDb from "../../../db/projects";
import { DomainError } from "../../../billing/errors";
import { ProjectYearAllocation } from "./allocation.server";
import { requireProject, groupBy } from "./queries.server";

// JSON (docs/api.md#projects) ------------------------------------------------------------------------------------------------------

function projectFieldsJson(p: projectsDb.ProjectRow) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    description: p.description,
    status: p.status,
    allocationKey: p.allocationKey,
    basePercent: p.basePercent,
  };
}

function budgetJson(b: projectsDb.BudgetRow) {
  return { year: b.year, amount: oreToDecimalString(b.amountOre), note: b.note };
}

/** `Project` with its budgets and participants (GET/POST/PATCH /projects/{id}). */
export function projectJson(id: number) {
  const tx = db();
  const project = requireProject(tx, id);
  return {
    ...projectFieldsJson(project),
    budgets: projectsDb.budgetsOf(tx, id).map(budgetJson),
    participants: projectsDb.participantsOf(tx, id).map((p) => ({
      memberId: p.memberId,
      memberName: p.memberName,
      municipalityCode: p.municipalityCode,
      joinedOn: p.joinedOn,
      leftOn: p.leftOn,
      weight: p.weight,
    })),
  };
}

/** The project list (GET /projects): each project with its budgets and how many members take part this year. */
export function projectListJson() {
  const tx = db();
  const year = currentYear();
  const budgets = groupBy(projectsDb.listBudgets(tx), (b) => b.projectId);
  const participants = groupBy(projectsDb.listParticipants(tx, { year }), (p) => p.projectId);
  return projectsDb.listProjects(tx).map((p) => ({
    ...projectFieldsJson(p),
    budgets: (budgets.get(p.id) ?? []).map(budgetJson),
    participantCount: participants.get(p.id)?.length ?? 0,
  }));
}

export function participantJson(p: projectsDb.ParticipantRow) {
  return { projectId: p.projectId, memberId: p.memberId, joinedOn: p.joinedOn, leftOn: p.leftOn, weight: p.weight };
}

/** GET /projects/{id}/allocation: the shares of the year, or a 404/422 DomainError naming what is missing. */
export function allocationJson(a: ProjectYearAllocation) {
  if (a.budget === null) {
    throw new DomainError("not_found", "no_budget", `Projektet ${a.project.code} har ingen budget för ${a.year}`);
  }
  if (!a.ok) {
    const fields: Record<string, string> = {};
    for (const e of a.errors) fields[e.memberId === null ? "_" : `participants.${e.memberId}`] = e.message;
    throw new DomainError(
      "validation",
      "allocation_failed",
      `Fördelningen av ${a.project.code} ${a.year} kan inte beräknas: ${a.errors.map((e) => e.message).join("; ")}`,
      fields,
    );
  }
  return {
    projectId: a.project.id,
    year: a.year,
    allocationKey: a.project.allocationKey,
    basePercent: a.project.basePercent,
    budget: oreToDecimalString(a.budget),
    totalPopulation: a.totalPopulation,
    totalWeight: a.totalWeight,
    shares: a.rows.map((r) => ({
      memberId: r.memberId,
      memberName: r.memberName,
      municipalityCode: r.municipalityCode,
      populationYear: r.basis?.year ?? null,
      population: r.basis?.population ?? null,
      populationFallback: r.basis?.fallback ?? false,
      weight: r.weight,
      share: oreToDecimalString(r.share!),
    })),
  };
}

export function sortByName<T extends { memberName: string; memberId: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.memberName.localeCompare(b.memberName, "sv") || a.memberId - b.memberId);
}

export function budgetResultJson(b: projectsDb.BudgetRow) {
  return budgetJson(b);
}
