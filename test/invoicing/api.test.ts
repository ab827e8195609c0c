import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { validateOcr } from "../../billing/ocr";
import { FOUR_MUNICIPALITIES } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";

/*
 * Invoicing over the API (docs/invoices.md, docs/api.md#billing-and-invoices) against the real server and a fresh SQLite file: billing runs, gapless
 * numbering under concurrent issue requests, the database refusing a charge twice, payments, credit notes,
 * overdue invoices and who may see what. Billing year 2025 uses the seeded 2024 populations: Dals-Ed small
 * (8 000 kr), Mölndal and Botkyrka medium (16 000 kr), Göteborg large (32 000 kr).
 */
let ctx: Served;
const YEAR = 2025;
const FIRST_NUMBER = 2025001;

type Invoice = {
  id: number;
  number: number | null;
  status: string;
  memberId: number;
  year: number;
  issueDate: string | null;
  dueDate: string | null;
  ocr: string | null;
  creditedInvoiceId: number | null;
  overdue: boolean;
  lines: Array<{
    charge: string;
    description: string;
    amount: string;
    unitPrice: string;
    vatRate: number;
    quantity: number;
  }>;
  total: string;
  paid: string;
  balance: string;
};

async function saveSettings() {
  process.env.DATABASE_PATH = ctx.server.dbPath;
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
    nextInvoiceNumber: FIRST_NUMBER,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
    footer: "",
  });
}

function sql<T = unknown>(query: string, ...params: unknown[]): T[] {
  return ctx
    .sqlite()
    .prepare(query)
    .all(...params) as T[];
}

beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
});
afterAll(async () => {
  await stopServed(ctx);
});

let runId: number;
let issued: Invoice[];
const byMember = (list: Invoice[], memberId: number) => {
  const found = list.find((i) => i.memberId === memberId);
  if (!found) throw new Error(`no invoice for member ${memberId} in ${JSON.stringify(list)}`);
  return found;
};

describe("a billing run", () => {
  test("makes one draft per member active in the year, one line per charge, without numbers", async () => {
    const res = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["annual_fee", "entry_fee"] });
    expect(res.status).toBe(201);
    runId = res.json.id;
    expect(res.json.year).toBe(YEAR);
    expect(res.json.problems).toEqual([]);
    const invoices = res.json.invoices as Invoice[];
    expect(invoices).toHaveLength(4);
    const molndal = byMember(invoices, ctx.members.molndal);
    expect(molndal).toMatchObject({
      status: "draft",
      number: null,
      issueDate: null,
      dueDate: null,
      ocr: null,
      year: YEAR,
      total: "16000.00",
    });
    expect(molndal.lines).toEqual([
      expect.objectContaining({
        charge: "annual_fee",
        description: "Årsavgift 2025",
        quantity: 1,
        unitPrice: "16000.00",
        vatRate: 0,
        amount: "16000.00",
      }),
    ]);
    expect(byMember(invoices, ctx.members.goteborg).total).toBe("32000.00");
    expect(byMember(invoices, ctx.members.dalsEd).total).toBe("8000.00");
  });

  test("issuing is refused until the association's settings exist, pointing to /settings", async () => {
    const res = await ctx.api.treasurer.post(`/billing-runs/${runId}/issue`);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("settings_missing");
    expect(res.json.error.message).toContain("/settings");
    expect(sql("SELECT id FROM invoices WHERE number IS NOT NULL")).toHaveLength(0);
  });

  test("the board reads but may not run billing; a member user may not either", async () => {
    expect((await ctx.api.admin.post("/billing-runs", { year: YEAR, charges: ["annual_fee"] })).status).toBe(403);
    expect((await ctx.api.member.post("/billing-runs", { year: YEAR, charges: ["annual_fee"] })).status).toBe(403);
    expect((await ctx.api.anonymous.post("/billing-runs", { year: YEAR, charges: ["annual_fee"] })).status).toBe(401);
    expect((await ctx.api.admin.post(`/billing-runs/${runId}/issue`)).status).toBe(403);
  });

  test("bad input answers 422 with a message per field", async () => {
    const res = await ctx.api.treasurer.post("/billing-runs", { year: "tjugo", charges: ["annual_fee", "lunch"] });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.error.fields).sort()).toEqual(["charges.1", "year"]);
    const empty = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: [] });
    expect(empty.status).toBe(422);
    expect(empty.json.error.fields.charges).toBe("Välj minst ett avgiftsslag");
    expect((await ctx.api.treasurer.post("/billing-runs", "{not json")).status).toBe(400);
  });
});

