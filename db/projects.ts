import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { members, projectBudgets, projectParticipants, projects } from "./schema";

/*
 * Projects, their yearly budgets and their participants (docs/allocation.md). All of it is open to everyone logged in
 * (openness is a value of the association), so reads take no scope; who may change what is decided by the use
 * cases in app/features/projects/ (commands.server.ts, participants.server.ts).
 */

export type ProjectRow = typeof projects.$inferSelect;
export type ProjectInsert = Omit<typeof projects.$inferInsert, "id" | "createdAt" | "updatedAt">;
export type BudgetRow = Pick<typeof projectBudgets.$inferSelect, "projectId" | "year" | "amountOre" | "note">;
export type ParticipantRow = Pick<
  typeof projectParticipants.$inferSelect,
  "projectId" | "memberId" | "joinedOn" | "leftOn" | "weight"
>;
/** A participant with what the pages and the allocation need to name the member. */
export type ParticipantView = ParticipantRow & {
  memberName: string;
  municipalityCode: string | null;
  memberKind: "municipality" | "organisation";
};

const projectColumns = {
  id: projects.id,
  code: projects.code,
  name: projects.name,
  description: projects.description,
  status: projects.status,
  allocationKey: projects.allocationKey,
  basePercent: projects.basePercent,
  createdAt: projects.createdAt,
  updatedAt: projects.updatedAt,
};

const budgetColumns = {
  projectId: projectBudgets.projectId,
  year: projectBudgets.year,
  amountOre: projectBudgets.amountOre,
  note: projectBudgets.note,
};

const participantColumns = {
  projectId: projectParticipants.projectId,
  memberId: projectParticipants.memberId,
  joinedOn: projectParticipants.joinedOn,
  leftOn: projectParticipants.leftOn,
  weight: projectParticipants.weight,
};

const participantViewColumns = {
  ...participantColumns,
  memberName: members.name,
  municipalityCode: members.municipalityCode,
  memberKind: members.kind,
};

/** The first and last day of a year as ISO dates, for "takes part on any day of the year" in SQL. */
function yearBounds(year: number): { first: string; last: string } {
  const y = String(year).padStart(4, "0");
  return { first: `${y}-01-01`, last: `${y}-12-31` };
}

/**
 * "Active in year Y" as SQL, so that the billing run's hot query filters in the database: joined_on ≤ 31 Dec Y and
 * (left_on is null or ≥ 1 Jan Y). The rule itself is billing/dates.ts activeInYear (docs/membership.md#active-in-year-y);
 * the empty interval it also refuses cannot be stored (the check left_on ≥ joined_on).
 */
function activeInYearSql(year: number) {
  const { first, last } = yearBounds(year);
  return and(
    lte(projectParticipants.joinedOn, last),
    or(isNull(projectParticipants.leftOn), gte(projectParticipants.leftOn, first)),
  );
}

// Projects ---------------------------------------------------------------------------------------------------

export function listProjects(tx: Db): ProjectRow[] {
  return tx.select(projectColumns).from(projects).orderBy(asc(projects.code)).all();
}

export function getProject(tx: Db, id: number): ProjectRow | undefined {
  return tx.select(projectColumns).from(projects).where(eq(projects.id, id)).get();
}

export function findProjectByCode(tx: Db, code: string): ProjectRow | undefined {
  return tx.select(projectColumns).from(projects).where(eq(projects.code, code)).get();
}

export function insertProject(tx: Db, values: ProjectInsert): ProjectRow {
  return tx.insert(projects).values(values).returning(projectColumns).get();
}

export function updateProject(tx: Db, id: number, patch: Partial<ProjectInsert>): ProjectRow | undefined {
  return tx
    .update(projects)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(projects.id, id))
    .returning(projectColumns)
    .get();
}

// Budgets ----------------------------------------------------------------------------------------------------

export function budgetsOf(tx: Db, projectId: number): BudgetRow[] {
  return tx
    .select(budgetColumns)
    .from(projectBudgets)
    .where(eq(projectBudgets.projectId, projectId))
    .orderBy(asc(projectBudgets.year))
    .all();
}

/** Every budget, or those of one year: one query for overviews and billing runs. */
export function listBudgets(tx: Db, filter: { year?: number; projectIds?: number[] } = {}): BudgetRow[] {
  const conditions = [];
  if (filter.year !== undefined) conditions.push(eq(projectBudgets.year, filter.year));
  if (filter.projectIds) conditions.push(inArray(projectBudgets.projectId, filter.projectIds));
  return tx
    .select(budgetColumns)
    .from(projectBudgets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(projectBudgets.projectId), asc(projectBudgets.year))
    .all();
}

export function getBudget(tx: Db, projectId: number, year: number): BudgetRow | undefined {
  return tx
    .select(budgetColumns)
    .from(projectBudgets)
    .where(and(eq(projectBudgets.projectId, projectId), eq(projectBudgets.year, year)))
    .get();
}

export function upsertBudget(
  tx: Db,
  values: { projectId: number; year: number; amountOre: number; note: string },
): BudgetRow {
  return tx
    .insert(projectBudgets)
    .values(values)
    .onConflictDoUpdate({
      target: [projectBudgets.projectId, projectBudgets.year],
      set: { amountOre: values.amountOre, note: values.note, updatedAt: new Date().toISOString() },
    })
    .returning(budgetColumns)
    .get();
}

// Participants -----------------------------------------------------------------------------------------------

