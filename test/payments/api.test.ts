import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { todayIso } from "../../billing/dates";
import { oreToDecimalString, parseKronor, sumOre } from "../../billing/money";
import { FOUR_MUNICIPALITIES } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";
import { bgmaxFile } from "../support/bgmax-writer";

/*
 * The BgMax and receivables rows of the API against the real server: roles, status codes, the raw body, the
 * error shape with `line`, and amounts as two-decimal strings. The rules themselves are tested in-process
 * (test/payments/apply.test.ts) and in test/billing.
 */
let ctx: Served;
let invoices: Array<{ id: number; memberId: number; ocr: string; total: string; number: number }>;
const today = todayIso();
const raw = (who: "treasurer" | "admin" | "member", p: string, body: Buffer | string) =>
  ctx.api[who].raw("POST", p, typeof body === "string" ? body : body.toString("latin1"), {
    "Content-Type": "application/octet-stream",
  });

beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
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
    bankgiro: "991-2346",
    paymentTermsDays: 30,
    nextInvoiceNumber: 2026001,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
    footer: "",
  });
  const run = await ctx.api.treasurer.post("/billing-runs", { year: 2026, charges: ["annual_fee"] });
  expect(run.status).toBe(201);
  const issued = await ctx.api.treasurer.post(`/billing-runs/${run.json.id}/issue`);
  invoices = issued.json.invoices;
}, 120_000);

afterAll(async () => {
  await stopServed(ctx);
});

describe("POST /payment-files and /payment-files/{id}/apply", () => {
  let fileId: number;
  let body: Buffer;

  test("the member role gets 403, and no token 401", async () => {
    const file = bgmaxFile([{ date: today, payments: [{ reference: "1", amountOre: 100, serial: 1 }] }]);
    expect((await raw("member", "/payment-files", file)).status).toBe(403);
    expect((await ctx.api.anonymous.raw("POST", "/payment-files", file.toString("latin1"))).status).toBe(401);
  });

  test("Bankgirot's example file as the raw body: 201 with the preview, amounts as strings", async () => {
    const example = fs.readFileSync(path.join(__dirname, "../fixtures/bgmax/fabhed_exempelfil_ocr.txt"));
    const res = await ctx.api.admin.raw("POST", "/payment-files", example.toString("latin1"), {
      "Content-Type": "text/plain; charset=iso-8859-1",
    });
    // fetch sends the string as UTF-8: the bytes of å differ and the file no longer is Bankgirot's. Send bytes.
    expect(res.status).toBe(422);
    const bytes = await fetch(`${ctx.server.url}/api/v1/payment-files`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ctx.token.admin}`, "Content-Type": "application/octet-stream" },
      body: example,
    });
    expect(bytes.status).toBe(201);
    const preview = await bytes.json();
    expect(preview).toMatchObject({ status: "preview", total: "9900.00" });
    expect(preview.payments[0]).toMatchObject({
      reference: "655969",
      amount: "1000.00",
      paidOn: "2004-05-25",
      payer: "Kalles Plåt AB",
      invoiceId: null,
      match: "unknown",
    });
    expect(preview.payments[1]).toMatchObject({ kind: "deduction", amount: "-500.00" });
  });

  test("a file that does not read: 422 with the line", async () => {
    const broken = bgmaxFile([{ date: today, total: 99, payments: [{ reference: "1", amountOre: 100, serial: 3 }] }]);
    const res = await raw("treasurer", "/payment-files", broken);
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({
      code: "unreadable_file",
      line: 4,
      message: expect.stringMatching(/^Rad 4: Insättningsposten/),
    });
  });

  test("our payments: 201 preview with matches, then apply 200 with the sums; a second apply 409", async () => {
    const [a, b] = invoices;
    body = bgmaxFile([
      {
        date: today,
        payments: [
          { reference: a.ocr, amountOre: 800000, serial: 10, payer: "Dals-Eds kommun" },
          { reference: b.ocr, amountOre: 100, serial: 11 },
          { reference: "123", amountOre: 4200, serial: 12 },
        ],
      },
    ]);
    const res = await raw("treasurer", "/payment-files", body);
    expect(res.status, res.text).toBe(201);
    fileId = res.json.id;
    expect(
      res.json.payments.map((p: { match: string; invoiceId: number | null; amount: string }) => [
        p.match,
        p.invoiceId,
        p.amount,
      ]),
    ).toEqual([
      [a.total === "8000.00" ? "exact" : "partial", a.id, "8000.00"],
      ["partial", b.id, "1.00"],
      ["unknown", null, "42.00"],
    ]);
    const applied = await ctx.api.treasurer.post(`/payment-files/${fileId}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.json).toEqual({
      applied: { count: 2, amount: "8001.00" },
      unmatched: { count: 1, amount: "42.00" },
    });
    const again = await ctx.api.treasurer.post(`/payment-files/${fileId}/apply`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("already_applied");
    const invoice = await ctx.api.treasurer.get(`/invoices/${b.id}`);
    expect(invoice.json).toMatchObject({ status: "partially_paid", paid: "1.00" });
  });

  test("the same file again, or a file with an applied serial: 409 duplicate_file", async () => {
    expect((await raw("treasurer", "/payment-files", body)).json.error.code).toBe("duplicate_file");
    const overlapping = bgmaxFile([
      { date: today, payments: [{ reference: invoices[1].ocr, amountOre: 100, serial: 11 }] },
      { date: today, payments: [{ reference: "9", amountOre: 1, serial: 99 }] },
    ]);
    const res = await raw("treasurer", "/payment-files", overlapping);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("duplicate_file");
  });

  test("apply of a file that does not exist: 404", async () => {
    expect((await ctx.api.treasurer.post("/payment-files/999999/apply")).status).toBe(404);
  });
});

