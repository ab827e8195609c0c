import { beforeAll, describe, expect, test } from "vitest";
import { association, type Association } from "../support/association";
import { currentSplit, netHeld } from "./ledger";
import { createBillingRun, previewBillingRun } from "../../app/features/billing-runs/commands.server";
import { creditInvoice } from "../../app/features/invoices/credit.server";
import { invoiceDocument } from "../../app/features/invoices/documents.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { setPopulation } from "../../app/features/members/commands.server";
import { createProject, setBudget } from "../../app/features/projects/commands.server";
import { addParticipant, removeParticipant, updateParticipant } from "../../app/features/projects/participants.server";

/*
 * Changes after invoicing (docs/adjustments.md), through the real use cases on a fresh SQLite file: every case
 * ends with each participant's net invoiced amount equal to its current share and the sum equal to the budget.
 */
let a: Association;
const Y = 2026;

beforeAll(async () => {
  a = await association({ users: false, settings: true, prefix: "sambruk-adjust-" });
});

let seq = 0;
function project(key: "per_capita" | "equal" | "fixed", budget: number, members: string[], weights?: string[]): number {
  const p = createProject(a.scope.system, {
    code: `P-${100 + ++seq}`,
    name: `Projekt ${seq}`,
    allocationKey: key,
    status: "open",
  } as never);
  setBudget(a.scope.system, p.id, Y, { amount: budget });
  members.forEach((code, i) =>
    addParticipant(a.scope.system, p.id, {
      memberId: a.member[code],
      joinedOn: "2026-01-01",
      weight: weights?.[i] ?? null,
    }),
  );
  return p.id;
}

function run(charges: Array<"project_share" | "project_adjustment">) {
  return createBillingRun(a.scope.system, { year: Y, charges });
}

function runAndIssue(charges: Array<"project_share" | "project_adjustment"> = ["project_share", "project_adjustment"]) {
  const r = run(charges);
  return { ...r, issued: r.run ? issueRun(a.scope.system, r.run.id) : [] };
}

function expectSettled(projectId: number, budget: number) {
  const split = currentSplit(a, projectId, Y);
  const net = netHeld(a, projectId, Y);
  expect(Object.fromEntries(net)).toEqual(Object.fromEntries(split));
  expect([...net.values()].reduce((s, v) => s + v, 0)).toBe(budget);
}

function linesOf(projectId: number, kind: string) {
  return a
    .sqlite()
    .prepare(
      `SELECT i.member_id AS memberId, l.amount_ore AS amount, l.charge_key AS key, l.description AS description, i.kind AS invoiceKind, i.state AS state
       FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE l.project_id = ? AND l.charge_kind = ? ORDER BY l.id`,
    )
    .all(projectId, kind) as Array<{
    memberId: number;
    amount: number;
    key: string;
    description: string;
    invoiceKind: string;
    state: string;
  }>;
}

