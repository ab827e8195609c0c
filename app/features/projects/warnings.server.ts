import { planProjectYear, type HeldNet } from "../../../billing/adjustment";
import { type Ore } from "../../../billing/money";
import { heldProjectLines } from "../../../db/adjustments";
import { db, type Db } from "../../../db/client";
import { ProjectSharesOfYear, projectSharesForYear } from "./shares.server";

/** What a change to a project would move on invoices already made (docs/adjustments.md). */

export interface InvoicedYearWarning {
  year: number;
  /** Net invoiced (drafts included) of the project-year. */
  invoiced: Ore;
  /** What a run with adjustments would move now: Σ of the charges it would bill (refunds are the same sum back). */
  pending: Ore;
}

/**
 * The invoiced years of a project and what would move if a run with adjustments were made now, for the warnings
 * where a change is made (project page, join page): a change there is billed as an adjustment.
 */
export function invoicedYearWarnings(
  tx: Db,
  projectId: number,
  years: number[],
  sharesOf: (year: number) => ProjectSharesOfYear,
): InvoicedYearWarning[] {
  const out: InvoicedYearWarning[] = [];
  for (const year of years) {
    const lines = heldProjectLines(tx, year, projectId);
    if (lines.length === 0) continue;
    const held = new Map<number, HeldNet>();
    for (const l of lines) {
      const h = held.get(l.memberId) ?? { net: 0, hasShare: false };
      held.set(l.memberId, { net: h.net + l.amountOre, hasShare: h.hasShare || l.chargeKind === "project_share" });
    }
    const shares = sharesOf(year);
    const current = new Map(shares.shares.filter((s) => s.projectId === projectId).map((s) => [s.memberId, s.share]));
    const budget = shares.projects.find((p) => p.projectId === projectId)?.budget ?? 0;
    const plan = planProjectYear({ budget, current, held, kinds: { share: true, adjustment: true } });
    const pending =
      plan.kind === "nothing"
        ? 0
        : [...plan.shares.map((s) => s.amount), ...plan.adjustments.map((a) => a.amount)]
            .filter((x) => x > 0)
            .reduce((n, x) => n + x, 0);
    out.push({ year, invoiced: [...held.values()].reduce((n, h) => n + h.net, 0), pending });
  }
  return out;
}

/** The warnings of a project's page: its invoiced years and what would move now. */
export function projectWarnings(projectId: number, years: number[]): InvoicedYearWarning[] {
  return invoicedYearWarnings(db(), projectId, years, (year) => projectSharesForYear(year));
}
