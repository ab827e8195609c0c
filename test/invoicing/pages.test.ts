import { addDays, todayIso } from "../../billing/dates";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { login, pageClient } from "../support/server";
import { FOUR_MUNICIPALITIES, PASSWORD } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";

/*
 * The invoicing pages without JavaScript (plain form posts against the real server): settings with a message
 * per field, a billing run from preview to drafts, the confirmation before issuing, payments and credit on the
 * invoice page, the CSV export and who may open which page.
 */
let ctx: Served;
let treasurer: ReturnType<typeof pageClient>;
let admin: ReturnType<typeof pageClient>;
let member: ReturnType<typeof pageClient>;
const YEAR = 2025;

const SETTINGS = {
  name: "Intresseföreningen för Sambruk",
  orgNumber: "8024123344",
  // A VAT rate above 0 (project shares below) needs the VAT number on the invoice (docs/e-invoice.md, BR-S-02).
  vatNumber: "SE802412334401",
  street: "Box 1",
  postalCode: "11111",
  city: "Stockholm",
  email: "kansli@sambruk.example.se",
  phone: "",
  bankgiro: "50501055",
  paymentTermsDays: "20",
  nextInvoiceNumber: "7001",
  ourReference: "Kim Kassör",
  vatRateEntryFee: "0",
  vatRateAnnualFee: "0",
  vatRateProjectShare: "25",
  vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
  footer: "",
};

beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
  const pw = PASSWORD;
  treasurer = pageClient(ctx.server.url, await login(ctx.server.url, "kassor@test.se", pw));
  admin = pageClient(ctx.server.url, await login(ctx.server.url, "admin@test.se", pw));
  member = pageClient(ctx.server.url, await login(ctx.server.url, "kontakt@test.se", pw));
});
afterAll(async () => {
  await stopServed(ctx);
});

/** The page's HTML without React's text separators, so that sentences can be looked for as the reader sees them. */
const html = async (res: Response | Promise<Response>) => (await (await res).text()).replace(/<!-- -->/g, "");

const count = (sql: string, ...params: unknown[]) =>
  (
    ctx
      .sqlite()
      .prepare(sql)
      .get(...params) as { n: number }
  ).n;

