import { and, eq } from "drizzle-orm";
import { sumOre, type Ore } from "../../../billing/money";
import { heldTotalsOfProject } from "../../../db/adjustments";
import { writeAudit } from "../../../db/audit";
import { db, transaction } from "../../../db/client";
import * as projectsDb from "../../../db/projects";
import { projectBudgets } from "../../../db/schema";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { authorize } from "../../../billing/policy";

/*
 * Year-end settlement (utfall, docs/adjustments.md): the board records a project-year's final cost. It becomes
 * the amount that is shared (the budget the allocation uses); the planned budget is kept beside it, and the next
 * billing run with project_adjustment bills or refunds each participant the difference.
 */

export interface ProjectYearMoney {
  year: number;
  /** The budget as planned (before an outcome replaced it). */
  budget: Ore;
  outcome: Ore | null;
  /** What is shared now: the outcome once recorded, else the budget. */
  shared: Ore;
  /** Net invoiced in issued invoices and credit notes. */
  invoiced: Ore;
  /** In drafts not yet issued. */
  drafted: Ore;
  /** shared − invoiced − drafted: what a run with adjustments would still bill (negative: refund). */
  open: Ore;
}

/** Budget, outcome, invoiced and open per year of a project (the project page). */
export function projectYearMoney(scope: Scope, projectId: number): ProjectYearMoney[] {
  authorize(scope, "project.money.read");
  const tx = db();
  const held = heldTotalsOfProject(tx, projectId);
  const rows = tx
    .select({
      year: projectBudgets.year,
      amountOre: projectBudgets.amountOre,
      outcomeOre: projectBudgets.outcomeOre,
      plannedOre: projectBudgets.plannedOre,
    })
    .from(projectBudgets)
    .where(eq(projectBudgets.projectId, projectId))
    .orderBy(projectBudgets.year)
    .all();
  return rows.map((r) => {
    const h = held.get(r.year) ?? { net: 0, drafts: 0 };
    return {
      year: r.year,
      budget: r.plannedOre ?? r.amountOre,
      outcome: r.outcomeOre,
      shared: r.amountOre,
      invoiced: h.net,
      drafted: h.drafts,
      open: r.amountOre - sumOre([h.net, h.drafts]),
    };
  });
}

/** True when the project-year's outcome is recorded (its budget is then changed only through the outcome). */
export function hasOutcome(projectId: number, year: number, tx = db()): boolean {
  const row = tx
    .select({ outcome: projectBudgets.outcomeOre })
    .from(projectBudgets)
    .where(and(eq(projectBudgets.projectId, projectId), eq(projectBudgets.year, year)))
    .get();
  return row?.outcome != null;
}

/** Records (or corrects) the final cost of a project-year: it becomes the shared amount. Board only; audited. */
export function recordOutcome(scope: Scope, projectId: number, year: number, input: { amount: Ore; note?: string }) {
  authorize(scope, "project.outcome.record");
  return transaction((tx) => {
    const project = projectsDb.getProject(tx, projectId);
    if (!project) throw new DomainError("not_found", "not_found", "Projektet finns inte");
    const before = tx
      .select()
      .from(projectBudgets)
      .where(and(eq(projectBudgets.projectId, projectId), eq(projectBudgets.year, year)))
      .get();
    if (!before) {
      throw new DomainError(
        "conflict",
        "no_budget",
        `${project.code} har ingen budget för ${year}: sätt budgeten först`,
        {
          year: `${project.code} har ingen budget för ${year}`,
        },
      );
    }
    const planned = before.plannedOre ?? before.amountOre;
    const after = tx
      .update(projectBudgets)
      .set({
        amountOre: input.amount,
        outcomeOre: input.amount,
        plannedOre: planned,
        note: input.note ?? before.note,
        updatedAt: new Date().toISOString(),
      })
      .where(and(eq(projectBudgets.projectId, projectId), eq(projectBudgets.year, year)))
      .returning()
      .get();
    writeAudit(tx, scope, {
      action: "project_budget.outcome",
      entity: "project_budget",
      entityId: `${projectId}:${year}`,
      before,
      after,
    });
    return { year, budget: planned, outcome: input.amount };
  });
}
