import { allocateShares, NO_MEMBER, type AllocationParticipant } from "../../billing/allocation";
import { activeInYear, todayIso, yearOf } from "../../billing/dates";
import { populationBasis, type PopulationBasis, type PopulationFigure } from "../../billing/fees";
import { selfServiceStartError } from "../../billing/joining";
import type { AllocationKey, ShareBasis } from "../../billing/invoice-document";
import { Decimal, oreToDecimalString, type Ore } from "../../billing/money";
import { writeAudit } from "../../db/audit";
import { db, transaction, type Db } from "../../db/client";
import { getMemberRow, populationsByMember } from "../../db/members";
import * as projectsDb from "../../db/projects";
import { projectBudgets } from "../../db/schema";
import { and, eq } from "drizzle-orm";
import type { Scope } from "../../db/scope";
import { apiError, apiHandler, DomainError, zodFieldErrors } from "../lib/http.server";
import {
  ProjectMergedSchema,
  usesPopulation,
  type BudgetInput,
  type ProjectCreateInput,
  type ProjectPatchInput,
} from "../lib/project-schemas";

/*
 * Projects and cost sharing (docs/allocation.md). The arithmetic is billing/allocation.ts; this module gathers what it
 * needs (participants of the year, their population basis of docs/population-basis.md, the budget), names the members in
 * every error, and holds the use cases that change projects: one transaction each, each audited.
 * Pages, /api/v1 and the billing run all go through here.
 */

export type ProjectRow = projectsDb.ProjectRow;

/** A change the caller's role or member may not make (403); DomainError covers 404/409/422. */
export class PermissionError extends Error {}

/** For the API routes: a PermissionError as the API's 403 answer, anything else unchanged. */
export function asApiError(error: unknown): unknown {
  return error instanceof PermissionError ? apiError(403, "forbidden", error.message) : error;
}

/** apiHandler for the project routes: also answers a PermissionError with 403. */
export function projectApiHandler(fn: () => Promise<Response> | Response): Promise<Response> {
  return apiHandler(async () => {
    try {
      return await fn();
    } catch (error) {
      throw asApiError(error);
    }
  });
}

/** For the pages: a PermissionError as a 403 page, a DomainError 404 as a 404 page, anything else unchanged. */
export function asPageError(error: unknown): unknown {
  if (error instanceof PermissionError) return new Response(error.message, { status: 403, statusText: "Forbidden" });
  if (error instanceof DomainError && error.status === 404 && !error.fields) {
    return new Response(error.message, { status: 404, statusText: "Not Found" });
  }
  return error;
}

/**
 * For a page's action: the messages of a DomainError per field (a message not tied to a field under "_"),
 * or rethrows what is not a form problem.
 */
export function formFailure(error: unknown): { status: number; fieldErrors: Record<string, string> } {
  const page = asPageError(error);
  if (page !== error) throw page;
  if (error instanceof DomainError) {
    const fieldErrors = error.fields && Object.keys(error.fields).length > 0 ? error.fields : { _: error.message };
    return { status: error.status, fieldErrors };
  }
  throw error;
}

export function currentYear(): number {
  return yearOf(todayIso());
}

export function endOfYear(year: number): string {
  return `${year}-12-31`;
}

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(item);
  }
  return map;
}

function who(name: string, code: string | null): string {
  return code ? `${name} (${code})` : name;
}

// The allocation of one project-year -----------------------------------------------------------------------------

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

