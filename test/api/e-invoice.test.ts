import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FOUR_MUNICIPALITIES } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";
import { brokenRules, one, parseUbl } from "../billing/ubl-rules";

/*
 * The API rows of e-invoicing (docs/e-invoice.md): GET/PUT /settings (treasurer and board, the page's schema and
 * use case, audited), GET /invoices/{id}/ubl (application/xml, 409 for a draft, 404 for another member's), and the
 * Member JSON's peppolId and deliveryChannel. Against the real server.
 */

let ctx: Served;
beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
});
afterAll(async () => {
  await stopServed(ctx);
});

const SETTINGS = {
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
  vatExemptionText: "Momsfri: utanför mervärdesskattens tillämpningsområde",
};

function sql<T = unknown>(query: string, ...params: unknown[]): T[] {
  return ctx
    .sqlite()
    .prepare(query)
    .all(...params) as T[];
}

describe("GET and PUT /settings", () => {
  test("GET is 404 before anything is saved, and only for the treasurer and the board", async () => {
    expect((await ctx.api.treasurer.get("/settings")).status).toBe(404);
    expect((await ctx.api.member.get("/settings")).status).toBe(403);
    expect((await ctx.api.anonymous.get("/settings")).status).toBe(401);
  });

  test("PUT takes the whole object; optional fields left out keep their defaults", async () => {
    const res = await ctx.api.treasurer.put("/settings", SETTINGS);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      ...SETTINGS,
      vatNumber: null,
      phone: null,
      footer: "",
      fSkatt: false,
      peppolId: null,
      vatExemptionTexts: {},
    });
    expect((await ctx.api.admin.get("/settings")).json).toEqual(res.json);
    expect(sql("SELECT action FROM audit_log WHERE entity = 'settings'")).toEqual([{ action: "settings.update" }]);
  });

  test("F-skatt, the Peppol id and the VAT texts per kind are saved and read back", async () => {
    const body = {
      ...SETTINGS,
      fSkatt: true,
      peppolId: "0007:802412-3344",
      vatExemptionTexts: {
        annual_fee: "Medlemsavgift, utanför momsens område",
        project_share: "Projektbidrag, utanför momsens område",
      },
    };
    const res = await ctx.api.admin.put("/settings", body);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      fSkatt: true,
      peppolId: "0007:8024123344",
      vatExemptionTexts: body.vatExemptionTexts,
    });
  });

  test("bad values answer 422 per field and store nothing", async () => {
    const before = sql("SELECT * FROM settings");
    const res = await ctx.api.treasurer.put("/settings", {
      ...SETTINGS,
      fSkatt: "kanske",
      peppolId: "0007:8024123345",
      vatExemptionTexts: { lunch: "x" },
      colour: "blue",
    });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.error.fields).sort()).toEqual([
      "colour",
      "fSkatt",
      "peppolId",
      "vatExemptionTexts.lunch",
    ]);
    const taxedWithoutVatNumber = await ctx.api.treasurer.put("/settings", { ...SETTINGS, vatRateProjectShare: 25 });
    expect(taxedWithoutVatNumber.status).toBe(422);
    expect(taxedWithoutVatNumber.json.error.fields.vatNumber).toContain("Momsregistreringsnummer krävs");
    expect(sql("SELECT * FROM settings")).toEqual(before);
    expect((await ctx.api.member.put("/settings", SETTINGS)).status).toBe(403);
  });
});

describe("the Member JSON", () => {
  test("carries peppolId and deliveryChannel; a Peppol member needs a reference", async () => {
    const id = ctx.members.molndal;
    const res = await ctx.api.admin.patch(`/members/${id}`, {
      peppolId: "0088:7300010000001",
      deliveryChannel: "email",
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ peppolId: "0088:7300010000001", deliveryChannel: "email" });
    const bad = await ctx.api.admin.patch(`/members/${id}`, { peppolId: "0007:123", deliveryChannel: "fax" });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(["deliveryChannel", "peppolId"]);
    const noRef = await ctx.api.admin.patch(`/members/${id}`, { reference: null, deliveryChannel: "peppol" });
    expect(noRef.status).toBe(422);
    expect(noRef.json.error.fields.reference).toContain("Peppol");
    const back = await ctx.api.admin.patch(`/members/${id}`, { peppolId: null, deliveryChannel: null });
    expect(back.json).toMatchObject({ peppolId: null, deliveryChannel: null });
  });
});

