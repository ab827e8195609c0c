import { splitBasePlusPerCapita } from "../../../billing/allocation-parts";
import { percentOf } from "../../../billing/project-year";
import { CountedCache } from "../../../db/cache";
import { transaction } from "../../../db/client";
import * as projectsDb from "../../../db/projects";
import { allocationTopics, loadProjectAllocation } from "./allocation.server";
import { sortByName } from "./json.server";

/*
 * What the allocation page shows of a project-year (docs/allocation.md#what-is-shown): the shares in name order
 * with their per cent and, under base + per capita, their two parts, and the years with a budget. Made once per
 * change of what the allocation is computed from (db/cache.ts, docs/architecture.md#caches): the page of a
 * 290-participant project made it anew on every request, a second under 10 clients.
 */

function viewOf(projectId: number, year: number) {
  return transaction((tx) => {
    const allocation = loadProjectAllocation(tx, projectId, year);
    const years = new Set(projectsDb.budgetsOf(tx, projectId).map((b) => b.year));
    years.add(year);
    const budget = allocation.budget;
    // The base and per-capita parts beside each share (docs/allocation.md): only when every share is computed.
    const shares = allocation.rows
      .filter((r) => r.share !== null)
      .map((r) => ({ memberId: r.memberId, share: r.share! }));
    const parts =
      allocation.project.allocationKey === "base_plus_per_capita" &&
      allocation.ok &&
      budget !== null &&
      allocation.project.basePercent !== null &&
      shares.length === allocation.rows.length
        ? new Map(splitBasePlusPerCapita(budget, allocation.project.basePercent, shares).map((p) => [p.memberId, p]))
        : null;
    return {
      hasParts: parts !== null,
      project: allocation.project,
      year,
      years: [...years].sort((a, b) => a - b),
      budget,
      ok: allocation.ok,
      errors: allocation.errors,
      totalPopulation: allocation.totalPopulation,
      totalWeight: allocation.totalWeight,
      rows: sortByName(allocation.rows).map((r) => ({
        memberId: r.memberId,
        memberName: r.memberName,
        municipalityCode: r.municipalityCode,
        basis: r.basis,
        weight: r.weight,
        share: r.share,
        basePart: parts?.get(r.memberId)?.base ?? null,
        perCapitaPart: parts?.get(r.memberId)?.perCapita ?? null,
        percent: r.share !== null && budget !== null ? percentOf(r.share, budget) : null,
        missing: allocation.errors.some((e) => e.memberId === r.memberId),
      })),
    };
  }, "deferred");
}

export type AllocationView = ReturnType<typeof viewOf>;

const views = new CountedCache<AllocationView>(32);

/** The allocation page's view of a project-year; shared between requests, so read-only. */
export function allocationView(projectId: number, year: number): AllocationView {
  return transaction(
    (tx) => views.get(tx, `${projectId}:${year}`, allocationTopics(projectId), () => viewOf(projectId, year)),
    "deferred",
  );
}