export interface ProjectYearAllocation {
  project: Pick<ProjectRow, "id" | "code" | "name" | "status" | "allocationKey" | "basePercent">;
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

type ParticipantLike = Pick<projectsDb.ParticipantRow, "memberId" | "joinedOn" | "leftOn" | "weight">;
type MemberName = { name: string; municipalityCode: string | null };

/**
 * The allocation of `project` for `year` among those of `participants` who take part on some day of the year.
 * Pure: the caller supplies the members' names and population figures (newest first or in any order).
 */
export function allocateProjectYear(input: {
  project: ProjectYearAllocation["project"];
  year: number;
  budget: Ore | null;
  participants: ParticipantLike[];
  names: Map<number, MemberName>;
  figures: Map<number, PopulationFigure[]>;
  hypotheticalMemberId?: number | null;
}): ProjectYearAllocation {
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
function explainErrors(
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

function loadProjectYear(tx: Db, project: ProjectRow, year: number, extra?: ParticipantLike): ProjectYearAllocation {
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

function requireProject(tx: Db, id: number): ProjectRow {
  const project = projectsDb.getProject(tx, id);
  if (!project) throw new DomainError(404, "not_found", "Projektet finns inte");
  return project;
}

/** The allocation of one project and year (the allocation page, its CSV and GET /projects/{id}/allocation). */
export function projectAllocation(projectId: number, year: number): ProjectYearAllocation {
  const tx = db();
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
 * allocation with the member added (a full share of that year, docs/allocation.md#participants-of-a-year), or
 * no_budget when that year has no budget yet.
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

export interface MemberProjectShare {
  projectId: number;
  code: string;
  name: string;
  status: ProjectRow["status"];
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

export type ParticipationState = "upcoming" | "active" | "leaving" | "ended";

/** Where a participation stands today: not started, ongoing, ending on a set date, or over. */
export function participationState(
  p: { joinedOn: string; leftOn: string | null },
  today = todayIso(),
): ParticipationState {
  if (p.joinedOn > today) return "upcoming";
  if (p.leftOn === null) return "active";
  return p.leftOn < today ? "ended" : "leaving";
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

function projectFieldsJson(p: ProjectRow) {
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
    throw new DomainError(404, "no_budget", `Projektet ${a.project.code} har ingen budget för ${a.year}`);
  }
  if (!a.ok) {
    const fields: Record<string, string> = {};
    for (const e of a.errors) fields[e.memberId === null ? "_" : `participants.${e.memberId}`] = e.message;
    throw new DomainError(
      422,
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

// Use cases that change projects -------------------------------------------------------------------------------------

function assertBoard(scope: Scope): void {
  if (scope.role !== "admin") throw new PermissionError("Bara styrelsen (admin) kan ändra projekt");
}

function duplicateCode(tx: Db, code: string, exceptId?: number): void {
  const other = projectsDb.findProjectByCode(tx, code);
  if (other && other.id !== exceptId) {
    throw new DomainError(409, "duplicate", "Projektkoden används redan", {
      code: `Projektkoden ${code} används redan av ${other.name}`,
    });
  }
}

export function createProject(scope: Scope, input: ProjectCreateInput): ProjectRow {
  assertBoard(scope);
  return transaction((tx) => {
    duplicateCode(tx, input.code);
    const row = projectsDb.insertProject(tx, {
      code: input.code,
      name: input.name,
      description: input.description ?? "",
      status: input.status ?? "planned",
      allocationKey: input.allocationKey,
      basePercent: input.allocationKey === "base_plus_per_capita" ? (input.basePercent ?? null) : null,
    });
    writeAudit(tx, scope, { action: "project.create", entity: "project", entityId: row.id, after: row });
    return row;
  });
}

/**
 * Applies a validated patch; the rules (basePercent with base_plus_per_capita only) are checked on the merged
 * project. Switching to another key drops a basePercent that the patch does not mention.
 */
export function updateProject(scope: Scope, id: number, patch: ProjectPatchInput): ProjectRow {
  assertBoard(scope);
  return transaction((tx) => {
    const before = requireProject(tx, id);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as ProjectPatchInput;
    if (defined.allocationKey && defined.allocationKey !== "base_plus_per_capita" && !("basePercent" in defined)) {
      defined.basePercent = null;
    }
    const merged = ProjectMergedSchema.safeParse({
      code: before.code,
      name: before.name,
      description: before.description,
      status: before.status,
      allocationKey: before.allocationKey,
      basePercent: before.basePercent,
      ...defined,
    });
    if (!merged.success) {
      throw new DomainError(422, "validation_failed", "Uppgifterna är inte giltiga", zodFieldErrors(merged.error));
    }
    const m = merged.data;
    if (m.code !== before.code) duplicateCode(tx, m.code, id);
    const after = projectsDb.updateProject(tx, id, {
      code: m.code,
      name: m.name,
      description: m.description ?? "",
      status: m.status ?? before.status,
      allocationKey: m.allocationKey,
      basePercent: m.basePercent ?? null,
    })!;
    writeAudit(tx, scope, { action: "project.update", entity: "project", entityId: id, before, after });
    return after;
  });
}

export function setBudget(scope: Scope, projectId: number, year: number, input: BudgetInput) {
  assertBoard(scope);
  return transaction((tx) => {
    const project = requireProject(tx, projectId);
    const before = projectsDb.getBudget(tx, projectId, year);
    // Once the final cost (utfall) is recorded it is what is shared; it is changed as an outcome, not a budget.
    const settled = tx
      .select({ outcome: projectBudgets.outcomeOre })
      .from(projectBudgets)
      .where(and(eq(projectBudgets.projectId, projectId), eq(projectBudgets.year, year)))
      .get();
    if (settled?.outcome != null) {
      throw new DomainError(
        409,
        "outcome_recorded",
        `Utfallet för ${project.code} ${year} är registrerat: ändra utfallet i stället för budgeten`,
        {
          amount: `Utfallet för ${year} är registrerat: ändra utfallet i stället`,
        },
      );
    }
    const after = projectsDb.upsertBudget(tx, {
      projectId,
      year,
      amountOre: input.amount,
      note: input.note ?? before?.note ?? "",
    });
    writeAudit(tx, scope, {
      action: before ? "project_budget.update" : "project_budget.set",
      entity: "project_budget",
      entityId: `${projectId}:${year}`,
      before,
      after,
    });
    return after;
  });
}

export function budgetResultJson(b: projectsDb.BudgetRow) {
  return budgetJson(b);
}

/** A member's project dates must lie within its membership of the association. */
function checkWithinMembership(
  member: { name: string; joinedOn: string; resignedOn: string | null },
  dates: { joinedOn: string; leftOn: string | null },
  joinedField: string,
): void {
  if (dates.joinedOn < member.joinedOn) {
    throw new DomainError(422, "validation_failed", "Startdatumet ligger före medlemskapet", {
      [joinedField]: `${member.name} blev medlem först ${member.joinedOn}; startdatumet kan inte ligga före det`,
    });
  }
  if (member.resignedOn !== null && dates.joinedOn > member.resignedOn) {
    throw new DomainError(422, "validation_failed", "Startdatumet ligger efter utträdet", {
      [joinedField]: `${member.name} lämnade föreningen ${member.resignedOn}; startdatumet kan inte ligga efter det`,
    });
  }
  if (dates.leftOn !== null && dates.leftOn < dates.joinedOn) {
    throw new DomainError(422, "validation_failed", "Slutdatumet ligger före startdatumet", {
      leftOn: `Slutdatumet kan inte ligga före startdatumet (${dates.joinedOn})`,
    });
  }
}

/**
 * Adds a participant. The board may add any member from any date; a member's contact person may add only its
 * own member, only to an open project, from today or later, and without a weight (the board sets weights).
 */
export function addParticipant(
  scope: Scope,
  projectId: number,
  input: { memberId: number; joinedOn: string; weight?: string | null },
): projectsDb.ParticipantRow {
  if (scope.role === "treasurer") throw new PermissionError("Kassören kan inte ändra projektens deltagare");
  return transaction((tx) => {
    const project = requireProject(tx, projectId);
    if (scope.role === "member") {
      if (scope.memberId !== input.memberId) throw new PermissionError("Ni kan bara anmäla er egen organisation");
      if (project.status !== "open") throw new PermissionError("Projektet är inte öppet för anmälan");
      if (input.weight != null) throw new PermissionError("Andelen (vikten) bestäms av styrelsen");
      // From today up to the end of next year (billing/joining.ts, docs/allocation.md#joining).
      const problem = selfServiceStartError(input.joinedOn, todayIso());
      if (problem) {
        throw new DomainError(422, "validation_failed", "Startdatumet går inte att välja", { joinedOn: problem });
      }
    }
    return insertParticipantIn(tx, scope, project, input);
  });
}

/** One participant into a project, inside the caller's transaction: the checks every caller shares, and the audit row. */
function insertParticipantIn(
  tx: Db,
  scope: Scope,
  project: ProjectRow,
  input: { memberId: number; joinedOn: string; weight?: string | null },
): projectsDb.ParticipantRow {
  const projectId = project.id;
  const member = getMemberRow(tx, input.memberId);
  if (!member) {
    throw new DomainError(422, "validation_failed", "Medlemmen finns inte", { memberId: "Medlemmen finns inte" });
  }
  const existing = projectsDb.getParticipant(tx, projectId, input.memberId);
  if (existing) {
    const message =
      existing.leftOn === null
        ? `${member.name} deltar redan i ${project.code} sedan ${existing.joinedOn}`
        : `${member.name} har deltagit i ${project.code} ${existing.joinedOn}–${existing.leftOn}; ändra slutdatumet i stället`;
    throw new DomainError(409, "already_participating", message, { memberId: message });
  }
  checkWithinMembership(member, { joinedOn: input.joinedOn, leftOn: null }, "joinedOn");
  const row = projectsDb.insertParticipant(tx, {
    projectId,
    memberId: input.memberId,
    joinedOn: input.joinedOn,
    weight: input.weight ?? null,
  });
  writeAudit(tx, scope, {
    action: "project_participant.join",
    entity: "project_participant",
    entityId: `${projectId}:${input.memberId}`,
    after: row,
  });
  return row;
}

/**
 * The board adds several members at once, from one start date (and one weight under the fixed key): one
 * transaction, one audit row each. All or nothing: when any member cannot be added, nothing is, and the answer is 422
 * with a message per member under `members.{memberId}` (docs/allocation.md#participants-of-a-year).
 */
export function addParticipants(
  scope: Scope,
  projectId: number,
  input: { memberIds: number[]; joinedOn: string; weight?: string | null },
): projectsDb.ParticipantRow[] {
  assertBoard(scope);
  return transaction((tx) => {
    const project = requireProject(tx, projectId);
    const rows: projectsDb.ParticipantRow[] = [];
    const problems: Record<string, string> = {};
    for (const memberId of input.memberIds) {
      try {
        rows.push(
          insertParticipantIn(tx, scope, project, { memberId, joinedOn: input.joinedOn, weight: input.weight }),
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const name = getMemberRow(tx, memberId)?.name;
        const message = error.fields?.memberId ?? error.fields?.joinedOn ?? error.message;
        problems[`members.${memberId}`] = !name
          ? `Medlem ${memberId} finns inte`
          : message.includes(name)
            ? message
            : `${name}: ${message}`;
      }
    }
    const count = Object.keys(problems).length;
    if (count > 0) {
      throw new DomainError(
        422,
        "validation_failed",
        count === 1
          ? "En av medlemmarna kan inte läggas till, så ingen är tillagd"
          : `${count} av medlemmarna kan inte läggas till, så ingen är tillagd`,
        problems,
      );
    }
    return rows;
  });
}

/**
 * Changes a participation. The board may change the dates and the weight; a member's contact person only its
 * own leaving date, to the end of the current year or later (or back to none while the leaving is still ahead
 * and the project open).
 */
export function updateParticipant(
  scope: Scope,
  projectId: number,
  memberId: number,
  patch: { joinedOn?: string; leftOn?: string | null; weight?: string | null },
): projectsDb.ParticipantRow {
  if (scope.role === "treasurer") throw new PermissionError("Kassören kan inte ändra projektens deltagare");
  return transaction((tx) => changeParticipant(tx, scope, projectId, memberId, patch));
}

function changeParticipant(
  tx: Db,
  scope: Scope,
  projectId: number,
  memberId: number,
  patch: { joinedOn?: string; leftOn?: string | null; weight?: string | null },
): projectsDb.ParticipantRow {
  const project = requireProject(tx, projectId);
  if (scope.role === "member" && scope.memberId !== memberId) {
    throw new PermissionError("Ni kan bara ändra er egen organisations deltagande");
  }
  const before = projectsDb.getParticipant(tx, projectId, memberId);
  if (!before) throw new DomainError(404, "not_found", "Medlemmen deltar inte i projektet");
  if (scope.role === "member") {
    if (patch.weight !== undefined || patch.joinedOn !== undefined) {
      throw new PermissionError("Bara styrelsen kan ändra startdatum och andel (vikt)");
    }
    const today = todayIso();
    if (before.leftOn !== null && before.leftOn < today) {
      throw new PermissionError("Deltagandet har redan upphört; kontakta styrelsen för att ändra det");
    }
    if (patch.leftOn === null) {
      if (project.status !== "open") throw new PermissionError("Projektet är inte öppet; kontakta styrelsen");
    } else if (patch.leftOn !== undefined) {
      const earliest = endOfYear(yearOf(today));
      if (patch.leftOn < earliest) {
        throw new DomainError(422, "validation_failed", "Slutdatumet är för tidigt", {
          leftOn: `Ni kan lämna projektet tidigast vid årets slut (${earliest})`,
        });
      }
    }
  }
  const next = {
    joinedOn: patch.joinedOn ?? before.joinedOn,
    leftOn: patch.leftOn === undefined ? before.leftOn : patch.leftOn,
    weight: patch.weight === undefined ? before.weight : patch.weight,
  };
  const member = getMemberRow(tx, memberId)!;
  if (patch.joinedOn !== undefined || (next.leftOn !== null && next.leftOn < next.joinedOn)) {
    checkWithinMembership(member, next, "joinedOn");
  }
  const after = projectsDb.updateParticipant(tx, projectId, memberId, next)!;
  writeAudit(tx, scope, {
    action:
      patch.leftOn !== undefined && Object.keys(patch).length === 1 && patch.leftOn !== null
        ? "project_participant.leave"
        : "project_participant.update",
    entity: "project_participant",
    entityId: `${projectId}:${memberId}`,
    before,
    after,
  });
  return after;
}

/** Self-service join: the caller's own member, from today or a chosen later start (docs/allocation.md#joining). */
export function joinProject(scope: Scope, projectId: number, joinedOn: string = todayIso()): projectsDb.ParticipantRow {
  if (scope.role !== "member" || scope.memberId === null) {
    throw new PermissionError("Bara en medlems kontaktperson kan anmäla sin organisation här");
  }
  return addParticipant(scope, projectId, { memberId: scope.memberId, joinedOn });
}

/**
 * Self-service leave: the participation ends on 31 December of the current year (docs/allocation.md#participants-of-a-year). A participation
 * that has not started by then is withdrawn instead, since it never took part in any year.
 */
export function leaveProject(scope: Scope, projectId: number): { leftOn: string | null; withdrawn: boolean } {
  if (scope.role !== "member" || scope.memberId === null) {
    throw new PermissionError("Bara en medlems kontaktperson kan avsluta sitt deltagande här");
  }
  const memberId = scope.memberId;
  const leftOn = endOfYear(currentYear());
  return transaction((tx) => {
    requireProject(tx, projectId);
    const current = projectsDb.getParticipant(tx, projectId, memberId);
    if (current && current.joinedOn > leftOn) {
      projectsDb.deleteParticipant(tx, projectId, memberId);
      writeAudit(tx, scope, {
        action: "project_participant.withdraw",
        entity: "project_participant",
        entityId: `${projectId}:${memberId}`,
        before: current,
      });
      return { leftOn: null, withdrawn: true };
    }
    const row = changeParticipant(tx, scope, projectId, memberId, { leftOn });
    return { leftOn: row.leftOn, withdrawn: false };
  });
}

/** The board removes a participation entered by mistake (it then counts in no year at all). */
export function removeParticipant(scope: Scope, projectId: number, memberId: number): void {
  assertBoard(scope);
  transaction((tx) => {
    requireProject(tx, projectId);
    const before = projectsDb.getParticipant(tx, projectId, memberId);
    if (!before) throw new DomainError(404, "not_found", "Medlemmen deltar inte i projektet");
    projectsDb.deleteParticipant(tx, projectId, memberId);
    writeAudit(tx, scope, {
      action: "project_participant.remove",
      entity: "project_participant",
      entityId: `${projectId}:${memberId}`,
      before,
    });
  });
}
