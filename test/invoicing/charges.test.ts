import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { perCapitaShares } from "../fixtures/invoice-document";
import { FOUR_MUNICIPALITIES, municipalOrgNumber, newMunicipality } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";
import { invoiceDocument } from "../../app/features/invoices/documents.server";
import { saveSettings } from "../../app/features/settings/commands.server";

/*
 * What a billing run charges (docs/population-basis.md, docs/membership.md, docs/allocation.md, docs/invoices.md#billing-runs): project shares per capita with their basis and the appendix of
 * every participant's share, VAT at the configured rate, entry fees in the year of joining, members that cannot
 * be charged listed with the reason (never a silent 0), and new budgets billed on a later run.
 */
let ctx: Served;
const YEAR = 2025;
let projectId: number;

type Line = {
  charge: string;
  projectId: number | null;
  amount: string;
  vatRate: number;
  vat: string;
  description: string;
};
type Invoice = { id: number; memberId: number; lines: Line[]; total: string; number: number | null };

beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  saveSettings(SYSTEM_SCOPE, {
    name: "Intresseföreningen för Sambruk",
    orgNumber: "802412-3344",
    vatNumber: "SE802412334401",
    street: "Box 1",
    postalCode: "111 11",
    city: "Stockholm",
    email: "kansli@sambruk.example.se",
    phone: null,
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: 1,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 25,
    vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
    footer: "",
  });
  const project = await ctx.api.admin.post("/projects", {
    code: "P-001",
    name: "E-arkiv",
    allocationKey: "per_capita",
    status: "open",
  });
  expect(project.status).toBe(201);
  projectId = project.json.id;
  expect((await ctx.api.admin.put(`/projects/${projectId}/budgets/${YEAR}`, { amount: "100000" })).status).toBe(200);
  for (const memberId of [ctx.members.molndal, ctx.members.goteborg, ctx.members.dalsEd]) {
    const res = await ctx.api.admin.post(`/projects/${projectId}/participants`, { memberId, joinedOn: "2024-01-01" });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await stopServed(ctx);
});

const byMember = (list: Invoice[], memberId: number) => list.find((i) => i.memberId === memberId)!;

describe("project shares", () => {
  let invoices: Invoice[];

  test("each participant gets its per-capita share with VAT at the project-share rate", async () => {
    const res = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["project_share"] });
    expect(res.status).toBe(201);
    invoices = res.json.invoices;
    expect(invoices.map((i) => i.memberId).sort()).toEqual(
      [ctx.members.dalsEd, ctx.members.goteborg, ctx.members.molndal].sort(),
    );
    const expected = perCapitaShares(10_000_000, [
      { code: "1438", memberName: "Dals-Ed kommun", population: 4606 },
      { code: "1480", memberName: "Göteborg kommun", population: 608993 },
      { code: "1481", memberName: "Mölndal kommun", population: 71420 },
    ]);
    const molndal = byMember(invoices, ctx.members.molndal);
    const share = expected.get("1481")!;
    expect(molndal.lines).toHaveLength(1);
    expect(molndal.lines[0]).toMatchObject({
      charge: "project_share",
      projectId,
      vatRate: 25,
      amount: (share / 100).toFixed(2),
    });
    const vat = Math.round((share * 25) / 100); // share × 0.25 has at most two decimals of öre here; checked exactly in the unit tests
    expect(molndal.lines[0].vat).toBe((vat / 100).toFixed(2));
    const sum = invoices.reduce((n, i) => n + Math.round(Number(i.lines[0].amount) * 100), 0);
    expect(sum).toBe(10_000_000);
  });

  test("the issued document carries the share's basis and the appendix of every participant", async () => {
    const run = (await ctx.api.treasurer.get(`/invoices?year=${YEAR}`)).json.invoices[0];
    const issue = await ctx.api.treasurer.post(`/billing-runs/${run.runId}/issue`);
    expect(issue.status).toBe(200);
    const molndal = byMember(issue.json.invoices, ctx.members.molndal);
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    const doc = invoiceDocument(SYSTEM_SCOPE, molndal.id)!;
    expect(doc.lines[0].shareBasis).toMatchObject({
      projectCode: "P-001",
      projectName: "E-arkiv",
      year: YEAR,
      allocationKey: "per_capita",
      budget: 10_000_000,
      participantCount: 3,
      population: 71420,
      populationYear: 2024,
      totalPopulation: 4606 + 608993 + 71420,
    });
    expect(doc.vatSummary).toEqual([{ rate: 25, base: doc.net, vat: doc.vat, exemptionText: null }]);
    expect(doc.seller.vatNumber).toBe("SE802412334401");
    expect(doc.appendices).toHaveLength(1);
    expect(doc.appendices[0].rows.map((r) => r.memberName)).toEqual([
      "Dals-Ed kommun",
      "Göteborg kommun",
      "Mölndal kommun",
    ]);
    expect(doc.appendices[0].rows.reduce((n, r) => n + r.share, 0)).toBe(10_000_000);
    // The appendix is frozen once and shared by the three invoices that print it.
    expect(ctx.count("allocation_snapshots")).toBe(1);
  });

  test("a new budget year is billed on a later run, the old one is not billed again", async () => {
    expect((await ctx.api.admin.put(`/projects/${projectId}/budgets/2026`, { amount: "50000" })).status).toBe(200);
    const again = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["project_share"] });
    expect(again.json.invoices).toEqual([]);
    const next = await ctx.api.treasurer.post("/billing-runs", { year: 2026, charges: ["project_share"] });
    expect(next.json.invoices).toHaveLength(3);
  });
});

