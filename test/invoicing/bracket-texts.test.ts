import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FOUR_MUNICIPALITIES } from "../support/association";
import { type Page, type Served, startServed, stopServed } from "../support/http";

/*
 * The bracket texts come from the schedule in force for the year shown or invoiced (docs/fees.md#bracket-texts).
 * The board adds a 2027 schedule whose boundaries move (small up to 19 999, medium 20 000–199 999, large from
 * 200 000): the fee page, the member list and its filter, the member page and the invoice PDF of 2027 print the new
 * boundaries, and those of 2026 still print the 2005 ones. Mölndal (71 420 in 2024) is medium in both years.
 */
let ctx: Served;
let admin: Page;
const OLD = "10 000–100 000 invånare";
const NEW = "20 000–199 999 invånare";

/** The page's HTML without React's text separators, as the reader sees the sentences. */
const html = async (res: Response | Promise<Response>) => {
  const r = await res;
  expect(r.status).toBe(200);
  return (await r.text()).replace(/<!-- -->/g, "");
};

beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES, settings: true, prefix: "sambruk-bracket-texts-" });
  admin = ctx.page.admin;
  const created = await ctx.api.admin.post("/fee-schedules", {
    validFrom: 2027,
    note: "Stämmobeslut 2026: nya gränser",
    brackets: [
      { name: "small", minPopulation: 0, entryFee: "6000", annualFee: "9000" },
      { name: "medium", minPopulation: 20_000, entryFee: "12000", annualFee: "18000" },
      { name: "large", label: "Storstäder", minPopulation: 200_000, entryFee: "24000", annualFee: "36000" },
    ],
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await stopServed(ctx);
});

describe("the fee pages", () => {
  test("/fees of 2027 prints the moved boundaries per bracket and per member; 2026 the old ones", async () => {
    const next = await html(admin.get("/fees?year=2027"));
    expect(next).toContain("0–19 999 invånare");
    expect(next).toContain(NEW);
    expect(next).toContain("200 000 invånare eller fler");
    expect(next).toContain(`Mellan (${NEW})`);
    expect(next).not.toContain(OLD);
    expect(next).not.toContain("fler än 100 000");

    const now = await html(admin.get("/fees?year=2026"));
    expect(now).toContain("0–9 999 invånare");
    expect(now).toContain(`Mellan (${OLD})`);
    expect(now).toContain("fler än 100 000 invånare");
    expect(now).not.toContain(NEW);
  });

  test("/fee-schedules prints each schedule's own boundaries and labels a bracket without one by them", async () => {
    const page = await html(admin.get("/fee-schedules"));
    expect(page).toContain(NEW);
    expect(page).toContain(OLD);
    // The 2027 medium bracket was given no label: its label is its boundaries, not the 2005 text.
    const schedules = (await ctx.api.admin.get("/fee-schedules")).json.schedules;
    expect(schedules[1].brackets.map((b: { label: string }) => b.label)).toEqual([
      "0–19 999 invånare",
      NEW,
      "Storstäder",
    ]);
  });
});

describe("the member list and the member page", () => {
  test("the bracket column and the filter of 2027 name the moved boundaries; 2026 the old ones", async () => {
    const next = await html(admin.get("/members?year=2027"));
    expect(next).toContain(`<option value="medium">Mellan (${NEW})</option>`);
    expect(next).toContain(`<option value="small">Liten (0–19 999 invånare)</option>`);
    expect(next).toContain(`<option value="large">Stor (200 000 invånare eller fler)</option>`);
    expect(next).toContain(`<option value="override">Styrelsebeslut</option>`);
    expect(next).not.toContain(OLD);

    const now = await html(admin.get("/members?year=2026"));
    expect(now).toContain(`<option value="medium">Mellan (${OLD})</option>`);
    expect(now).toContain(`<td>Mellan (${OLD})`);
    expect(now).not.toContain(NEW);
  });

  test("the filter keeps the members of the chosen bracket of the year's schedule", async () => {
    const next = await html(admin.get("/members?year=2027&bracket=medium"));
    expect(next).toContain("Mölndal");
    expect(next).not.toContain("Dals-Ed");
    expect(next).toContain(`<td>Mellan (${NEW})`);
  });

  test("the member page shows the bracket of the year chosen with that year's boundaries", async () => {
    const next = await html(admin.get(`/members/${ctx.members.molndal}?year=2027`));
    expect(next).toMatch(new RegExp(`data-testid="bracket">Mellan \\(${NEW}\\)<`));
    const now = await html(admin.get(`/members/${ctx.members.molndal}?year=2026`));
    expect(now).toMatch(new RegExp(`data-testid="bracket">Mellan \\(${OLD}\\)<`));
  });
});