describe("a late joiner (the worked example of the README)", () => {
  test("the adjustment run bills the newcomer its share and refunds the others to the öre", () => {
    const id = project("per_capita", 80_000_000, ["1480", "1481", "1402", "1438", "1439"]);
    runAndIssue();
    const before = currentSplit(a, id, Y);
    addParticipant(a.scope.system, id, { memberId: a.member["1444"], joinedOn: "2026-12-01" });
    const preview = previewBillingRun({ year: Y, charges: ["project_share", "project_adjustment"] });
    const change = preview.changes.find((c) => c.projectId === id)!;
    expect(change.reasons).toEqual(["ny deltagare: Grästorp kommun"]);
    const göteborg = change.rows.find((r) => r.memberId === a.member["1480"])!;
    expect(göteborg.invoicedBefore).toBe(before.get(a.member["1480"]));
    const after = currentSplit(a, id, Y);
    expect(göteborg.shareNow).toBe(after.get(a.member["1480"]));
    expect(göteborg.adjustment).toBe(after.get(a.member["1480"])! - before.get(a.member["1480"])!);
    const r = runAndIssue();
    expect(r.problems).toEqual([]);
    expectSettled(id, 80_000_000);
    const adjustments = linesOf(id, "project_adjustment");
    expect(adjustments).toHaveLength(5);
    expect(adjustments.every((l) => l.amount < 0)).toBe(true);
    expect(adjustments[0].description).toMatch(
      /^Justering P-\d+ Projekt \d+ 2026: andel fakturerad .* kr, andel nu .* kr \(ny deltagare: Grästorp kommun\)$/,
    );
    // Each refund alone is a negative draft: issued as a credit note referring to the member's share invoice.
    const credit = r.issued.find((v) => v.memberId === a.member["1480"])!;
    expect(credit.kind).toBe("credit_note");
    expect(credit.totalOre).toBeLessThan(0);
    expect(credit.number).not.toBeNull();
    const doc = invoiceDocument(a.scope.system, credit.id)!;
    expect(doc.kind).toBe("credit_note");
    expect(doc.creditedInvoice?.reason).toMatch(/Justering av projektandel P-\d+ 2026/);
    expect(doc.appendices[0].invoicedBefore?.total).toBe(80_000_000);
    expect(doc.appendices[0].rows.find((row) => row.memberName === "Grästorp kommun")?.invoicedBefore).toBe(0);
    const newcomer = r.issued.find((v) => v.memberId === a.member["1444"])!;
    expect(newcomer.kind).toBe("invoice");
    expect(newcomer.totalOre).toBe(after.get(a.member["1444"]));
    // A third run finds nothing new and stores no run.
    const again = run(["project_share", "project_adjustment"]);
    expect(again.run).toBeNull();
    expect(again.invoiceIds).toEqual([]);
  });

  test("project_share without project_adjustment leaves the changed project-year out whole, with a problem", () => {
    const id = project("equal", 30_000_000, ["1480", "1481", "1402"]);
    runAndIssue();
    addParticipant(a.scope.system, id, { memberId: a.member["1438"], joinedOn: "2026-06-01" });
    const r = run(["project_share"]);
    const problem = r.problems.find((p) => p.projectId === id);
    expect(problem?.memberId).toBeNull();
    expect(problem?.message).toMatch(/välj även Justering av projektandel/);
    expect(linesOf(id, "project_share")).toHaveLength(3); // the newcomer's share was not billed alone
    expect(r.run).toBeNull();
    runAndIssue();
    expectSettled(id, 30_000_000);
  });
});

