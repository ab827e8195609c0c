import type { Association } from "../support/association";
import { projectAllocation } from "../../app/features/projects/allocation.server";

/*
 * The two sides of the invariant of docs/adjustments.md, read from a built association: what the issued lines
 * hold per member for a project-year, and what the current allocation says each member's share is.
 */

/** Net held (öre) per member for a project-year, read straight from the lines (the invariant's left side). */
export function netHeld(a: Association, projectId: number, year: number): Map<number, number> {
  const rows = a
    .sqlite()
    .prepare(
      `SELECT i.member_id AS memberId, sum(l.amount_ore) AS net FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
       WHERE l.holds_charge = 1 AND l.project_id = ? AND l.year = ? AND l.charge_kind IN ('project_share','project_adjustment')
       GROUP BY i.member_id`,
    )
    .all(projectId, year) as Array<{ memberId: number; net: number }>;
  return new Map(rows.filter((r) => r.net !== 0).map((r) => [r.memberId, r.net]));
}

/** The current split (öre) per member, from the same function the allocation page uses. */
export function currentSplit(_a: Association, projectId: number, year: number): Map<number, number> {
  const alloc = projectAllocation(projectId, year);
  if (!alloc.ok) throw new Error(`not allocatable: ${JSON.stringify(alloc)}`);
  return new Map(alloc.rows.filter((r) => r.share !== 0 && r.share !== null).map((r) => [r.memberId, r.share!]));
}
