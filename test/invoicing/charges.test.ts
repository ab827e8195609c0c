import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { perCapitaShares } from "../fixtures/invoice-document";
import { SYSTEM_SCOPE } from "../../db/scope";
import { BillingRunSchema } from "../../app/lib/billing-schemas";
import { MemberCreateSchema } from "../../app/lib/schemas";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { invoiceDocument } from "../../app/features/invoices/documents.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { invoiceJson } from "../../app/features/invoices/json.server";
import { listInvoiceViews } from "../../app/features/invoices/queries.server";
import { createMember } from "../../app/features/members/commands.server";
import {
  association,
  FOUR_MUNICIPALITIES,
  municipalOrgNumber,
  newMunicipality,
  type Association,
} from "../support/association";
import { answer, wire } from "../support/use-case";

/*
 * What a billing run charges, in-process (docs/population-basis.md, docs/membership.md, docs/allocation.md,
 * docs/invoices.md#billing-runs): project shares per capita with their basis and the appendix of every
 * participant's share, VAT at the configured rate, entry fees in the year of joining, members that cannot be
 * charged listed with the reason (never a silent 0), and new budgets billed on a later run. The invoices are
 * compared as the API serialises them (invoiceJson); the billing-run routes themselves: test/invoicing/api.test.ts.
 */
let ctx: Association;
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

/**
 * POST /billing-runs as the treasurer, as the route answers it: 201 with the drafts, or 200 and `id: null` when
 * there is nothing new (app/routes/api.v1.billing-runs.ts; its status codes are tested in test/invoicing/api.test.ts).
 */
async function billingRun(body: { year: number; charges: string[] }) {
  const result = createBillingRun(ctx.scope.treasurer, BillingRunSchema.parse(body));
  if (result.run === null) return { status: 200, json: wire({ id: null, invoices: [], problems: result.problems }) };
  const invoices = listInvoiceViews(SYSTEM_SCOPE, { runId: result.run.id }).map(invoiceJson);
  return { status: 201, json: wire({ id: result.run.id, invoices, problems: result.problems }) };
}
/** POST /billing-runs/{id}/issue as the treasurer. */
const issue = (runId: number) => answer(() => ({ invoices: issueRun(ctx.scope.treasurer, runId).map(invoiceJson) }));
/** POST /members as the board: the new member's id. */
const newMember = (body: Record<string, unknown>) => createMember(ctx.scope.admin, MemberCreateSchema.parse(body));

beforeAll(async () => {
  ctx = await association({
    municipalities: FOUR_MUNICIPALITIES,
    prefix: "sambruk-charges-",
    settings: { vatNumber: "SE802412334401", nextInvoiceNumber: 1, vatRateProjectShare: 25 },
    projects: [
      {
        code: "P-001",
        name: "E-arkiv",
        allocationKey: "per_capita",
        status: "open",
        budgets: { [YEAR]: "100000" },
        participants: ["1481", "1480", "1438"].map((member) => ({ member, joinedOn: "2024-01-01" })),
      },
    ],
  });
  projectId = ctx.project["P-001"];
});
afterAll(() => ctx?.close());

const byMember = (list: Invoice[], memberId: number) => list.find((i) => i.memberId === memberId)!;

describe("project shares", () => {
  let invoices: Invoice[];

  test("each participant gets its per-capita share with VAT at the project-share rate", async () => {
    const res = await billingRun({ year: YEAR, charges: ["project_share"] });
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
    const run = wire(listInvoiceViews(ctx.scope.treasurer, { year: YEAR }).map(invoiceJson))[0];
    const issued = await issue(run.runId);
    expect(issued.status).toBe(200);
    const molndal = byMember(issued.json.invoices, ctx.members.molndal);
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
    // The appendix is frozen once and shared by the three invoices that print it, and the three lines cite one
    // basis of the project-year (docs/invoices.md#how-lines-are-stored): two snapshots in all.
    const kinds = ctx
      .sqlite()
      .prepare(
        "SELECT sum(appendix IS NOT NULL) AS appendices, sum(basis IS NOT NULL) AS bases, count(*) AS n FROM allocation_snapshots",
      )
      .get();
    expect(kinds).toEqual({ appendices: 1, bases: 1, n: 2 });
    const cited = ctx
      .sqlite()
      .prepare(
        "SELECT count(DISTINCT allocation_snapshot_id) AS n FROM invoice_lines WHERE charge_kind = 'project_share'",
      )
      .get();
    expect(cited).toEqual({ n: 1 });
  });

  test("a new budget year is billed on a later run, the old one is not billed again", async () => {
    ctx.setBudget(projectId, 2026, "50000");
    const again = await billingRun({ year: YEAR, charges: ["project_share"] });
    expect(again.json.invoices).toEqual([]);
    const next = await billingRun({ year: 2026, charges: ["project_share"] });
    expect(next.json.invoices).toHaveLength(3);
  });
});

describe("members that cannot be charged", () => {
  test("a member without a population figure is listed with the reason and the rest of the run goes on", async () => {
    const created = newMember(
      newMunicipality({ joinedOn: "2024-05-01", population: undefined, orgNumber: municipalOrgNumber("14021") }),
    );
    const res = await billingRun({ year: YEAR, charges: ["annual_fee"] });
    expect(res.status).toBe(201);
    expect(res.json.problems).toEqual([
      { memberId: created.id, message: expect.stringContaining("Invånarantal saknas för 2024 eller tidigare") },
    ]);
    expect(res.json.invoices).toHaveLength(4);
    expect(res.json.invoices.some((i: Invoice) => i.memberId === created.id)).toBe(false);
  });

  test("an entry fee is charged in the year of joining, with that year's annual fee", async () => {
    const created = newMember(
      newMunicipality({
        name: "Lerums kommun",
        municipalityCode: "1441",
        orgNumber: municipalOrgNumber("14410"),
        joinedOn: "2025-03-01",
        population: { year: 2024, population: 43_000 },
      }),
    );
    const res = await billingRun({ year: YEAR, charges: ["entry_fee", "annual_fee"] });
    const lerum = byMember(res.json.invoices, created.id);
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
    ctx.setBudget(projectId, LATER, "60000");
    const run = await billingRun({ year: LATER, charges: ["project_share"] });
    expect(run.status).toBe(201);
    expect(run.json.invoices.length).toBeGreaterThan(0);

    // The board changes the budget after the drafts were made: the drafted shares no longer match the appendix.
    ctx.setBudget(projectId, LATER, "90000");
    const refused = await issue(run.json.id);
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
