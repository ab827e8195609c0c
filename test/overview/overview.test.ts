import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { todayIso } from "../../billing/dates";

/*
 * The start page's figures against the data behind them, in-process on a fresh migrated SQLite file: three
 * municipalities of the three fee brackets and one per-capita project, billed, issued, paid in part and credited.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-overview-"));
process.env.DATABASE_PATH = path.join(dir, "test.db");

const YEAR = 2026;
/** Payments are dated today (Swedish time): the app refuses a payment before the invoice date, today's issue. */
const today = () => todayIso();
let m: Record<string, number>;
let svc: typeof import("../../app/features/overview/queries.server");
let billing: typeof import("../../app/features/billing-runs/commands.server") &
  typeof import("../../app/features/invoices/credit.server") &
  typeof import("../../app/features/invoices/documents.server") &
  typeof import("../../app/features/invoices/drafts.server") &
  typeof import("../../app/features/invoices/issue.server") &
  typeof import("../../app/features/invoices/queries.server") &
  typeof import("../../app/features/invoices/reminders.server") &
  typeof import("../../app/features/payments/commands.server");
let scope: import("../../db/scope").Scope;
let sqlite: import("better-sqlite3").Database;

beforeAll(async () => {
  const seed = await import("../helpers/seed");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const { saveSettings, DEFAULT_EXEMPTION_TEXT } = {
    ...(await import("../../app/features/settings/commands.server")),
    ...(await import("../../app/features/settings/queries.server")),
  };
  const projects = {
    ...(await import("../../app/features/projects/allocation.server")),
    ...(await import("../../app/features/projects/commands.server")),
    ...(await import("../../app/features/projects/participants.server")),
    ...(await import("../../app/features/projects/queries.server")),
    ...(await import("../../app/features/projects/shares.server")),
  };
  const { generateOrgNumber } = await import("../../billing/identifiers");
  const { connection } = await import("../../db/client");
  svc = await import("../../app/features/overview/queries.server");
  billing = {
    ...(await import("../../app/features/billing-runs/commands.server")),
    ...(await import("../../app/features/invoices/credit.server")),
    ...(await import("../../app/features/invoices/documents.server")),
    ...(await import("../../app/features/invoices/drafts.server")),
    ...(await import("../../app/features/invoices/issue.server")),
    ...(await import("../../app/features/invoices/queries.server")),
    ...(await import("../../app/features/invoices/reminders.server")),
    ...(await import("../../app/features/payments/commands.server")),
  };
  scope = SYSTEM_SCOPE;
  sqlite = connection().sqlite;

  const all = seed.referenceMunicipalities();
  const pick = (name: string) => all.find((x) => x.name === name)!;
  m = {};
  for (const name of ["Dals-Ed", "Mölndal", "Göteborg"])
    m[name] = seed.seedMunicipality(pick(name), { populationYear: 2025 }).id;
  saveSettings(SYSTEM_SCOPE, {
    name: "Testföreningen",
    orgNumber: generateOrgNumber("802400123"),
    vatNumber: null,
    street: "Box 1",
    postalCode: "111 22",
    city: "Stockholm",
    email: "kansli@test.se",
    phone: null,
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: 2026001,
    ourReference: "Kassören",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: DEFAULT_EXEMPTION_TEXT,
    footer: "",
  });
  const p = projects.createProject(SYSTEM_SCOPE, {
    code: "P-100",
    name: "E-arkiv",
    status: "open",
    allocationKey: "equal",
  });
  for (const id of Object.values(m))
    projects.addParticipant(SYSTEM_SCOPE, p.id, { memberId: id, joinedOn: "2026-01-01" });
  projects.setBudget(SYSTEM_SCOPE, p.id, YEAR, { amount: 30_000_000 });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("overview", () => {
  test("before any run, everything owed for the year is unbilled, per kind", () => {
    const o = svc.overview(scope, YEAR);
    // Annual fees by bracket (Dals-Ed small 8 000, Mölndal medium 16 000, Göteborg large 32 000) and the project.
    const byKind = Object.fromEntries(o.unbilled.byKind.map((k) => [k.kind, k]));
    expect(byKind.annual_fee).toMatchObject({ count: 3, amount: 5_600_000 });
    expect(byKind.project_share).toMatchObject({ count: 3, amount: 30_000_000 });
    expect(o.unbilled.count).toBe(6);
    expect(o.figures).toMatchObject({ invoiced: 0, paid: 0, open: 0, invoiceCount: 0 });
    expect(o.drafts).toBe(0);
  });

  test("after a run, drafts are counted and nothing is unbilled; after issuing, paying and crediting the sums follow", () => {
    const run = billing.createBillingRun(scope, { year: YEAR, charges: ["annual_fee", "project_share"] });
    let o = svc.overview(scope, YEAR);
    expect(o.drafts).toBe(3);
    expect(o.unbilled.count).toBe(0);
    expect(o.figures.invoiced).toBe(0); // drafts are not invoiced yet

    billing.issueRun(scope, run.run!.id);
    const issued = billing.listInvoiceViews(scope, { year: YEAR });
    const byMember = new Map(issued.map((v) => [v.memberId, v]));
    const dalsEd = byMember.get(m["Dals-Ed"])!;
    const molndal = byMember.get(m["Mölndal"])!;
    const goteborg = byMember.get(m["Göteborg"])!;
    expect(dalsEd.totalOre).toBe(800_000 + 10_000_000);
    billing.registerPayment(scope, dalsEd.id, { amount: dalsEd.totalOre, paidOn: today() });
    billing.registerPayment(scope, molndal.id, { amount: 500_000, paidOn: today() });
    billing.creditInvoice(scope, goteborg.id, "Fel belopp");

    o = svc.overview(scope, YEAR);
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
    const molndal = billing
      .listInvoiceViews(scope, { year: YEAR })
      .find((v) => v.memberId === m["Mölndal"] && v.kind === "invoice")!;
    // Time passes: move the due date into the past rather than the clock.
    sqlite.prepare("UPDATE invoices SET due_date = '2026-02-14' WHERE id = ?").run(molndal.id);
    const o = svc.overview(scope, YEAR);
    expect(o.overdue).toEqual({ count: 1, amount: molndal.totalOre - 500_000, oldestDueDate: "2026-02-14" });
  });
});