describe("GET /unmatched-payments and assigning", () => {
  test("lists the open ones for staff, 403 for a member", async () => {
    const res = await ctx.api.treasurer.get("/unmatched-payments");
    expect(res.status).toBe(200);
    expect(res.json.payments).toHaveLength(1);
    expect(res.json.payments[0]).toMatchObject({
      reference: "123",
      amount: "42.00",
      paidOn: today,
      payer: "",
      fileId: expect.any(Number),
    });
    expect((await ctx.api.member.get("/unmatched-payments")).status).toBe(403);
    expect((await ctx.api.treasurer.get("/unmatched-payments?status=nope")).status).toBe(422);
  });

  test("assign: 200, the invoice's payment; a JSON number as amount and an unknown field: 422", async () => {
    const [row] = (await ctx.api.treasurer.get("/unmatched-payments")).json.payments;
    const b = invoices[1];
    expect(
      (await ctx.api.treasurer.post(`/unmatched-payments/${row.id}/assign`, { invoiceNumber: b.number, extra: 1 }))
        .status,
    ).toBe(422);
    expect(
      (await ctx.api.treasurer.post(`/unmatched-payments/${row.id}/assign`, { invoiceNumber: 1 })).json.error.fields,
    ).toHaveProperty("invoiceNumber");
    const res = await ctx.api.treasurer.post(`/unmatched-payments/${row.id}/assign`, {
      invoiceNumber: b.number,
      amount: "2.00",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: "assigned", amount: "2.00", invoiceId: b.id });
    expect((await ctx.api.treasurer.get(`/invoices/${b.id}`)).json.paid).toBe("3.00");
    const left = (await ctx.api.treasurer.get("/unmatched-payments")).json.payments;
    expect(left.map((p: { amount: string }) => p.amount)).toEqual(["40.00"]);
    const refunded = await ctx.api.admin.post(`/unmatched-payments/${row.id}/refund`, {
      note: "Tillbaka till avsändaren",
    });
    expect(refunded.json).toMatchObject({ status: "refunded", note: "Tillbaka till avsändaren" });
    expect((await ctx.api.treasurer.get("/unmatched-payments")).json.payments).toEqual([]);
    expect((await ctx.api.treasurer.get("/unmatched-payments?status=refunded")).json.payments).toHaveLength(1);
  });
});

describe("GET /receivables", () => {
  test("per member and in total at a date, as strings; before any invoice: empty", async () => {
    const res = await ctx.api.treasurer.get(`/receivables?date=${today}`);
    expect(res.status).toBe(200);
    expect(res.json.date).toBe(today);
    const b = res.json.members.find((m: { memberId: number }) => m.memberId === invoices[1].memberId);
    expect(b).toMatchObject({ paid: "3.00", credited: "0.00", overdue: "0.00" });
    expect(b.aging.notDue).toBe(b.open);
    expect(res.json.totals.invoiced).toBe(oreToDecimalString(sumOre(invoices.map((i) => parseKronor(i.total)!))));
    expect(res.json.totals.paid).toBe("8003.00");
    const before = await ctx.api.treasurer.get("/receivables?date=2020-01-01");
    expect(before.json.members).toEqual([]);
    expect(before.json.totals.open).toBe("0.00");
    expect((await ctx.api.treasurer.get("/receivables?date=2026-02-30")).status).toBe(422);
    expect((await ctx.api.member.get("/receivables")).status).toBe(403);
  });
});
