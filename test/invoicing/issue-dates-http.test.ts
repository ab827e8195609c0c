import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addDays, todayIso, yearOf } from "../../billing/dates";
import { FOUR_MUNICIPALITIES } from "../support/association";
import { type Page, type Served, startServed, stopServed } from "../support/http";

/*
 * The invoice date and due date of an issue over HTTP, against the real server (docs/invoices.md#dates,
 * docs/api.md#billing-and-invoices): the run page's confirmation with the dates (without JavaScript: the date form is
 * a GET), the API's optional {issueDate, dueDate}, a message per field for dates that cannot be used, and the draft
 * page's own confirmation. Dates are relative to today.
 */
let ctx: Served;
let treasurer: Page;
const today = todayIso();
const nextYear = yearOf(today) + 1;
const ahead = addDays(today, 44);

const html = async (res: Response | Promise<Response>) => (await (await res).text()).replace(/<!-- -->/g, "");
const sql = <T>(query: string, ...params: unknown[]) =>
  ctx
    .sqlite()
    .prepare(query)
    .all(...params) as T[];

async function newRun(): Promise<number> {
  const res = await ctx.api.treasurer.post("/billing-runs", { year: nextYear, charges: ["annual_fee"] });
  if (res.status !== 201) throw new Error(`run: ${res.status} ${res.text}`);
  return res.json.id;
}

beforeAll(async () => {
  ctx = await startServed({
    municipalities: FOUR_MUNICIPALITIES,
    settings: { paymentTermsDays: 20, nextInvoiceNumber: 9001 },
    prefix: "sambruk-issue-dates-http-",
  });
  treasurer = ctx.page.treasurer;
});
afterAll(async () => {
  await stopServed(ctx);
});

