import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createBillingRun, previewBillingRun } from "../../app/features/billing-runs/commands.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { setBudget, updateProject } from "../../app/features/projects/commands.server";
import { addParticipant, updateParticipant } from "../../app/features/projects/participants.server";
import { projectSharesForYear } from "../../app/features/projects/shares.server";
import { deletePopulationFigure, setPopulation } from "../../app/features/members/commands.server";
import { connection, db } from "../../db/client";
import { linesOf } from "../../db/invoices";
import { SYSTEM_SCOPE } from "../../db/scope";
import { seedSynthetic } from "../../scripts/bench-seed";
import { association, type Association } from "../support/association";

/*
 * A billing run drafts member by member from the compact split of each project-year (docs/invoices.md#billing-runs):
 * what it stores is what its preview shows, line for line, and each first share is the share of
 * projectSharesForYear with its basis and its text; also when first shares and adjustments meet in one run, under
 * every key, with an older population figure named. In-process against a real migrated SQLite file.
 */

const YEAR = 2026;
let a: Association;
let memberIds: number[];
let projectIds: number[];
let first: number | undefined;

beforeAll(async () => {
  // An empty association; the bench's generator (scripts/bench-seed.ts) adds the members and projects.
  a = await association({ municipalities: [], users: false, prefix: "sambruk-run-" });
  const seeded = seedSynthetic({ members: 30, projects: 4, year: YEAR });
  memberIds = seeded.memberIds;
  projectIds = seeded.projectIds;
  // Every key: per capita (P-001), fixed weights (P-002), base + per capita (P-003), equal (P-004).
  updateProject(SYSTEM_SCOPE, projectIds[1], { allocationKey: "fixed" });
  for (const [i, id] of memberIds.entries())
    updateParticipant(SYSTEM_SCOPE, projectIds[1], id, { weight: `${1 + (i % 7)}.5` });
  updateProject(SYSTEM_SCOPE, projectIds[2], { allocationKey: "base_plus_per_capita", basePercent: "12.5" });
  updateProject(SYSTEM_SCOPE, projectIds[3], { allocationKey: "equal" });
  // One member's latest figure is older than the year before: its lines say which year they use.
  setPopulation(SYSTEM_SCOPE, memberIds[3], YEAR - 3, 45_678);
  deletePopulationFigure(SYSTEM_SCOPE, memberIds[3], YEAR - 1);
});

afterAll(() => a?.close());

const strip = <T extends { id?: number; holdsCharge?: boolean }>({ id: _id, holdsCharge: _h, ...rest }: T) => rest;

/** The run's stored lines per member, beside its preview made just before it in the same state. */
function runBesidePreview(charges: Array<"annual_fee" | "project_share" | "project_adjustment">) {
  const preview = previewBillingRun({ year: YEAR, charges });
  const run = createBillingRun(SYSTEM_SCOPE, { year: YEAR, charges });
  const stored = run.invoiceIds.map((id) => {
    const memberId = connection().sqlite.prepare("SELECT member_id FROM invoices WHERE id = ?").pluck().get(id);
    return { memberId, lines: linesOf(db(), id).map(strip) };
  });
  return { preview, run, stored };
}

describe("a billing run's drafts", () => {
  test("are its preview, line for line, and each first share is projectSharesForYear's", () => {
    const shares = projectSharesForYear(YEAR);
    const { preview, run, stored } = runBesidePreview(["annual_fee", "project_share"]);
    first = run.run!.id;
    expect(stored).toHaveLength(30);
    expect(stored).toEqual(preview.invoices.map((i) => ({ memberId: i.memberId, lines: i.lines })));
    const projectLines = stored.flatMap((s) => s.lines.filter((l) => l.chargeKind === "project_share"));
    expect(projectLines).toHaveLength(shares.shares.filter((s) => s.share !== 0).length);
    for (const s of shares.shares) {
      const line = stored
        .find((x) => x.memberId === s.memberId)!
        .lines.find((l) => l.projectId === s.projectId && l.chargeKind === "project_share")!;
      expect(line.amount).toBe(s.share);
      expect(JSON.stringify(line.shareBasis)).toBe(JSON.stringify(s.basis));
      const older = s.populationFallback ? ` (invånarantal ${s.basis.populationYear}, senast kända)` : "";
      expect(line.description).toBe(`Projektandel ${s.basis.projectCode} ${s.basis.projectName} ${YEAR}${older}`);
    }
    expect(projectLines.some((l) => l.description.endsWith(`(invånarantal ${YEAR - 3}, senast kända)`))).toBe(true);
  });

  test("are their preview when first shares and adjustments meet in one run", () => {
    // The first run is issued; then P-001's budget moves and a participant leaves P-004 (adjustments), and a
    // new project-year is billed for the first time.
    issueRun(SYSTEM_SCOPE, first!);
    setBudget(SYSTEM_SCOPE, projectIds[0], YEAR, { amount: 9_876_543 });
    updateParticipant(SYSTEM_SCOPE, projectIds[3], memberIds[5], { joinedOn: `${YEAR + 1}-01-01` });
    const late = connection()
      .sqlite.prepare(
        "INSERT INTO projects (code, name, status, allocation_key, created_at, updated_at) VALUES ('P-900', 'Nytt', 'open', 'equal', 'x', 'x')",
      )
      .run().lastInsertRowid as number;
    setBudget(SYSTEM_SCOPE, Number(late), YEAR, { amount: 100_001 });
    for (const id of memberIds.slice(0, 7))
      addParticipant(SYSTEM_SCOPE, Number(late), { memberId: id, joinedOn: `${YEAR}-02-01` });
    const { preview, run, stored } = runBesidePreview(["project_share", "project_adjustment"]);
    expect(run.problems).toEqual([]);
    expect(stored).toEqual(preview.invoices.map((i) => ({ memberId: i.memberId, lines: i.lines })));
    const kinds = new Set(stored.flatMap((s) => s.lines.map((l) => `${l.chargeKind}:${l.projectId}`)));
    expect(kinds.has(`project_share:${late}`)).toBe(true);
    expect(kinds.has(`project_adjustment:${projectIds[0]}`)).toBe(true);
    expect(kinds.has(`project_adjustment:${projectIds[3]}`)).toBe(true);
  });
});