/** A project's participants over all years, with the members' names, ordered by name. */
export function participantsOf(tx: Db, projectId: number): ParticipantView[] {
  return tx
    .select(participantViewColumns)
    .from(projectParticipants)
    .innerJoin(members, eq(members.id, projectParticipants.memberId))
    .where(eq(projectParticipants.projectId, projectId))
    .orderBy(asc(members.name), asc(members.id))
    .all();
}

/** Participant rows of several projects (all projects when none given), without member details. */
export function listParticipants(tx: Db, filter: { projectIds?: number[]; year?: number } = {}): ParticipantRow[] {
  const conditions = [];
  if (filter.projectIds) conditions.push(inArray(projectParticipants.projectId, filter.projectIds));
  if (filter.year !== undefined) conditions.push(activeInYearSql(filter.year));
  return tx
    .select(participantColumns)
    .from(projectParticipants)
    .where(conditions.length ? and(...conditions) : undefined)
    .all();
}

/**
 * The participants of every project that take part on some day of `year` and whose project has a budget for
 * `year` (what a billing run allocates), grouped by project and packed by SQLite: one row per project instead
 * of one per participant. Reading a million rows one by one costs seconds in better-sqlite3;
 * this costs one string per project. Members come in id order; weights only for projects with the fixed key.
 */
export function participantIdsWithBudgetInYear(
  tx: Db,
  year: number,
): Map<number, { memberIds: number[]; weights: Array<string | null> | null }> {
  const { first, last } = yearBounds(year);
  const rows = tx.all<{ projectId: number; memberIds: string | null; weights: string | null }>(sql`
    SELECT pp.project_id AS projectId,
           group_concat(pp.member_id) AS memberIds,
           CASE WHEN p.allocation_key = 'fixed' THEN group_concat(coalesce(pp.weight, '')) END AS weights
    FROM ${projectParticipants} pp
    JOIN ${projectBudgets} b ON b.project_id = pp.project_id AND b.year = ${year}
    JOIN ${projects} p ON p.id = pp.project_id
    WHERE pp.joined_on <= ${last} AND (pp.left_on IS NULL OR pp.left_on >= ${first})
    GROUP BY pp.project_id`);
  const out = new Map<number, { memberIds: number[]; weights: Array<string | null> | null }>();
  for (const r of rows) {
    // Both aggregates see the group's rows in the same order, so the i-th weight belongs to the i-th member.
    // That order is the primary key's (project, member) in practice; an ORDER BY inside group_concat would
    // double the query's time, so the order is checked here and restored only if SQLite ever chose another.
    let memberIds = r.memberIds === null ? [] : r.memberIds.split(",").map(Number);
    let weights = r.weights === null ? null : r.weights.split(",").map((w) => (w === "" ? null : w));
    if (!memberIds.every((id, i) => i === 0 || memberIds[i - 1] < id)) {
      const order = memberIds.map((_, i) => i).sort((a, b) => memberIds[a] - memberIds[b]);
      const ids = memberIds;
      const ws = weights;
      memberIds = order.map((i) => ids[i]);
      weights = ws && order.map((i) => ws[i]);
    }
    out.set(r.projectId, { memberIds, weights });
  }
  return out;
}

export function getParticipant(tx: Db, projectId: number, memberId: number): ParticipantRow | undefined {
  return tx
    .select(participantColumns)
    .from(projectParticipants)
    .where(and(eq(projectParticipants.projectId, projectId), eq(projectParticipants.memberId, memberId)))
    .get();
}

/** Every participation of one member, in any project and year. */
export function participationsOfMember(tx: Db, memberId: number): ParticipantRow[] {
  return tx
    .select(participantColumns)
    .from(projectParticipants)
    .where(eq(projectParticipants.memberId, memberId))
    .orderBy(asc(projectParticipants.projectId))
    .all();
}

export function insertParticipant(
  tx: Db,
  values: { projectId: number; memberId: number; joinedOn: string; leftOn?: string | null; weight?: string | null },
): ParticipantRow {
  return tx
    .insert(projectParticipants)
    .values({ ...values, leftOn: values.leftOn ?? null, weight: values.weight ?? null })
    .returning(participantColumns)
    .get();
}

export function updateParticipant(
  tx: Db,
  projectId: number,
  memberId: number,
  patch: { joinedOn?: string; leftOn?: string | null; weight?: string | null },
): ParticipantRow | undefined {
  return tx
    .update(projectParticipants)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(and(eq(projectParticipants.projectId, projectId), eq(projectParticipants.memberId, memberId)))
    .returning(participantColumns)
    .get();
}

export function deleteParticipant(tx: Db, projectId: number, memberId: number): void {
  tx.delete(projectParticipants)
    .where(and(eq(projectParticipants.projectId, projectId), eq(projectParticipants.memberId, memberId)))
    .run();
}

// Members as the allocation names them ---------------------------------------------------------------------------

export interface MemberLabel {
  id: number;
  name: string;
  municipalityCode: string | null;
  kind: "municipality" | "organisation";
  joinedOn: string;
  resignedOn: string | null;
}

/** Names and codes of members (all when no ids are given), keyed by id. */
export function memberLabels(tx: Db, memberIds?: number[]): Map<number, MemberLabel> {
  const rows = tx
    .select({
      id: members.id,
      name: members.name,
      municipalityCode: members.municipalityCode,
      kind: members.kind,
      joinedOn: members.joinedOn,
      resignedOn: members.resignedOn,
    })
    .from(members)
    .where(memberIds ? inArray(members.id, memberIds) : undefined)
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}