describe("changes of an invoiced project-year", () => {
  test("a leaver taken out of the split gets its whole net back; the others pay more", () => {
    const id = project("equal", 9_000_000, ["1480", "1481", "1402"]);
    runAndIssue();
    removeParticipant(a.scope.system, id, a.member["1402"]);
    const r = runAndIssue();
    expectSettled(id, 9_000_000);
    const refund = linesOf(id, "project_adjustment").find((l) => l.memberId === a.member["1402"])!;
    expect(refund.amount).toBe(-3_000_000);
    expect(refund.description).toMatch(/andel nu 0,00 kr \(inte längre med: Partille kommun\)/);
    expect(r.issued.find((v) => v.memberId === a.member["1402"])?.kind).toBe("credit_note");
  });

  test("a budget raise and a budget cut (settlement) bill and refund the difference", () => {
    const id = project("equal", 10_000_000, ["1480", "1481", "1402"]);
    runAndIssue();
    setBudget(a.scope.system, id, Y, { amount: 12_000_000 });
    const up = runAndIssue();
    expect(up.issued.every((v) => v.kind === "invoice")).toBe(true);
    expectSettled(id, 12_000_000);
    setBudget(a.scope.system, id, Y, { amount: 11_000_001 });
    runAndIssue();
    expectSettled(id, 11_000_001);
    const last = linesOf(id, "project_adjustment").slice(-3);
    expect(last.reduce((s, l) => s + l.amount, 0)).toBe(-999_999);
    expect(last[0].description).toMatch(/budget 120 000,00 kr → 110 000,01 kr/);
    // Two adjustments of the same member's project-year have their own keys: …:1 and …:2.
    expect(
      linesOf(id, "project_adjustment")
        .filter((l) => l.memberId === a.member["1480"])
        .map((l) => l.key.split(":").at(-1)),
    ).toEqual(["1", "2"]);
  });

  test("a weight change moves money between the participants of a fixed split", () => {
    const id = project("fixed", 10_000_000, ["1480", "1481"], ["60", "40"]);
    runAndIssue();
    updateParticipant(a.scope.system, id, a.member["1481"], { weight: "60" });
    runAndIssue();
    expectSettled(id, 10_000_000);
    const moved = linesOf(id, "project_adjustment");
    expect(moved.map((l) => l.amount).sort((x, y) => x - y)).toEqual([-1_000_000, 1_000_000]);
    expect(moved[0].description).toMatch(/vikt Mölndal kommun 40 → 60|vikt Göteborgs? kommun/);
  });

  test("a population correction re-splits the project-year through adjustments", () => {
    const id = project("per_capita", 5_000_000, ["1438", "1439"]);
    runAndIssue();
    setPopulation(a.scope.system, a.member["1438"], 2025, 6376);
    runAndIssue();
    expectSettled(id, 5_000_000);
    expect(currentSplit(a, id, Y).get(a.member["1438"])).toBe(2_500_000);
    expect(linesOf(id, "project_adjustment")[0].description).toMatch(
      /invånarantal Dals-Ed kommun 4 606 \(2024\) → 6 376 \(2025\)/,
    );
  });

  test("crediting an invoice that held an adjustment frees it, and the next run bills the member back to its share", () => {
    const id = project("equal", 6_000_000, ["1480", "1481"]);
    runAndIssue();
    setBudget(a.scope.system, id, Y, { amount: 8_000_000 });
    const up = runAndIssue();
    const adjusted = up.issued.find((v) => v.memberId === a.member["1480"])!;
    creditInvoice(a.scope.system, adjusted.id, "Fel belopp");
    expect(netHeld(a, id, Y).get(a.member["1480"])).toBe(3_000_000);
    runAndIssue();
    expectSettled(id, 8_000_000);
  });

  test("a repeated adjustment would collide with the unique index rather than bill twice", () => {
    const id = project("equal", 2_000_000, ["1480", "1481"]);
    runAndIssue();
    setBudget(a.scope.system, id, Y, { amount: 3_000_000 });
    run(["project_share", "project_adjustment"]);
    const key = linesOf(id, "project_adjustment")[0].key;
    expect(() =>
      a
        .sqlite()
        .prepare(
          `INSERT INTO invoice_lines (invoice_id, position, charge_kind, charge_key, holds_charge, project_id, year, description, quantity, unit_price_ore, vat_rate, amount_ore, vat_ore)
           SELECT invoice_id, 9, charge_kind, charge_key, 1, project_id, year, description, 1, unit_price_ore, 0, amount_ore, 0 FROM invoice_lines WHERE charge_key = ?`,
        )
        .run(key),
    ).toThrow(/UNIQUE/);
  });

  test("utfall: the final cost becomes the shared amount and the adjustment run settles the difference", async () => {
    const { recordOutcome, projectYearMoney } = await import("../../app/features/projects/outcomes.server");
    const id = project("equal", 9_000_000, ["1480", "1481", "1402"]);
    runAndIssue();
    recordOutcome(a.scope.system, id, Y, { amount: 7_500_000 });
    expect(projectYearMoney(a.scope.system, id)).toEqual([
      {
        year: Y,
        budget: 9_000_000,
        outcome: 7_500_000,
        shared: 7_500_000,
        invoiced: 9_000_000,
        drafted: 0,
        open: -1_500_000,
      },
    ]);
    // The budget is then changed only as an outcome.
    expect(() => setBudget(a.scope.system, id, Y, { amount: 1 })).toThrow(/Utfallet för P-\d+ 2026 är registrerat/);
    const r = runAndIssue();
    expect(r.issued.filter((v) => v.kind === "credit_note")).toHaveLength(3);
    expectSettled(id, 7_500_000);
    expect(projectYearMoney(a.scope.system, id)[0].open).toBe(0);
  });
});