describe("issuing", () => {
  test("ten concurrent issue requests number the run once: no duplicate, no gap, no 5xx", async () => {
    await saveSettings();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => ctx.api.treasurer.post(`/billing-runs/${runId}/issue`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    for (const a of answers)
      expect((a.json.invoices as Invoice[]).map((i) => i.number).sort()).toEqual([2025001, 2025002, 2025003, 2025004]);
    const numbers = sql<{ number: number }>("SELECT number FROM invoices WHERE number IS NOT NULL ORDER BY number").map(
      (r) => r.number,
    );
    expect(numbers).toEqual([2025001, 2025002, 2025003, 2025004]);
    const settings = sql<{ next: number }>("SELECT next_invoice_number AS next FROM settings")[0];
    expect(settings.next).toBe(2025005);
    issued = answers[0].json.invoices;
  });

  test("numbers follow member names; dates, terms and OCR are set; the document is frozen", async () => {
    const names = ["Botkyrka kommun", "Dals-Ed kommun", "Göteborg kommun", "Mölndal kommun"];
    const memberIds = [ctx.members.botkyrka, ctx.members.dalsEd, ctx.members.goteborg, ctx.members.molndal];
    expect([...issued].sort((a, b) => a.number! - b.number!).map((i) => i.memberId)).toEqual(memberIds);
    for (const inv of issued) {
      expect(inv.status).toBe("issued");
      expect(inv.ocr!.startsWith(String(inv.number))).toBe(true);
      expect(validateOcr(inv.ocr!)).toBe(true);
      expect(inv.issueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const days = (Date.parse(inv.dueDate!) - Date.parse(inv.issueDate!)) / 86_400_000;
      expect(days).toBe(30);
    }
    const docs = sql<{ document: string }>("SELECT document FROM invoices WHERE number = 2025003");
    const doc = JSON.parse(docs[0].document);
    expect(doc).toMatchObject({
      number: "2025003",
      ocr: byMember(issued, ctx.members.goteborg).ocr,
      total: 3_200_000,
      billingYear: YEAR,
    });
    expect(doc.buyer).toMatchObject({
      name: names[2],
      reference: "Ref 1480",
      address: { street: "Stadshuset", postalCode: "111 11", city: "Göteborg" },
    });
    expect(doc.seller).toMatchObject({
      name: "Intresseföreningen för Sambruk",
      bankgiro: "5050-1055",
      orgNumber: "802412-3344",
    });
    expect(doc.vatSummary).toEqual([
      { rate: 0, base: 3_200_000, vat: 0, exemptionText: expect.stringContaining("Momsfri") },
    ]);
    expect(doc.lines[0].feeBasis).toEqual({
      bracket: "large",
      // The bracket's populations in the schedule charged under: what the PDF prints (docs/fees.md#bracket-texts).
      range: { min: 100_001, max: null },
      population: 608993,
      populationYear: 2024,
      overrideNote: null,
    });
  });

  test("later edits of the member do not change the issued invoice", async () => {
    const inv = byMember(issued, ctx.members.molndal);
    const patch = await ctx.api.admin.patch(`/members/${ctx.members.molndal}`, { reference: "Ny referens" });
    expect(patch.status).toBe(200);
    const doc = JSON.parse(sql<{ document: string }>("SELECT document FROM invoices WHERE id = ?", inv.id)[0].document);
    expect(doc.buyer.reference).toBe("Ref 1481");
  });

  test("a repeated billing run invoices nothing twice", async () => {
    const runsBefore = sql<{ n: number }>("SELECT count(*) AS n FROM billing_runs")[0].n;
    const res = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["annual_fee", "entry_fee"] });
    expect(res.status).toBe(200);
    expect(res.json.id).toBeNull();
    expect(res.json.invoices).toEqual([]);
    // Nothing new stores no empty run.
    expect(sql<{ n: number }>("SELECT count(*) AS n FROM billing_runs")[0].n).toBe(runsBefore);
    expect(res.json.alreadyInvoiced).toBe(4);
    expect(res.json.message).toMatch(/Inget nytt att fakturera/);
    const counts = sql<{ key: string; n: number }>(
      "SELECT charge_key AS key, count(*) AS n FROM invoice_lines WHERE holds_charge = 1 GROUP BY charge_key HAVING n > 1",
    );
    expect(counts).toEqual([]);
  });

  test("the database itself refuses a second line holding the same charge", () => {
    const inv = byMember(issued, ctx.members.dalsEd);
    const key = `annual_fee:${ctx.members.dalsEd}:${YEAR}`;
    const insert = () =>
      ctx
        .sqlite()
        .prepare(
          `INSERT INTO invoice_lines (invoice_id, position, charge_kind, charge_key, holds_charge, year, description, quantity, unit_price_ore, vat_rate, amount_ore, vat_ore)
           VALUES (?, 9, 'annual_fee', ?, 1, ?, 'dubblett', 1, 800000, 0, 800000, 0)`,
        )
        .run(inv.id, key, YEAR);
    expect(insert).toThrow(/UNIQUE constraint failed/);
  });
});

