import { activeInYear, currentYear, todayIso, yearOf } from "../../../billing/dates";
import { populationBasis } from "../../../billing/fees";
import { type Ore } from "../../../billing/money";
import { db, type Db } from "../../../db/client";
import { populationsByMember } from "../../../db/members";
import * as projectsDb from "../../../db/projects";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { ParticipationState, participationState } from "../../../billing/membership";

/*
 * Projects as the pages read them (docs/allocation.md): the list with its budgets and participants per year, one
 * project with its participants' state, and the members that may be added.
 */

export type ProjectRow = projectsDb.ProjectRow;

export function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(item);
  }
  return map;
}

export function requireProject(tx: Db, id: number): ProjectRow {
  const project = projectsDb.getProject(tx, id);
  if (!project) throw new DomainError("not_found", "not_found", "Projektet finns inte");
  return project;
}

export interface ProjectYearCell {
  year: number;
  budget: Ore;
  participantCount: number;
  /** Σ population basis of the participants of the year that have one. */
  totalPopulation: number;
  /** Participants of the year without a population basis (shown as a warning under population keys). */
  missingPopulation: number;
}

export interface ProjectListRow {
  project: ProjectRow;
  /** Participants taking part this year. */
  participantCount: number;
  budgetThisYear: Ore | null;
  /** The viewing member's participation, if any (member users). */
  own: { joinedOn: string; leftOn: string | null } | null;
  cells: ProjectYearCell[];
}

/** Every project with its budgets per year, participants and their population: the list and the board's overview. */
export function projectList(scope: Scope): { year: number; years: number[]; rows: ProjectListRow[] } {
  const tx = db();
  const year = currentYear();
  const projects = projectsDb.listProjects(tx);
  const budgets = projectsDb.listBudgets(tx);
  const participantsOf = groupBy(projectsDb.listParticipants(tx), (p) => p.projectId);
  const budgetsOf = groupBy(budgets, (b) => b.projectId);
  const figures = populationsByMember(tx);
  const years = [...new Set(budgets.map((b) => b.year))].sort((a, b) => a - b);
  const rows = projects.map((project) => {
    const mine = participantsOf.get(project.id) ?? [];
    const cells = (budgetsOf.get(project.id) ?? []).map((b) => {
      const active = mine.filter((p) => activeInYear(p.joinedOn, p.leftOn, b.year));
      let totalPopulation = 0;
      let missingPopulation = 0;
      for (const p of active) {
        const basis = populationBasis(figures.get(p.memberId) ?? [], b.year);
        if (basis) totalPopulation += basis.population;
        else missingPopulation++;
      }
      return { year: b.year, budget: b.amountOre, participantCount: active.length, totalPopulation, missingPopulation };
    });
    const own = scope.memberId === null ? undefined : mine.find((p) => p.memberId === scope.memberId);
    return {
      project,
      participantCount: mine.filter((p) => activeInYear(p.joinedOn, p.leftOn, year)).length,
      budgetThisYear: cells.find((c) => c.year === year)?.budget ?? null,
      own: own ? { joinedOn: own.joinedOn, leftOn: own.leftOn } : null,
      cells,
    };
  });
  return { year, years, rows };
}

export interface ProjectDetail {
  project: ProjectRow;
  budgets: projectsDb.BudgetRow[];
  participants: Array<projectsDb.ParticipantView & { state: ParticipationState }>;
  year: number;
}

export function projectDetail(id: number): ProjectDetail | null {
  const tx = db();
  const project = projectsDb.getProject(tx, id);
  if (!project) return null;
  const today = todayIso();
  return {
    project,
    budgets: projectsDb.budgetsOf(tx, id),
    participants: projectsDb.participantsOf(tx, id).map((p) => ({ ...p, state: participationState(p, today) })),
    year: yearOf(today),
  };
}

export function getProjectRow(id: number): ProjectRow | undefined {
  return projectsDb.getProject(db(), id);
}

export function getParticipation(projectId: number, memberId: number) {
  return projectsDb.getParticipant(db(), projectId, memberId);
}

/** Members the board may add to a project: everyone not already a participant, for the add form. */
export function membersToAdd(
  projectId: number,
): Array<{ id: number; name: string; municipalityCode: string | null; resignedOn: string | null }> {
  const tx = db();
  const taken = new Set(projectsDb.participantsOf(tx, projectId).map((p) => p.memberId));
  return [...projectsDb.memberLabels(tx).values()]
    .filter((m) => !taken.has(m.id))
    .sort((a, b) => a.name.localeCompare(b.name, "sv"))
    .map((m) => ({ id: m.id, name: m.name, municipalityCode: m.municipalityCode, resignedOn: m.resignedOn }));
}

// JSON (docs/api.md#projects) ------------------------------------------------------------------------------------------------------