describe("the run page: a confirmation with the dates", () => {
  let runId: number;

  test("the confirmation says how many invoices, the total and the default dates: today and today + 20 days", async () => {
    runId = await newRun();
    const page = await html(treasurer.get(`/billing/runs/${runId}?confirm=1`));
    expect(page).toContain("Utfärda 4 fakturor?");
    expect(page).toContain("72 000,00 kr");
    expect(page).toMatch(new RegExp(`<dt>Fakturadatum</dt><dd>${today} \\(i dag\\)</dd>`));
    expect(page).toContain(`<dt>Förfallodatum</dt><dd>${addDays(today, 20)} (20 dagar efter fakturadatum)</dd>`);
    expect(page).toContain(`<input type="hidden" name="issueDate" value="${today}"/>`);
    expect(page).toContain("Ja, utfärda 4 fakturor");
  });

  test("chosen dates are shown before anything is issued, and a due date before the invoice date is marked", async () => {
    const page = await html(treasurer.get(`/billing/runs/${runId}?confirm=1&issueDate=${ahead}&dueDate=`));
    expect(page).toContain(`<dt>Fakturadatum</dt><dd>${ahead}</dd>`);
    expect(page).toContain(`<dt>Förfallodatum</dt><dd>${addDays(ahead, 20)} (20 dagar efter fakturadatum)</dd>`);
    const bad = await html(
      treasurer.get(`/billing/runs/${runId}?confirm=1&issueDate=${ahead}&dueDate=${addDays(ahead, -3)}`),
    );
    expect(bad).toContain(`Förfallodatumet kan inte ligga före fakturadatumet (${ahead})`);
    expect(bad).toMatch(/id="f-dueDate"[^>]*aria-invalid="true"/);
    expect(bad).not.toContain("Ja, utfärda 4 fakturor"); // nothing to confirm with dates that cannot be used
    const garbled = await html(treasurer.get(`/billing/runs/${runId}?confirm=1&issueDate=15%2F1`));
    expect(garbled).toContain("Fakturadatumet ska vara ett datum ÅÅÅÅ-MM-DD");
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM invoices WHERE number IS NOT NULL")[0].n).toBe(0);
  });

  test("a posted date in the past is refused with the message next to the field, nothing issued", async () => {
    const res = await treasurer.post(`/billing/runs/${runId}?confirm=1`, {
      intent: "issue",
      issueDate: addDays(today, -1),
      dueDate: "",
    });
    expect(res.status).toBe(422);
    const page = (await res.text()).replace(/<!-- -->/g, "");
    expect(page).toContain(`Fakturadatumet kan inte ligga före i dag (${today})`);
    expect(page).toMatch(/id="f-issueDate"[^>]*aria-invalid="true"/);
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM invoices WHERE number IS NOT NULL")[0].n).toBe(0);
  });

  test("confirming issues every draft with the dates shown", async () => {
    const res = await treasurer.post(`/billing/runs/${runId}?confirm=1&issueDate=${ahead}`, {
      intent: "issue",
      issueDate: ahead,
      dueDate: addDays(ahead, 20),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/billing/runs/${runId}?issued=4`);
    const rows = sql<{ number: number; issueDate: string; dueDate: string }>(
      "SELECT number, issue_date AS issueDate, due_date AS dueDate FROM invoices WHERE run_id = ? ORDER BY number",
      runId,
    );
    expect(rows.map((r) => r.number)).toEqual([9001, 9002, 9003, 9004]);
    for (const r of rows) expect(r).toMatchObject({ issueDate: ahead, dueDate: addDays(ahead, 20) });
    const page = await html(treasurer.get(`/billing/runs/${runId}?issued=4`));
    expect(page).toContain("4 fakturor är utfärdade och numrerade.");
  });
});

describe("the API: POST /billing-runs/{id}/issue {issueDate?, dueDate?}", () => {
  test("refused dates answer 422 per field, an unknown field too, and nothing is issued", async () => {
    const { createBillingRun } = await import("../../app/features/billing-runs/commands.server");
    const run = createBillingRun(
      { userId: ctx.users.treasurer.id, email: "kassor@test.se", role: "treasurer", memberId: null },
      { year: yearOf(today), charges: ["annual_fee"] },
    );
    const id = run.run!.id;
    const before = sql<{ n: number }>("SELECT count(*) AS n FROM invoices WHERE number IS NOT NULL")[0].n;
    const early = await ctx.api.treasurer.post(`/billing-runs/${id}/issue`, { issueDate: today });
    expect(early.status).toBe(422);
    expect(early.json.error.code).toBe("validation_failed");
    expect(early.json.error.fields.issueDate).toBe(
      `Fakturadatumet kan inte ligga före ${ahead}: faktura 9004 har redan det datumet, och fakturanumren ska följa datumen. Välj ${ahead} eller senare.`,
    );
    const longTerms = await ctx.api.treasurer.post(`/billing-runs/${id}/issue`, {
      issueDate: ahead,
      dueDate: addDays(ahead, 121),
    });
    expect(longTerms.status).toBe(422);
    expect(longTerms.json.error.fields.dueDate).toMatch(/högst 120 dagar efter fakturadatumet/);
    const typo = await ctx.api.treasurer.post(`/billing-runs/${id}/issue`, { issueDate: "2027-02-30", due: "x" });
    expect(typo.status).toBe(422);
    expect(typo.json.error.fields).toEqual({
      issueDate: "Fakturadatumet ska vara ett datum ÅÅÅÅ-MM-DD",
      due: "Okänt fält",
    });
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM invoices WHERE number IS NOT NULL")[0].n).toBe(before);

    // The chosen dates, in the answer.
    const ok = await ctx.api.treasurer.post(`/billing-runs/${id}/issue`, {
      issueDate: addDays(ahead, 2),
      dueDate: addDays(ahead, 32),
    });
    expect(ok.status).toBe(200);
    expect(ok.json.invoices.length).toBeGreaterThan(0);
    for (const inv of ok.json.invoices) {
      expect(inv).toMatchObject({ issueDate: addDays(ahead, 2), dueDate: addDays(ahead, 32), status: "issued" });
    }
  });

  test("an empty body is today's issue as before (here: the latest date of the series, which is later)", async () => {
    const { createBillingRun } = {
      ...(await import("../../app/features/billing-runs/commands.server")),
      ...(await import("../../app/features/invoices/credit.server")),
      ...(await import("../../app/features/invoices/documents.server")),
      ...(await import("../../app/features/invoices/issue.server")),
      ...(await import("../../app/features/invoices/queries.server")),
      ...(await import("../../app/features/payments/commands.server")),
    };
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    // A credit frees a charge so that a new run has a draft to issue.
    const first = sql<{ id: number }>(
      "SELECT id FROM invoices WHERE year = ? AND kind = 'invoice' AND state = 'issued' ORDER BY id LIMIT 1",
      nextYear,
    )[0];
    expect((await ctx.api.treasurer.post(`/invoices/${first.id}/credit`, { reason: "Fel" })).status).toBe(201);
    const rerun = createBillingRun(SYSTEM_SCOPE, { year: nextYear, charges: ["annual_fee"] });
    const res = await ctx.api.treasurer.raw("POST", `/billing-runs/${rerun.run!.id}/issue`);
    expect(res.status).toBe(200);
    expect(res.json.invoices).toHaveLength(1);
    expect(res.json.invoices[0]).toMatchObject({ issueDate: addDays(ahead, 2), dueDate: addDays(ahead, 22) });
  });
});

describe("a single draft: its own confirmation with the dates", () => {
  test("?issue=1 shows the confirmation; posting the dates issues it with them", async () => {
    const { createBillingRun } = {
      ...(await import("../../app/features/billing-runs/commands.server")),
      ...(await import("../../app/features/invoices/credit.server")),
      ...(await import("../../app/features/invoices/documents.server")),
      ...(await import("../../app/features/invoices/issue.server")),
      ...(await import("../../app/features/invoices/queries.server")),
      ...(await import("../../app/features/payments/commands.server")),
    };
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    const first = sql<{ id: number }>(
      "SELECT id FROM invoices WHERE year = ? AND kind = 'invoice' AND state = 'issued' ORDER BY id LIMIT 1",
      nextYear,
    )[0];
    expect((await ctx.api.treasurer.post(`/invoices/${first.id}/credit`, { reason: "Fel igen" })).status).toBe(201);
    const run = createBillingRun(SYSTEM_SCOPE, { year: nextYear, charges: ["annual_fee"] });
    const draft = run.invoiceIds[0];
    const plain = await html(treasurer.get(`/invoices/${draft}`));
    expect(plain).toContain(`href="/invoices/${draft}?issue=1"`);
    expect(plain).not.toContain('data-testid="confirm-issue"');
    const latest = addDays(ahead, 2);
    const confirm = await html(treasurer.get(`/invoices/${draft}?issue=1`));
    expect(confirm).toContain("Utfärda 1 faktura?");
    expect(confirm).toContain(`<dt>Fakturadatum</dt><dd>${latest}</dd>`);
    expect(confirm).toContain(`Tidigast ${latest}: faktura`);
    const res = await treasurer.post(`/invoices/${draft}?issue=1`, {
      intent: "issue",
      issueDate: addDays(latest, 1),
      dueDate: addDays(latest, 10),
    });
    expect(res.status).toBe(302);
    const row = sql<{ state: string; issueDate: string; dueDate: string }>(
      "SELECT state, issue_date AS issueDate, due_date AS dueDate FROM invoices WHERE id = ?",
      draft,
    )[0];
    expect(row).toEqual({ state: "issued", issueDate: addDays(latest, 1), dueDate: addDays(latest, 10) });
  });
});