describe("payments", () => {
  test("a part payment makes the invoice partially_paid, the rest makes it paid", async () => {
    const inv = byMember(issued, ctx.members.molndal);
    const today = new Date().toISOString().slice(0, 10);
    const first = await ctx.api.treasurer.post(`/invoices/${inv.id}/payments`, {
      amount: "6000.00",
      paidOn: inv.issueDate,
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ status: "partially_paid", paid: "6000.00", balance: "10000.00" });
    const tooMuch = await ctx.api.treasurer.post(`/invoices/${inv.id}/payments`, {
      amount: "10000.01",
      paidOn: inv.issueDate,
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json.error.fields.amount).toContain("10 000,00 kr");
    const rest = await ctx.api.treasurer.post(`/invoices/${inv.id}/payments`, {
      amount: "10000",
      paidOn: inv.issueDate ?? today,
    });
    expect(rest.status).toBe(201);
    expect(rest.json).toMatchObject({ status: "paid", paid: "16000.00", balance: "0.00" });
    const again = await ctx.api.treasurer.post(`/invoices/${inv.id}/payments`, { amount: "1", paidOn: inv.issueDate });
    expect(again.status).toBe(409);
    expect((await ctx.api.treasurer.get(`/invoices?status=paid`)).json.invoices.map((i: Invoice) => i.id)).toEqual([
      inv.id,
    ]);
  });

  test("a payment in the future, of nothing, or by the board is refused", async () => {
    const inv = byMember(issued, ctx.members.botkyrka);
    const future = await ctx.api.treasurer.post(`/invoices/${inv.id}/payments`, {
      amount: "100",
      paidOn: "2099-01-01",
    });
    expect(future.status).toBe(422);
    expect(future.json.error.fields.paidOn).toBe("Betalningsdagen kan inte ligga i framtiden");
    const zero = await ctx.api.treasurer.post(`/invoices/${inv.id}/payments`, { amount: "0", paidOn: inv.issueDate });
    expect(zero.status).toBe(422);
    expect(zero.json.error.fields.amount).toBeTruthy();
    expect(
      (await ctx.api.admin.post(`/invoices/${inv.id}/payments`, { amount: "100", paidOn: inv.issueDate })).status,
    ).toBe(403);
    expect(
      (await ctx.api.treasurer.post(`/invoices/999999/payments`, { amount: "100", paidOn: inv.issueDate })).status,
    ).toBe(404);
  });
});

describe("credit notes", () => {
  test("crediting gives a credit note with its own number and negative lines; the charge can be billed again", async () => {
    const inv = byMember(issued, ctx.members.goteborg);
    const res = await ctx.api.treasurer.post(`/invoices/${inv.id}/credit`, { reason: "Fel avgiftsklass" });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      number: 2025005,
      status: "issued",
      creditedInvoiceId: inv.id,
      total: "-32000.00",
      memberId: ctx.members.goteborg,
    });
    expect(res.json.lines[0]).toMatchObject({ charge: "annual_fee", amount: "-32000.00" });
    expect(validateOcr(res.json.ocr)).toBe(true);
    const original = await ctx.api.treasurer.get(`/invoices/${inv.id}`);
    expect(original.json.status).toBe("credited");
    const twice = await ctx.api.treasurer.post(`/invoices/${inv.id}/credit`, { reason: "igen" });
    expect(twice.status).toBe(409);

    const rerun = await ctx.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["annual_fee"] });
    expect(rerun.status).toBe(201);
    expect(rerun.json.invoices.map((i: Invoice) => [i.memberId, i.total])).toEqual([
      [ctx.members.goteborg, "32000.00"],
    ]);
    const reissued = await ctx.api.treasurer.post(`/billing-runs/${rerun.json.id}/issue`);
    expect(reissued.json.invoices.map((i: Invoice) => i.number)).toEqual([2025006]);
  });

  test("a credit without a reason is refused", async () => {
    const inv = byMember(issued, ctx.members.botkyrka);
    const res = await ctx.api.treasurer.post(`/invoices/${inv.id}/credit`, { reason: "  " });
    expect(res.status).toBe(422);
    expect(res.json.error.fields.reason).toBe("Skälet måste anges");
  });
});

