import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { todayIso } from "../../billing/dates";
import { bgmaxFile } from "../support/bgmax-writer";
import {
  RESULTS_DIR,
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  screenshot,
  startE2e,
  stopE2e,
  type E2eContext,
} from "./browser";

/*
 * The treasurer uploads the bank's BgMax file, reads the preview (one payment matches its invoice exactly, one
 * has an unknown reference), applies it after a confirmation, opens the unmatched payments and assigns the unknown
 * one to an invoice; the receivables and the member's account statement then show the payments.
 */
let ctx: E2eContext;
let page: Page;
const today = todayIso(new Date());
const year = Number(today.slice(0, 4));
let invoices: Array<{ id: number; number: number; ocr: string; totalOre: number; memberId: number }>;

beforeAll(async () => {
  ctx = await startE2e();
  const client = await import("../../db/client");
  const { saveSettings } = await import("../../app/features/settings/commands.server");
  const { setPopulation } = await import("../../app/features/members/commands.server");
  const billing = {
    ...(await import("../../app/features/billing-runs/commands.server")),
    ...(await import("../../app/features/invoices/credit.server")),
    ...(await import("../../app/features/invoices/documents.server")),
    ...(await import("../../app/features/invoices/drafts.server")),
    ...(await import("../../app/features/invoices/issue.server")),
    ...(await import("../../app/features/invoices/queries.server")),
    ...(await import("../../app/features/invoices/reminders.server")),
    ...(await import("../../app/features/payments/commands.server")),
  };
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  try {
    for (const id of [ctx.members.dalsEd, ctx.members.goteborg, ctx.members.molndal])
      setPopulation(SYSTEM_SCOPE, id, year - 1, 5_000);
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
      nextInvoiceNumber: year * 1000 + 1,
      ourReference: "Kim Kassör",
      vatRateEntryFee: 0,
      vatRateAnnualFee: 0,
      vatRateProjectShare: 0,
      vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
      footer: "",
    });
    const run = billing.createBillingRun(SYSTEM_SCOPE, { year, charges: ["annual_fee"] });
    invoices = billing
      .issueRun(SYSTEM_SCOPE, run.run!.id)
      .map((v) => ({ id: v.id, number: v.number!, ocr: v.ocr!, totalOre: v.totalOre, memberId: v.memberId }));
  } finally {
    client.closeDatabase();
  }
  page = await ctx.newPage();
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("upload → preview → apply → unmatched → assign", () => {
  test("the treasurer imports the bank's file and handles the payment that matched nothing", async () => {
    const dalsEd = invoices.find((i) => i.memberId === ctx.members.dalsEd)!;
    const molndal = invoices.find((i) => i.memberId === ctx.members.molndal)!;
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, "bgmax-e2e.txt");
    fs.writeFileSync(
      file,
      bgmaxFile([
        {
          date: today,
          payments: [
            { reference: dalsEd.ocr, amountOre: dalsEd.totalOre, serial: 1, payer: "Dals-Eds kommun" },
            { reference: "999999", amountOre: 250000, serial: 2, payer: "Mölndals stad" },
          ],
        },
      ]),
    );
    await loginAs(page, ctx.server.url, "kassor@test.se", PASSWORD);
    await page.goto(ctx.url("/payment-files"));
    await hydrated(page);
    await page.getByLabel("BgMax-fil").setInputFiles(file);
    await page.getByRole("button", { name: "Läs filen" }).click();
    await expectUrl(page, /^\/payment-files\/\d+$/);
    const row = (text: string) => page.locator("tbody tr", { hasText: text });
    await expectText(row("Dals-Eds kommun"), "Stämmer");
    await expectText(row("Mölndals stad"), "Okänd referens");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "bgmax-preview-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "bgmax-preview-390");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole("link", { name: "Läs in betalningarna…" }).click();
    await expectText(page.getByTestId("confirm-apply"), "Läsa in 2 betalningar?");
    await page.getByRole("button", { name: "Ja, läs in filen" }).click();
    await expectText(
      page.getByRole("status"),
      /Filen är inläst: 1 betalning på fakturor .* 1 ej matchad \(2 500,00 kr\)/,
    );

    await page.getByRole("link", { name: "Hantera de ej matchade" }).click();
    await expectUrl(page, /^\/unmatched-payments$/);
    const card = page.locator("section", { hasText: "Mölndals stad" });
    await expectText(card.getByRole("heading"), "2 500,00 kr från Mölndals stad");
    // A wrong invoice number first: the message stands next to the field.
    await card.getByLabel("Fakturanummer").fill("1");
    await card.getByRole("button", { name: "Lägg på fakturan" }).click();
    await expectText(page.locator(".error"), `Det finns ingen utfärdad faktura med nummer 1`);
    await page
      .locator("section", { hasText: "Mölndals stad" })
      .getByLabel("Fakturanummer")
      .fill(String(molndal.number));
    await page
      .locator("section", { hasText: "Mölndals stad" })
      .getByRole("button", { name: "Lägg på fakturan" })
      .click();
    await expectText(page.getByRole("status"), "Betalningen är registrerad");
    await expectText(page.locator("table"), /Lagd på faktura/);
    await screenshot(page, "bgmax-unmatched-1280");

    await page.goto(ctx.url(`/invoices/${molndal.id}`));
    await expectText(page.locator("main"), /Delbetald/);
    await page.goto(ctx.url("/receivables"));
    await expectText(page.getByTestId("open-total"), /kr/);
    await screenshot(page, "receivables-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "receivables-390");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(ctx.url(`/members/${ctx.members.dalsEd}`));
    await expectText(page.getByTestId("account-statement"), /Betalning/);
  }, 120_000);
});