describe("the invoice PDF", () => {
  async function issueAnnualFees(year: number): Promise<Array<{ id: number; memberId: number }>> {
    const run = await ctx.api.treasurer.post("/billing-runs", { year, charges: ["annual_fee"] });
    expect(run.status).toBe(201);
    const issued = await ctx.api.treasurer.post(`/billing-runs/${run.json.id}/issue`);
    expect(issued.status).toBe(200);
    return issued.json.invoices;
  }

  async function pdfText(invoiceId: number, name: string): Promise<string> {
    const res = await fetch(`${ctx.server.url}/api/v1/invoices/${invoiceId}/pdf`, {
      headers: { Authorization: `Bearer ${ctx.token.treasurer}` },
    });
    expect(res.status).toBe(200);
    const file = path.join(ctx.server.dir, name);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    // Without -layout: the basis text is one wrapped paragraph, its words in reading order.
    return execFileSync("pdftotext", [file, "-"]).toString().replace(/\s+/g, " ");
  }

  let molndal2026: number;
  test("a 2027 invoice prints the moved boundaries, a 2026 invoice the old ones", async () => {
    molndal2026 = (await issueAnnualFees(2026)).find((i) => i.memberId === ctx.members.molndal)!.id;
    const molndal2027 = (await issueAnnualFees(2027)).find((i) => i.memberId === ctx.members.molndal)!.id;
    const next = await pdfText(molndal2027, "2027.pdf");
    expect(next).toContain(`Avgiftsklass: ${NEW}`);
    expect(next).toContain("18 000,00 kr");
    expect(next).not.toContain(OLD);
    const now = await pdfText(molndal2026, "2026.pdf");
    expect(now).toContain(`Avgiftsklass: ${OLD}`);
    expect(now).toContain("16 000,00 kr");
    expect(now).not.toContain(NEW);
  });

  test("a document frozen before lines recorded their bracket's range prints that year's boundaries", async () => {
    const sqlite = ctx.sqlite();
    const row = sqlite.prepare("SELECT document FROM invoices WHERE id = ?").get(molndal2026) as { document: string };
    const doc = JSON.parse(row.document);
    expect(doc.lines[0].feeBasis.range).toEqual({ min: 10_000, max: 100_000 });
    delete doc.lines[0].feeBasis.range;
    sqlite.prepare("UPDATE invoices SET document = ? WHERE id = ?").run(JSON.stringify(doc), molndal2026);
    expect(await pdfText(molndal2026, "legacy.pdf")).toContain(`Avgiftsklass: ${OLD}`);
  });
});

describe("the invoice page", () => {
  type Listed = { id: number; status: string; year: number };
  async function molndalInvoices(year: number): Promise<Listed[]> {
    const res = await ctx.api.treasurer.get(`/invoices?year=${year}&memberId=${ctx.members.molndal}`);
    expect(res.status).toBe(200);
    return res.json.invoices as Listed[];
  }

  test("a draft names the bracket with the boundaries of the schedule in force for its year", async () => {
    const run = await ctx.api.treasurer.post("/billing-runs", { year: 2028, charges: ["annual_fee"] });
    expect(run.status).toBe(201);
    const draft = (await molndalInvoices(2028)).find((i) => i.status === "draft");
    expect(draft).toBeDefined();
    const page = await html(admin.get(`/invoices/${draft!.id}`));
    expect(page).toContain(`Avgiftsklass Mellan (${NEW})`);
    expect(page).not.toContain(OLD);
  });

  test("an issued invoice page names the boundaries of its year: 2027 the moved ones, 2026 the 2005 ones", async () => {
    const [next] = (await molndalInvoices(2027)).filter((i) => i.status !== "draft");
    const [now] = (await molndalInvoices(2026)).filter((i) => i.status !== "draft");
    const nextPage = await html(admin.get(`/invoices/${next.id}`));
    expect(nextPage).toContain(`Avgiftsklass Mellan (${NEW})`);
    expect(nextPage).not.toContain(OLD);
    const nowPage = await html(admin.get(`/invoices/${now.id}`));
    expect(nowPage).toContain(`Avgiftsklass Mellan (${OLD})`);
    expect(nowPage).not.toContain(NEW);
  });
});