describe("overdue invoices", () => {
  test("an issued invoice past its due date is overdue until paid", async () => {
    const inv = byMember(issued, ctx.members.botkyrka);
    // Let time pass: the due date was yesterday.
    const yesterday = new Date(Date.now() - 86_400_000 * 2).toISOString().slice(0, 10);
    sql("UPDATE invoices SET due_date = ? WHERE id = ? RETURNING id", yesterday, inv.id);
    const list = await ctx.api.treasurer.get(`/invoices?overdue=1`);
    expect(list.json.invoices.map((i: Invoice) => i.id)).toEqual([inv.id]);
    expect(list.json.invoices[0]).toMatchObject({ status: "issued", overdue: true });
  });
});

describe("who sees which invoice", () => {
  test("the board reads every invoice; a member user only its own, others are 404", async () => {
    const all = await ctx.api.admin.get(`/invoices?year=${YEAR}`);
    expect(all.status).toBe(200);
    expect(all.json.invoices.length).toBeGreaterThanOrEqual(6);
    const own = await ctx.api.member.get("/invoices");
    expect(own.status).toBe(200);
    expect(own.json.invoices.map((i: Invoice) => i.memberId)).toEqual([ctx.members.dalsEd]);
    const goteborg = byMember(issued, ctx.members.goteborg);
    expect((await ctx.api.member.get(`/invoices/${goteborg.id}`)).status).toBe(404);
    expect((await ctx.api.member.get(`/invoices/${goteborg.id}/pdf`)).status).toBe(404);
    const dalsEd = byMember(issued, ctx.members.dalsEd);
    expect((await ctx.api.member.get(`/invoices/${dalsEd.id}`)).json.total).toBe("8000.00");
    expect((await ctx.api.anonymous.get(`/invoices`)).status).toBe(401);
    expect((await ctx.api.treasurer.get(`/invoices?status=lost`)).status).toBe(422);
  });
});

describe("the invoice PDF", () => {
  test("is a PDF that shows number, OCR, total, buyer reference and population basis", async () => {
    const inv = byMember(issued, ctx.members.molndal);
    const res = await fetch(`${ctx.server.url}/api/v1/invoices/${inv.id}/pdf`, {
      headers: { Authorization: `Bearer ${ctx.token.treasurer}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const file = path.join(ctx.server.dir, "invoice.pdf");
    fs.writeFileSync(file, bytes);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
    expect(text).toContain(String(inv.number));
    expect(text).toContain(inv.ocr!);
    expect(text).toContain("16 000,00 kr");
    expect(text).toContain("Ref 1481");
    expect(text).toMatch(/71 420/);
  });
});
