import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { todayIso } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import type { Scope } from "../../db/scope";
import { association, type Association } from "../support/association";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { creditInvoice } from "../../app/features/invoices/credit.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { listInvoiceViews } from "../../app/features/invoices/queries.server";
import { overview } from "../../app/features/overview/queries.server";
import { registerPayment } from "../../app/features/payments/commands.server";

/*
 * The start page's figures against the data behind them, in-process on a fresh migrated SQLite file: three
 * municipalities of the three fee brackets and one per-capita project, billed, issued, paid in part and credited.
 */
const YEAR = 2026;
/** Payments are dated today (Swedish time): the app refuses a payment before the invoice date, today's issue. */
const today = () => todayIso();
let a: Association;
let m: Record<string, number>;
let scope: Scope;
let sqlite: Database.Database;

beforeAll(async () => {
  a = await association({
    municipalities: ["1438", "1481", "1480"],
    populationYear: 2025,
    users: false,
    prefix: "sambruk-overview-",
    settings: {
      name: "Testföreningen",
      orgNumber: generateOrgNumber("802400123"),
      postalCode: "111 22",
      email: "kansli@test.se",
      ourReference: "Kassören",
    },
    projects: [
      {
        code: "P-100",
        name: "E-arkiv",
        status: "open",
        allocationKey: "equal",
        budgets: { [YEAR]: "300000.00" },
        participants: ["1438", "1481", "1480"].map((member) => ({ member, joinedOn: "2026-01-01" })),
      },
    ],
  });
  m = { "Dals-Ed": a.member["1438"], Mölndal: a.member["1481"], Göteborg: a.member["1480"] };
  scope = a.scope.system;
  sqlite = a.sqlite();
});

afterAll(() => a?.close());

describe("overview", () => {
  test("before any run, everything owed for the year is unbilled, per kind", () => {
    const o = overview(scope, YEAR);
    // Annual fees by bracket (Dals-Ed small 8 000, Mölndal medium 16 000, Göteborg large 32 000) and the project.
    const byKind = Object.fromEntries(o.unbilled.byKind.map((k) => [k.kind, k]));
    expect(byKind.annual_fee).toMatchObject({ count: 3, amount: 5_600_000 });
    expect(byKind.project_share).toMatchObject({ count: 3, amount: 30_000_000 });
    expect(o.unbilled.count).toBe(6);
    expect(o.figures).toMatchObject({ invoiced: 0, paid: 0, open: 0, invoiceCount: 0 });
    expect(o.drafts).toBe(0);
  });

  test("after a run, drafts are counted and nothing is unbilled; after issuing, paying and crediting the sums follow", () => {
    const run = createBillingRun(scope, { year: YEAR, charges: ["annual_fee", "project_share"] });
    let o = overview(scope, YEAR);
    expect(o.drafts).toBe(3);
    expect(o.unbilled.count).toBe(0);
    expect(o.figures.invoiced).toBe(0); // drafts are not invoiced yet

    issueRun(scope, run.run!.id);
    const issued = listInvoiceViews(scope, { year: YEAR });
    const byMember = new Map(issued.map((v) => [v.memberId, v]));
    const dalsEd = byMember.get(m["Dals-Ed"])!;
    const molndal = byMember.get(m["Mölndal"])!;
    const goteborg = byMember.get(m["Göteborg"])!;
    expect(dalsEd.totalOre).toBe(800_000 + 10_000_000);
    registerPayment(scope, dalsEd.id, { amount: dalsEd.totalOre, paidOn: today() });
    registerPayment(scope, molndal.id, { amount: 500_000, paidOn: today() });
    creditInvoice(scope, goteborg.id, "Fel belopp");

    o = overview(scope, YEAR);
    expect(o.drafts).toBe(0);
    // Invoiced net of the credit note: Göteborg's invoice and its credit note cancel out.
    expect(o.figures.invoiced).toBe(dalsEd.totalOre + molndal.totalOre);
    expect(o.figures.invoiceCount).toBe(3);
    expect(o.figures.paid).toBe(dalsEd.totalOre + 500_000);
    expect(o.figures.open).toBe(molndal.totalOre - 500_000);
    // The credited charges are free again, so they are unbilled.
    expect(o.unbilled.count).toBe(2);
    expect(o.unbilled.amount).toBe(goteborg.totalOre);
    // Per year, fees and project shares net of the credit note; the budget beside them.
    const y = o.booked.find((b) => b.year === YEAR)!;
    expect(y).toEqual({ year: YEAR, fees: 800_000 + 1_600_000, projects: 20_000_000, budgets: 30_000_000 });
  });

  test("overdue counts issued invoices past their due date with a balance, and names the oldest", () => {
    const molndal = listInvoiceViews(scope, { year: YEAR }).find(
      (v) => v.memberId === m["Mölndal"] && v.kind === "invoice",
    )!;
    // Time passes: move the due date into the past rather than the clock.
    sqlite.prepare("UPDATE invoices SET due_date = '2026-02-14' WHERE id = ?").run(molndal.id);
    const o = overview(scope, YEAR);
    expect(o.overdue).toEqual({ count: 1, amount: molndal.totalOre - 500_000, oldestDueDate: "2026-02-14" });
  });
});
