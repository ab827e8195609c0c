import { writeAudit } from "../../../db/audit";
import { transaction, type Db } from "../../../db/client";
import * as projectsDb from "../../../db/projects";
import { projectBudgets } from "../../../db/schema";
import { and, eq } from "drizzle-orm";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { zodFieldErrors } from "../../http/errors";
import {
  ProjectMergedSchema,
  type BudgetInput,
  type ProjectCreateInput,
  type ProjectPatchInput,
} from "../../lib/project-schemas";
import { requireProject } from "./queries.server";
import { authorize } from "../../../billing/policy";

/*
 * The use cases that change projects and budgets: one transaction each, each audited (docs/allocation.md).
 * Pages, /api/v1 and the CLI all go through here.
 */

export function duplicateCode(tx: Db, code: string, exceptId?: number): void {
  const other = projectsDb.findProjectByCode(tx, code);
  if (other && other.id !== exceptId) {
    throw new DomainError("conflict", "duplicate", "Projektkoden används redan", {
      code: `Projektkoden ${code} används redan av ${other.name}`,
    });
  }
}

export function createProject(scope: Scope, input: ProjectCreateInput): projectsDb.ProjectRow {
  authorize(scope, "project.create");
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
export function updateProject(scope: Scope, id: number, patch: ProjectPatchInput): projectsDb.ProjectRow {
  authorize(scope, "project.update");
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
      throw new DomainError(
        "validation",
        "validation_failed",
        "Uppgifterna är inte giltiga",
        zodFieldErrors(merged.error),
      );
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
  authorize(scope, "project.budget.set");
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
        "conflict",
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
