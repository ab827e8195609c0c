import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { association, type Association } from "../support/association";
import { serve, type Http } from "../support/http";

/* The API rows of adjustments, settlement and frozen fees through the real server: routing, roles, status, JSON. */
let a: Association;
let h: Http;
const Y = 2026;

beforeAll(async () => {
  a = await association({ organisation: true });
  h = await serve(a);
  const res = await h.api.treasurer.put("/settings", {
    name: "Intresseföreningen för Sambruk",
    orgNumber: "802412-3344",
    street: "Box 1",
    postalCode: "111 11",
    city: "Stockholm",
    email: "kansli@sambruk.example.se",
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: 2026001,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
  });
  if (res.status !== 200) {
    const { saveSettings } = await import("../../app/features/settings/commands.server");
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    saveSettings(SYSTEM_SCOPE, {
      name: "Intresseföreningen för Sambruk",
      orgNumber: "802412-3344",
      vatNumber: null,
      street: "Box 1",
      postalCode: "111 11",
      city: "Stockholm",
      email: "kansli@sambruk.example.se",
      phone: null,
      bankgiro: "5050-1055",
      paymentTermsDays: 30,
      nextInvoiceNumber: 2026001,
      ourReference: "Kim Kassör",
      vatRateEntryFee: 0,
      vatRateAnnualFee: 0,
      vatRateProjectShare: 0,
      vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
      footer: "",
    } as never);
  }
}, 60_000);

afterAll(async () => {
  await h?.stop();
  a?.close();
});

describe("POST /billing-runs with project_adjustment", () => {
  test("a changed project-year without project_adjustment is a problem of the whole project-year; with it, adjustments", async () => {
    const id = a.addProject({ code: "P-003", allocationKey: "equal", status: "open" });
    a.setBudget(id, Y, "90000.00");
    for (const code of ["1480", "1481"]) a.addParticipant(id, a.member[code], "2026-01-01");
    const first = await h.api.treasurer.post("/billing-runs", { year: Y, charges: ["project_share"] });
    expect(first.status).toBe(201);
    expect((await h.api.treasurer.post(`/billing-runs/${first.json.id}/issue`)).status).toBe(200);
    a.addParticipant(id, a.member["1402"], "2026-12-01");

    const without = await h.api.treasurer.post("/billing-runs", { year: Y, charges: ["project_share"] });
    expect(without.status).toBe(200);
    expect(without.json.id).toBeNull();
    expect(without.json.problems).toEqual([
      expect.objectContaining({ projectId: id, memberId: null, message: expect.stringMatching(/P-003 2026/) }),
    ]);

    const withAdj = await h.api.treasurer.post("/billing-runs", {
      year: Y,
      charges: ["project_share", "project_adjustment"],
    });
    expect(withAdj.status).toBe(201);
    const lines = withAdj.json.invoices.flatMap((i: { lines: Array<{ charge: string; amount: string }> }) => i.lines);
    expect(
      lines
        .filter((l: { charge: string }) => l.charge === "project_adjustment")
        .map((l: { amount: string }) => l.amount),
    ).toEqual(["-15000.00", "-15000.00"]);
    expect(lines.find((l: { charge: string }) => l.charge === "project_share").amount).toBe("30000.00");
    const issued = await h.api.treasurer.post(`/billing-runs/${withAdj.json.id}/issue`);
    const kinds = issued.json.invoices.map((i: { kind: string; total: string }) => `${i.kind}:${i.total}`).sort();
    expect(kinds).toEqual(["credit_note:-15000.00", "credit_note:-15000.00", "invoice:30000.00"]);
  });

  test("an unknown charge kind is refused with 422 naming the kinds", async () => {
    const res = await h.api.treasurer.post("/billing-runs", { year: Y, charges: ["project_refund"] });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.json.error)).toContain("project_adjustment");
  });
});

describe("PUT /projects/{id}/outcomes/{year}", () => {
  test("the board records the outcome: 200 with budget and outcome; others 403; a year without budget 409", async () => {
    const id = a.addProject({ code: "P-010", allocationKey: "equal", status: "open" });
    a.setBudget(id, Y, "50000.00");
    const ok = await h.api.admin.put(`/projects/${id}/outcomes/${Y}`, { amount: "42000.50" });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ year: Y, budget: "50000.00", outcome: "42000.50" });
    expect((await h.api.treasurer.put(`/projects/${id}/outcomes/${Y}`, { amount: "1.00" })).status).toBe(403);
    expect((await h.api.admin.put(`/projects/${id}/outcomes/2031`, { amount: "1.00" })).status).toBe(409);
    const budget = await h.api.admin.put(`/projects/${id}/budgets/${Y}`, { amount: "2.00" });
    expect(budget.status).toBe(409);
  });
});

describe("fee schedules frozen once used", () => {
  test("POST for an issued year → 409 naming it; PUT and DELETE of an unused schedule work", async () => {
    const run = await h.api.treasurer.post("/billing-runs", { year: Y, charges: ["annual_fee"] });
    await h.api.treasurer.post(`/billing-runs/${run.json.id}/issue`);
    const brackets = [
      { name: "small", minPopulation: 0, entryFee: "5000.00", annualFee: "9000.00" },
      { name: "large", minPopulation: 10000, entryFee: "10000.00", annualFee: "18000.00" },
    ];
    const frozen = await h.api.admin.post("/fee-schedules", { validFrom: Y, brackets });
    expect(frozen.status).toBe(409);
    expect(frozen.json.error.message).toContain("Avgifterna för 2026 är redan fakturerade");
    const created = await h.api.admin.post("/fee-schedules", { validFrom: Y + 1, brackets });
    expect(created.status).toBe(201);
    const edited = await h.api.admin.put(`/fee-schedules/${created.json.id}`, {
      validFrom: Y + 1,
      brackets: [{ ...brackets[0], annualFee: "9500.00" }, brackets[1]],
    });
    expect(edited.status).toBe(200);
    expect(edited.json.brackets[0].annualFee).toBe("9500.00");
    expect((await h.api.treasurer.delete(`/fee-schedules/${edited.json.id}`)).status).toBe(403);
    expect((await h.api.admin.delete(`/fee-schedules/${edited.json.id}`)).status).toBe(204);
    expect(
      (await h.api.admin.get("/fee-schedules")).json.schedules.map((s: { validFrom: number }) => s.validFrom),
    ).toEqual([2005]);
  });
});