describe("/settings", () => {
  test("a member user may not open it; the board and the treasurer may", async () => {
    expect((await member.get("/settings")).status).toBe(403);
    expect((await admin.get("/settings")).status).toBe(200);
    const page = await (await treasurer.get("/settings")).text();
    expect(page).toContain("Inga inställningar är sparade än");
  });

  test("bad values answer 422 with one message per field and nothing is saved", async () => {
    const res = await treasurer.post("/settings", {
      ...SETTINGS,
      orgNumber: "8024123348",
      bankgiro: "123",
      vatNumber: "SE123",
      paymentTermsDays: "0",
      vatRateAnnualFee: "20",
      email: "inte-en-adress",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Kontrollsiffran i organisationsnumret stämmer inte");
    expect(html).toContain("Bankgironumret ska vara sju eller åtta siffror");
    expect(html).toContain("Momsregistreringsnumret ska vara SE");
    expect(html).toContain("Betalningsvillkoret (dagar) ska vara minst 1");
    expect(html).toContain("Momssatsen för årsavgift ska vara 0, 6, 12 eller 25 %");
    expect(html).toContain("E-postadressen ser inte ut som en e-postadress");
    expect(count("SELECT count(*) AS n FROM settings")).toBe(0);
  });

  test("good values are saved, normalised and audited", async () => {
    const res = await treasurer.post("/settings", SETTINGS);
    expect(res.status).toBe(302);
    const row = ctx.sqlite().prepare("SELECT * FROM settings").get() as Record<string, unknown>;
    expect(row).toMatchObject({
      org_number: "802412-3344",
      bankgiro: "5050-1055",
      postal_code: "111 11",
      payment_terms_days: 20,
      next_invoice_number: 7001,
    });
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'settings.update'")).toBe(1);
  });
});

describe("a billing run from the pages", () => {
  let runId: number;

  test("the preview shows who gets what before anything is written", async () => {
    const page = await html(treasurer.get(`/billing?preview=1&year=${YEAR}&charges=annual_fee`));
    expect(page).toContain("Förhandsgranskning 2025: 4 fakturor, 72 000,00 kr");
    expect(page).toContain("Skapa 4 fakturautkast");
    expect(count("SELECT count(*) AS n FROM invoices")).toBe(0);
  });

  test("no charge kind chosen is a message, not a 500", async () => {
    const res = await treasurer.post("/billing", { year: String(YEAR) });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Välj minst ett avgiftsslag");
  });

  test("creating makes the drafts; the run page asks for confirmation with the count and the total", async () => {
    const created = await treasurer.post("/billing", { year: String(YEAR), charges: "annual_fee" });
    expect(created.status).toBe(302);
    const location = created.headers.get("location")!;
    expect(location).toMatch(/^\/billing\/runs\/\d+\?created=4$/);
    runId = Number(/runs\/(\d+)/.exec(location)![1]);
    const confirm = await html(treasurer.get(`/billing/runs/${runId}?confirm=1`));
    expect(confirm).toContain("Utfärda 4 fakturor?");
    expect(confirm).toContain("72 000,00 kr");
    expect(count("SELECT count(*) AS n FROM invoices WHERE number IS NOT NULL")).toBe(0);
  });

  test("a draft line can be edited and a bad amount is a message next to the field", async () => {
    const line = ctx
      .sqlite()
      .prepare(
        "SELECT l.id, l.invoice_id AS invoiceId FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.member_id = ?",
      )
      .get(ctx.members.dalsEd) as { id: number; invoiceId: number };
    const bad = await treasurer.post(`/billing/runs/${runId}`, {
      intent: "updateLine",
      invoiceId: String(line.invoiceId),
      lineId: String(line.id),
      description: "Årsavgift 2025",
      amount: "åtta tusen",
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Beloppet ska vara ett belopp i kronor med högst två decimaler");
    const ok = await treasurer.post(`/billing/runs/${runId}`, {
      intent: "updateLine",
      invoiceId: String(line.invoiceId),
      lineId: String(line.id),
      description: "Årsavgift 2025 (styrelsebeslut)",
      amount: "7500,50",
    });
    expect(ok.status).toBe(302);
    const inv = ctx.sqlite().prepare("SELECT total_ore AS total FROM invoices WHERE id = ?").get(line.invoiceId) as {
      total: number;
    };
    expect(inv.total).toBe(750_050);
  });

  test("the board may look but not issue", async () => {
    expect((await admin.get(`/billing/runs/${runId}`)).status).toBe(200);
    expect((await admin.post(`/billing/runs/${runId}`, { intent: "issue" })).status).toBe(403);
    expect((await member.get(`/billing/runs/${runId}`)).status).toBe(403);
  });

  test("confirming issues and numbers the drafts from the settings", async () => {
    const res = await treasurer.post(`/billing/runs/${runId}`, { intent: "issue" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/billing/runs/${runId}?issued=4`);
    const numbers = (
      ctx.sqlite().prepare("SELECT number FROM invoices ORDER BY number").all() as Array<{
        number: number;
      }>
    ).map((r) => r.number);
    expect(numbers).toEqual([7001, 7002, 7003, 7004]);
    const pdf = await treasurer.get(`/billing/runs/${runId}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  });
});

describe("the invoice pages", () => {
  const invoiceOf = (memberId: number) =>
    ctx
      .sqlite()
      .prepare("SELECT id, number, ocr FROM invoices WHERE member_id = ? AND kind = 'invoice'")
      .get(memberId) as {
      id: number;
      number: number;
      ocr: string;
    };

  test("payments from the form: a future date and an overpayment are messages; a good one is saved", async () => {
    const inv = invoiceOf(ctx.members.molndal);
    const future = await treasurer.post(`/invoices/${inv.id}`, {
      intent: "payment",
      amount: "100",
      paidOn: "2099-01-01",
    });
    expect(future.status).toBe(422);
    expect(await future.text()).toContain("Betalningsdagen kan inte ligga i framtiden");
    const tooMuch = await treasurer.post(`/invoices/${inv.id}`, {
      intent: "payment",
      amount: "16000,01",
      paidOn: todayIso(),
    });
    expect(tooMuch.status).toBe(422);
    expect(await tooMuch.text()).toContain("Beloppet är större än det som återstår att betala (16 000,00 kr)");
    const ok = await treasurer.post(`/invoices/${inv.id}`, {
      intent: "payment",
      amount: "4000",
      paidOn: addDays(todayIso(), -1),
    });
    // Yesterday may lie before the issue date (today): then the message says so; otherwise it is saved.
    if (ok.status === 422) {
      expect(await ok.text()).toContain("Betalningsdagen kan inte ligga före fakturadagen");
      const today = await treasurer.post(`/invoices/${inv.id}`, {
        intent: "payment",
        amount: "4000",
        paidOn: todayIso(),
      });
      expect(today.status).toBe(302);
    } else {
      expect(ok.status).toBe(302);
    }
    const page = await html(treasurer.get(`/invoices/${inv.id}`));
    expect(page).toContain("Delbetald");
    expect(page).toContain("4 000,00 kr / 12 000,00 kr");
  });

  test("crediting from the form leads to the credit note", async () => {
    const inv = invoiceOf(ctx.members.botkyrka);
    const empty = await treasurer.post(`/invoices/${inv.id}`, { intent: "credit", reason: "" });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Skälet måste anges");
    const res = await treasurer.post(`/invoices/${inv.id}`, { intent: "credit", reason: "Dubbelfakturerad" });
    expect(res.status).toBe(302);
    const page = await html(treasurer.get(res.headers.get("location")!));
    expect(page).toContain("Kreditfaktura 7005");
    expect(page).toContain("-16 000,00 kr");
  });

  test("a member user sees its own invoices only: others are 404, pages and PDF alike", async () => {
    const own = invoiceOf(ctx.members.dalsEd);
    const other = invoiceOf(ctx.members.goteborg);
    const list = await (await member.get("/invoices")).text();
    expect(list).toContain("Dals-Ed kommun");
    expect(list).not.toContain("Göteborg kommun");
    expect((await member.get(`/invoices/${own.id}`)).status).toBe(200);
    expect((await member.get(`/invoices/${other.id}`)).status).toBe(404);
    expect((await member.get(`/invoices/${other.id}/pdf`)).status).toBe(404);
    const pdf = await member.get(`/invoices/${own.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      (await member.post(`/invoices/${own.id}`, { intent: "payment", amount: "1", paidOn: "2025-01-01" })).status,
    ).toBe(403);
    expect((await member.get("/invoices.csv")).status).toBe(403);
  });

  test("the CSV export lists issued invoices for the accounting system", async () => {
    const res = await admin.get(`/invoices.csv?year=${YEAR}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Fakturanummer;Typ;Fakturadatum;Förfallodatum;OCR;Medlem;Organisationsnummer;Netto;Moms;Totalt;Betalt;Kvar att betala;Status;Krediterar faktura",
    );
    const molndal = lines.find((l) => l.includes("Mölndal"))!;
    expect(molndal).toMatch(/;16000,00;4000,00;12000,00;Delbetald;$/);
    const credit = lines.find((l) => l.startsWith("7005;Kreditfaktura"))!;
    // A credit note's amounts are numbers, not neutralised text, and it names the invoice it credits by number.
    expect(credit).toContain(";-16000,00;");
    expect(credit).not.toContain("'-");
    expect(credit).toMatch(/;Utfärdad;7\d{3}$/);
    expect(lines).toHaveLength(6);
  });

  test("a malformed query is a message, not a 500", async () => {
    expect((await treasurer.get("/invoices?status=borta&year=abc")).status).toBe(200);
    expect((await treasurer.get("/invoices/abc")).status).toBe(404);
    expect((await treasurer.get("/billing/runs/99999")).status).toBe(404);
  });
});

describe("reminders", () => {
  test("an overdue invoice gets a reminder PDF, recorded on the invoice; one not overdue does not", async () => {
    const inv = ctx
      .sqlite()
      .prepare("SELECT id FROM invoices WHERE member_id = ? AND kind = 'invoice'")
      .get(ctx.members.goteborg) as {
      id: number;
    };
    expect((await treasurer.get(`/invoices/${inv.id}/reminder.pdf`)).status).toBe(404);
    expect((await treasurer.post(`/invoices/${inv.id}`, { intent: "reminder" })).status).toBe(409);
    // Let time pass: the due date was two days ago.
    const past = addDays(todayIso(), -2);
    ctx.sqlite().prepare("UPDATE invoices SET due_date = ? WHERE id = ?").run(past, inv.id);
    expect(await html(treasurer.get(`/invoices/${inv.id}`))).toContain("Utfärdad, förfallen");
    const res = await treasurer.post(`/invoices/${inv.id}`, { intent: "reminder" });
    expect(res.status).toBe(302);
    // Recorded, then sent by the member's channel (docs/delivery.md); the PDF link shows that same reminder.
    expect(res.headers.get("location")).toBe(`/invoices/${inv.id}?saved=reminder-sent`);
    const pdf = await treasurer.get(`/invoices/${inv.id}/reminder.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(count("SELECT count(*) AS n FROM reminders WHERE invoice_id = ?", inv.id)).toBe(1);
    expect((await member.get(`/invoices/${inv.id}/reminder.pdf`)).status).toBe(403);
  });
});

describe("settings after issuing", () => {
  test("the next invoice number may not go below what is issued", async () => {
    const res = await treasurer.post("/settings", { ...SETTINGS, nextInvoiceNumber: "7003" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Nästa fakturanummer måste vara minst 7006");
    expect((await treasurer.post("/settings", { ...SETTINGS, nextInvoiceNumber: "2026001" })).status).toBe(302);
  });
});