describe("members that cannot be charged", () => {
  test("a member without a population figure is listed with the reason and the rest of the run goes on", async () => {
    const created = await ctx.api.admin.post(
      "/members",
      newMunicipality({ joinedOn: "2024-05-01", population: undefined, orgNumber: municipalOrgNumber("14021") }),
    );
    expect(created.status).toBe(201);
    const res = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["annual_fee"] });
    expect(res.status).toBe(201);
    expect(res.json.problems).toEqual([
      { memberId: created.json.id, message: expect.stringContaining("Invånarantal saknas för 2024 eller tidigare") },
    ]);
    expect(res.json.invoices).toHaveLength(4);
    expect(res.json.invoices.some((i: Invoice) => i.memberId === created.json.id)).toBe(false);
  });

  test("an entry fee is charged in the year of joining, with that year's annual fee", async () => {
    const created = await ctx.api.admin.post(
      "/members",
      newMunicipality({
        name: "Lerums kommun",
        municipalityCode: "1441",
        orgNumber: municipalOrgNumber("14410"),
        joinedOn: "2025-03-01",
        population: { year: 2024, population: 43_000 },
      }),
    );
    expect(created.status).toBe(201);
    const res = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["entry_fee", "annual_fee"] });
    const lerum = byMember(res.json.invoices, created.json.id);
    expect(lerum.lines.map((l) => [l.charge, l.amount])).toEqual([
      ["entry_fee", "10000.00"],
      ["annual_fee", "16000.00"],
    ]);
    expect(lerum.total).toBe("26000.00");
  });
});

describe("a draft whose project-year changed before issue", () => {
  const LATER = YEAR + 2; // YEAR + 1 is billed by the tests above

  test("is refused with a message naming the project, and nothing is numbered", async () => {
    expect((await ctx.api.admin.put(`/projects/${projectId}/budgets/${LATER}`, { amount: "60000" })).status).toBe(200);
    const run = await ctx.api.treasurer.post("/billing-runs", { year: LATER, charges: ["project_share"] });
    expect(run.status).toBe(201);
    expect(run.json.invoices.length).toBeGreaterThan(0);

    // The board changes the budget after the drafts were made: the drafted shares no longer match the appendix.
    expect((await ctx.api.admin.put(`/projects/${projectId}/budgets/${LATER}`, { amount: "90000" })).status).toBe(200);
    const refused = await ctx.api.treasurer.post(`/billing-runs/${run.json.id}/issue`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("stale_draft");
    expect(refused.json.error.message).toContain(`P-001 E-arkiv ${LATER} har ändrats`);
    const numbered = ctx
      .sqlite()
      .prepare("SELECT count(*) AS n FROM invoices WHERE run_id = ? AND number IS NOT NULL")
      .get(run.json.id) as { n: number };
    expect(numbered.n).toBe(0);
  });
});
