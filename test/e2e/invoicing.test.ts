import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { addDays, todayIso } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import {
  RESULTS_DIR,
  expectStylesheetApplied,
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  normalise,
  screenshot,
  startE2e,
  stopE2e,
  textOf,
  type E2eContext,
} from "./browser";

/*
 * Flow 6: the treasurer fills in the association's details, runs billing of this year's annual fees (preview,
 * then drafts), issues the run after a confirmation that states how many invoices and how much, opens an
 * invoice's PDF, registers a payment of the full amount and sees it paid. The member's contact person then
 * sees its own invoice as paid with nothing left to pay, and cannot open another member's invoice.
 */
let ctx: E2eContext;
let treasurer: Page;
let member: Page;

/** The year as the server counts it (Stockholm time), from the clock of this run. */
const year = Number(todayIso(new Date()).slice(0, 4));
const today = todayIso(new Date());
const firstNumber = year * 1000 + 1;
const associationOrg = generateOrgNumber("802012345");

beforeAll(async () => {
  ctx = await startE2e();
  // Annual fees of `year` use the population of 31 December the year before: give every member that figure.
  await setPopulations(year - 1, [
    [ctx.members.dalsEd, 4_606],
    [ctx.members.goteborg, 608_993],
    [ctx.members.molndal, 71_420],
  ]);
  treasurer = await ctx.newPage();
  member = await ctx.newPage();
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("the treasurer runs billing for a year, issues, opens a PDF, registers a payment, and the member user sees the invoice as paid", () => {
  let previewTotal = "";
  let dalsEdAmount = "";
  let runPath = "";
  let dalsEdInvoicePath = "";
  let goteborgInvoicePath = "";
  let dalsEdNumber = "";

  test("the treasurer fills in the association's details on the settings page", async () => {
    await loginAs(treasurer, ctx.server.url, "kassor@test.se", PASSWORD);
    await expectStylesheetApplied(treasurer);
    await hydrated(treasurer);
    const nav = treasurer.getByRole("navigation", { name: "Huvudmeny" });
    await nav.getByRole("link", { name: "Inställningar", exact: true }).click();
    await expectUrl(treasurer, /^\/settings$/);
    await expectText(treasurer.getByRole("heading", { level: 1 }), "Inställningar");
    await expectText(treasurer.getByRole("status"), "Inga inställningar är sparade än");
    await hydrated(treasurer);

    const label = (text: string) => treasurer.getByLabel(text, { exact: true });
    await label("Namn").fill("Intresseföreningen Sambruk (test)");
    await label("Organisationsnummer").fill(associationOrg);
    await label("Gatuadress").fill("Box 1234");
    await label("Postnummer").fill("111 22");
    await label("Ort").fill("Stockholm");
    await label("E-post").fill("kansli@sambruk.test.se");
    await label("Telefon").fill("08-123 456 78");
    await label("Bankgiro").fill("5050-1055");
    // The proposed first number of the year's series is already filled in.
    expect(await label("Nästa fakturanummer").inputValue()).toBe(String(firstNumber));
    expect(await label("Betalningsvillkor (dagar)").inputValue()).toBe("30");
    // Reached by a client-side navigation, so this is the browser's render of the page, not the server's.
    expect(await label("Text när ingen moms tas ut").inputValue()).toBe(
      "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
    );
    await label("Vår referens").fill("Kim Kassör");
    await label("Sidfot på fakturan").fill("Styrelsens säte: Stockholm.");
    await treasurer.getByRole("button", { name: "Spara inställningar" }).click();

    await expectUrl(treasurer, /^\/settings\?saved=1$/);
    await expectText(treasurer.getByRole("status"), "Inställningarna är sparade.");
    expect(await label("Namn").inputValue()).toBe("Intresseföreningen Sambruk (test)");
    expect(await label("Bankgiro").inputValue()).toBe("5050-1055");
  });

  test(`previews a billing run of the annual fees for ${year} and creates the drafts`, async () => {
    await treasurer
      .getByRole("navigation", { name: "Huvudmeny" })
      .getByRole("link", { name: "Fakturering", exact: true })
      .click();
    await expectUrl(treasurer, /^\/billing$/);
    await expectText(treasurer.getByRole("heading", { level: 1 }), "Fakturering");
    await expectText(treasurer.locator("main"), "Inga faktureringskörningar än.");
    // The settings are there now: no warning about them.
    expect(await treasurer.getByText("Föreningens uppgifter saknas").count()).toBe(0);
    await hydrated(treasurer);

    await treasurer.getByLabel("År", { exact: true }).fill(String(year));
    await treasurer.getByLabel("Årsavgift").check();
    await treasurer.getByLabel("Medlemsinsats").uncheck();
    await treasurer.getByLabel("Projektandel", { exact: true }).uncheck();
    await treasurer.getByLabel("Justering av projektandel").uncheck();
    await treasurer.getByRole("button", { name: "Förhandsgranska" }).click();
    await expectUrl(treasurer, new RegExp(`^/billing\\?preview=1&year=${year}&charges=annual_fee$`));

    const preview = treasurer.getByTestId("run-preview");
    const heading = preview.getByRole("heading", { level: 3 });
    await expectText(heading, new RegExp(`^Förhandsgranskning ${year}: 3 fakturor, ${MONEY.source}$`));
    previewTotal = amountIn(await textOf(heading));
    const rows = preview.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    const rowTexts = (await rows.allInnerTexts()).map(normalise);
    expect(rowTexts.map((t) => t.split(" kommun")[0])).toEqual(["Dals-Ed", "Göteborg", "Mölndal"]);
    for (const t of rowTexts) expect(t).toContain(`Årsavgift ${year}`);
    // The rows add up to the total in the heading.
    expect(sumOre(rowTexts.map((t) => lastAmount(t)))).toBe(toOre(previewTotal));
    dalsEdAmount = lastAmount(rowTexts[0]);
    expect(await preview.getByText("problem").count()).toBe(0);

    await treasurer.getByRole("button", { name: "Skapa 3 fakturautkast" }).click();
    await expectUrl(treasurer, /^\/billing\/runs\/\d+\?created=3$/);
    runPath = new URL(treasurer.url()).pathname;
    await expectText(treasurer.getByRole("heading", { level: 1 }), `Körning ${runPath.split("/").pop()}: ${year}`);
    await expectText(treasurer.getByRole("status"), "3 fakturautkast skapade.");
    await expectText(treasurer.getByRole("heading", { level: 2, name: /^Utkast/ }), `Utkast (3, ${previewTotal})`);
    await expectText(
      treasurer.getByRole("region", { name: "Utkast till Dals-Ed kommun" }).getByRole("heading"),
      `Dals-Ed kommun · ${dalsEdAmount}`,
    );
  });

  test("clicks the issue button, sees how many invoices and how much, confirms, and sees numbered invoices", async () => {
    await treasurer.getByRole("link", { name: "Utfärda 3 fakturor" }).click();
    await expectUrl(treasurer, new RegExp(`^${runPath}\\?confirm=1$`));
    const confirm = treasurer.getByTestId("confirm-issue");
    await expectText(confirm.getByRole("heading"), "Utfärda 3 fakturor?");
    await expectText(
      confirm,
      `3 fakturor på sammanlagt ${previewTotal} får nummer, fakturadatum i dag och OCR-nummer.`,
    );
    await expectText(confirm, "Utfärdade fakturor kan inte ändras, bara krediteras.");
    expect(await confirm.getByText("Föreningens uppgifter saknas").count()).toBe(0);
    await screenshot(treasurer, "6-invoicing-confirm-issue");
    await hydrated(treasurer);
    await confirm.getByRole("button", { name: "Ja, utfärda 3 fakturor" }).click();

    await expectUrl(treasurer, new RegExp(`^${runPath}\\?issued=3$`));
    await expectText(treasurer.getByRole("status"), "3 fakturor är utfärdade och numrerade.");
    await expectText(
      treasurer.getByRole("heading", { level: 2, name: /Utfärdade fakturor/ }),
      "Utfärdade fakturor (3)",
    );
    expect(await treasurer.getByRole("heading", { level: 2, name: /^Utkast/ }).count()).toBe(0);
    expect(await treasurer.getByRole("link", { name: /^Utfärda \d+ fakturor$/ }).count()).toBe(0);
    await expectText(treasurer.locator(".lead"), `utfärdad ${today}`);

    // Numbered from the settings' next number without a gap, in member-name order.
    const rows = treasurer.locator("table tbody tr", { has: treasurer.locator('a[href^="/invoices/"]') });
    await expect.poll(() => rows.count()).toBe(3);
    const rowOf = (name: string) => rows.filter({ hasText: name });
    const dueDate = addDays(today, 30);
    await expectText(
      rowOf("Dals-Ed kommun"),
      new RegExp(`^${firstNumber} Dals-Ed kommun ${dueDate} Utfärdad ${escape(dalsEdAmount)}$`),
    );
    await expectText(
      rowOf("Göteborg kommun"),
      new RegExp(`^${firstNumber + 1} Göteborg kommun ${dueDate} Utfärdad ${MONEY.source}$`),
    );
    await expectText(
      rowOf("Mölndal kommun"),
      new RegExp(`^${firstNumber + 2} Mölndal kommun ${dueDate} Utfärdad ${MONEY.source}$`),
    );
    const issuedTotal = sumOre((await rows.locator("td:last-child").allInnerTexts()).map(normalise));
    expect(issuedTotal).toBe(toOre(previewTotal));
    dalsEdNumber = String(firstNumber);
    dalsEdInvoicePath =
      (await rowOf("Dals-Ed kommun").getByRole("link", { name: dalsEdNumber }).getAttribute("href")) ?? "";
    goteborgInvoicePath =
      (await rowOf("Göteborg kommun")
        .getByRole("link", { name: String(firstNumber + 1) })
        .getAttribute("href")) ?? "";
    expect(dalsEdInvoicePath).toMatch(/^\/invoices\/\d+$/);
    expect(goteborgInvoicePath).toMatch(/^\/invoices\/\d+$/);
    await expectText(treasurer.getByRole("link", { name: "Alla fakturor som PDF" }), "Alla fakturor som PDF");
  });

  test("opens Dals-Ed's invoice and its PDF: a PDF with the invoice number and amounts in kronor", async () => {
    await treasurer.getByRole("link", { name: dalsEdNumber, exact: true }).click();
    await expectUrl(treasurer, new RegExp(`^${dalsEdInvoicePath}$`));
    await expectText(treasurer.getByRole("heading", { level: 1 }), `Faktura ${dalsEdNumber}`);
    await expectText(treasurer.getByTestId("invoice-status"), /^Utfärdad$/);
    await expectText(treasurer.getByTestId("invoice-number"), dalsEdNumber);
    await expectText(treasurer.getByTestId("invoice-total"), dalsEdAmount);
    expect(await textOf(treasurer.getByTestId("invoice-ocr"))).toMatch(/^\d+$/);

    const pdfLink = treasurer.getByRole("link", { name: "PDF", exact: true });
    const href = await pdfLink.getAttribute("href");
    expect(href).toBe(`${dalsEdInvoicePath}/pdf`);
    const res = await treasurer.request.get(new URL(href!, treasurer.url()).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/pdf");
    const body = await res.body();
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(body, `6-invoice-${dalsEdNumber}`);
    expect(text).toContain(dalsEdNumber);
    expect(text).toContain("kr");
    expect(text).toContain(dalsEdAmount);
    expect(text).toContain("Dals-Ed kommun");
    expect(text).toContain("5050-1055");
  });

  test("registers a payment of the full amount and sees the invoice as Betald", async () => {
    await hydrated(treasurer);
    await expectText(treasurer.locator("tfoot"), `Betalt / kvar att betala 0,00 kr / ${dalsEdAmount}`);
    const payments = treasurer.getByRole("region", { name: "Betalningar" });
    await expectText(payments, "Inga betalningar registrerade.");
    await payments.getByLabel("Belopp, kr").fill(dalsEdAmount.replace(" kr", ""));
    expect(await payments.getByLabel("Betalningsdag").inputValue()).toBe(today);
    await payments.getByLabel("Anteckning (valfri)").fill("Bankgiro, hela beloppet");
    await payments.getByRole("button", { name: "Registrera betalning" }).click();

    await expectUrl(treasurer, new RegExp(`^${dalsEdInvoicePath}\\?saved=payment$`));
    await expectText(treasurer.getByRole("status"), "Betalningen är registrerad.");
    await expectText(treasurer.getByTestId("invoice-status"), /^Betald$/);
    await expectText(treasurer.locator("tfoot"), `Betalt / kvar att betala ${dalsEdAmount} / 0,00 kr`);
    await expectText(
      treasurer.getByRole("region", { name: "Betalningar" }),
      `${today}: ${dalsEdAmount} – Bankgiro, hela beloppet`,
    );
    // Nothing left to pay: no payment form.
    expect(await treasurer.getByRole("button", { name: "Registrera betalning" }).count()).toBe(0);
    await screenshot(treasurer, "6-invoicing-paid");
  });

  test("the member user opens Fakturor and sees its invoice as Betald with 0,00 kr left", async () => {
    await loginAs(member, ctx.server.url, "kontakt@test.se", PASSWORD);
    await expectUrl(member, new RegExp(`^/members/${ctx.members.dalsEd}$`));
    const nav = member.getByRole("navigation", { name: "Huvudmeny" });
    expect(await nav.getByRole("link", { name: "Fakturering", exact: true }).count()).toBe(0);
    await nav.getByRole("link", { name: "Fakturor", exact: true }).click();
    await expectUrl(member, /^\/invoices$/);
    await expectText(member.getByRole("heading", { level: 1 }), "Fakturor");
    await expectText(member.locator(".lead"), /^1 faktura · .*att betala 0,00 kr/);
    // Only its own invoice; no export and no member filter for a member.
    const rows = member.locator("table tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    const cells = (await row.locator("td").allInnerTexts()).map(normalise);
    // No member column: every row would be its own name.
    expect(cells).toEqual([
      dalsEdNumber,
      String(year),
      today,
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      "Betald",
      dalsEdAmount,
      "0,00 kr",
    ]);
    expect(await member.getByText("Göteborg kommun").count()).toBe(0);
    expect(await member.getByRole("link", { name: "Exportera CSV" }).count()).toBe(0);
    expect(await member.locator("#f-member").count()).toBe(0);

    await row.getByRole("link", { name: dalsEdNumber }).click();
    await expectUrl(member, new RegExp(`^${dalsEdInvoicePath}$`));
    await expectText(member.getByRole("heading", { level: 1 }), `Faktura ${dalsEdNumber}`);
    await expectText(member.getByTestId("invoice-status"), /^Betald$/);
    await expectText(member.locator("tfoot"), `Betalt / kvar att betala ${dalsEdAmount} / 0,00 kr`);
    // The treasurer's tools are not there for a member.
    expect(await member.getByRole("button", { name: "Registrera betalning" }).count()).toBe(0);
    expect(await member.getByRole("link", { name: /Körning/ }).count()).toBe(0);
    await screenshot(member, "6-invoicing-member-paid");
  });

  test("the member user cannot open another member's invoice or its PDF: the 404 page", async () => {
    const res = await member.goto(ctx.url(goteborgInvoicePath));
    expect(res?.status()).toBe(404);
    await expectText(member.getByRole("heading", { level: 1 }), "Sidan finns inte");
    const main = normalise(await member.locator("main").innerText());
    expect(main).not.toContain("Göteborg");
    expect(main).not.toContain(String(firstNumber + 1));

    const pdf = await member.request.get(ctx.url(`${goteborgInvoicePath}/pdf`));
    expect(pdf.status()).toBe(404);
    expect(pdf.headers()["content-type"]).not.toBe("application/pdf");
    // Its own PDF it may fetch.
    const own = await member.request.get(ctx.url(`${dalsEdInvoicePath}/pdf`));
    expect(own.status()).toBe(200);
    expect(own.headers()["content-type"]).toBe("application/pdf");
    await screenshot(member, "6-invoicing-member-404");
  });
});

const MONEY = /\d{1,3}(?: \d{3})*,\d{2} kr/;

function amountIn(text: string): string {
  const m = MONEY.exec(text);
  if (!m) throw new Error(`no amount in: ${text}`);
  return m[0];
}

function lastAmount(text: string): string {
  const all = text.match(new RegExp(MONEY.source, "g"));
  if (!all) throw new Error(`no amount in: ${text}`);
  return all[all.length - 1];
}

/** "1 234,56 kr" → 123456 */
function toOre(text: string): number {
  const m = /^(\d[\d ]*),(\d{2}) kr$/.exec(normalise(text));
  if (!m) throw new Error(`not an amount in kronor: ${text}`);
  return Number(m[1].replace(/ /g, "")) * 100 + Number(m[2]);
}

function sumOre(amounts: string[]): number {
  return amounts.reduce((s, a) => s + toOre(a), 0);
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text of a PDF by pdftotext (poppler-utils), the file kept in test-results/ for a look; spaces collapsed. */
function pdfText(pdf: Buffer, name: string): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `e2e-${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return normalise(execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", timeout: 30_000 }));
}

/** Figures for `populationYear` written through the use case, on the server's database file (WAL). */
async function setPopulations(populationYear: number, figures: Array<[number, number]>) {
  const client = await import("../../db/client");
  const { setPopulation } = await import("../../app/features/members/commands.server");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  try {
    for (const [memberId, population] of figures) setPopulation(SYSTEM_SCOPE, memberId, populationYear, population);
  } finally {
    client.closeDatabase();
  }
}