describe("GET /invoices/{id}/ubl", () => {
  let own: number;
  let other: number;
  let draft: number;
  beforeAll(async () => {
    const run = await ctx.api.treasurer.post("/billing-runs", { year: 2026, charges: ["annual_fee"] });
    expect(run.status).toBe(201);
    const issued = await ctx.api.treasurer.post(`/billing-runs/${run.json.id}/issue`);
    expect(issued.status).toBe(200);
    own = issued.json.invoices.find((i: { memberId: number }) => i.memberId === ctx.members.dalsEd).id;
    other = issued.json.invoices.find((i: { memberId: number }) => i.memberId === ctx.members.goteborg).id;
    const drafts = await ctx.api.treasurer.post("/billing-runs", { year: 2027, charges: ["annual_fee"] });
    draft = drafts.json.invoices[0].id;
  });

  test("answers the e-invoice stored at issue as application/xml, valid by our rule check", async () => {
    const res = await ctx.api.member.get(`/invoices/${own}/ubl`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/xml");
    // Stored at issue with places for its PDFs; the download is that document with the PDFs of the same frozen
    // invoice put in, and nothing else changed.
    const stored = sql<{ ubl: string }>("SELECT ubl FROM invoices WHERE id = ?", own)[0].ubl;
    expect(stored).toMatch(/<\?binary 0\?>/);
    const pdfs = [
      ...res.text.matchAll(
        /<cbc:EmbeddedDocumentBinaryObject[^>]*>([A-Za-z0-9+/=]+)<\/cbc:EmbeddedDocumentBinaryObject>/g,
      ),
    ];
    expect(pdfs.length).toBeGreaterThanOrEqual(1);
    expect(Buffer.from(pdfs[0][1], "base64").subarray(0, 5).toString()).toBe("%PDF-");
    expect(
      res.text.replace(
        /(<cbc:EmbeddedDocumentBinaryObject[^>]*>)[A-Za-z0-9+/=]+(<\/cbc:EmbeddedDocumentBinaryObject>)/g,
        "$1$2",
      ),
    ).toBe(stored.replace(/\s*<\?binary \d+\?>\s*/g, ""));
    const { root } = parseUbl(res.text);
    const invoice = (await ctx.api.member.get(`/invoices/${own}`)).json;
    expect(one(root, "cbc:ID")).toBe(String(invoice.number));
    expect(one(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")).toBe(invoice.total);
    expect(one(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")).toBe(
      "Godkänd för F-skatt",
    );
    expect(brokenRules(res.text)).toEqual([]);
  });

  test("is 409 for a draft, 404 for another member's invoice and for none, 401 without a token", async () => {
    expect((await ctx.api.treasurer.get(`/invoices/${draft}/ubl`)).status).toBe(409);
    expect((await ctx.api.member.get(`/invoices/${other}/ubl`)).status).toBe(404);
    expect((await ctx.api.treasurer.get(`/invoices/999999/ubl`)).status).toBe(404);
    expect((await ctx.api.anonymous.get(`/invoices/${own}/ubl`)).status).toBe(401);
    expect((await ctx.api.treasurer.get(`/invoices/${other}/ubl`)).status).toBe(200);
  });

  test("a credit note gets its own e-invoice, a CreditNote referring to the original", async () => {
    const credit = await ctx.api.treasurer.post(`/invoices/${other}/credit`, { reason: "Fel år" });
    expect(credit.status).toBe(201);
    const res = await ctx.api.treasurer.get(`/invoices/${credit.json.id}/ubl`);
    const { root, kind } = parseUbl(res.text);
    expect(kind).toBe("CreditNote");
    const original = (await ctx.api.treasurer.get(`/invoices/${other}`)).json;
    expect(one(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")).toBe(String(original.number));
    expect(brokenRules(res.text)).toEqual([]);
  });
});
