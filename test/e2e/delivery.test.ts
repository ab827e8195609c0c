import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { todayIso } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import {
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  normalise,
  screenshot,
  startE2e,
  stopE2e,
  type E2eContext,
} from "./browser";

/*
 * Sending (docs/delivery.md): the treasurer issues a run, sends it after a confirmation that says how many go by
 * which channel, follows the result on the run page, and reads the delivery log of an invoice. Göteborg takes
 * Peppol (a municipality's default: its e-invoice into the outbox), Mölndal print, Dals-Ed e-mail but has no
 * address: a failure with its reason, listed as not sent, sent once the address is there.
 */
let ctx: E2eContext;
let treasurer: Page;
const year = Number(todayIso(new Date()).slice(0, 4));

beforeAll(async () => {
  ctx = await startE2e();
  const { saveSettings } = await import("../../app/features/settings/commands.server");
  const { createBillingRun } = await import("../../app/features/billing-runs/commands.server");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const sqlite = (await import("../../db/client")).connection().sqlite;
  for (const id of [ctx.members.dalsEd, ctx.members.goteborg, ctx.members.molndal]) {
    sqlite
      .prepare("INSERT OR REPLACE INTO populations (member_id, year, population) VALUES (?, ?, ?)")
      .run(id, year - 1, 50_000);
  }
  saveSettings(SYSTEM_SCOPE, {
    name: "Intresseföreningen Sambruk (test)",
    orgNumber: generateOrgNumber("802012345"),
    vatNumber: null,
    street: "Box 1234",
    postalCode: "111 22",
    city: "Stockholm",
    email: "kansli@sambruk.test.se",
    phone: null,
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: year * 1000 + 1,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
    footer: "",
  } as Parameters<typeof saveSettings>[1]);
  const run = createBillingRun(SYSTEM_SCOPE, { year, charges: ["annual_fee"] });
  expect(run.invoiceIds).toHaveLength(3);
  sqlite
    .prepare("UPDATE members SET delivery_channel = 'email', invoice_email = NULL WHERE id = ?")
    .run(ctx.members.dalsEd);
  sqlite.prepare("UPDATE members SET delivery_channel = 'print' WHERE id = ?").run(ctx.members.molndal);
  treasurer = await ctx.newPage();
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("the treasurer issues a run, sends it, and reads the delivery log", () => {
  test("issue, then a confirmation that counts the channels, then send and the result per channel", async () => {
    await loginAs(treasurer, ctx.server.url, "kassor@test.se", PASSWORD);
    await treasurer.goto(ctx.url("/billing"));
    await treasurer
      .getByRole("link", { name: /Körning/ })
      .first()
      .click();
    await hydrated(treasurer);
    await treasurer.getByRole("link", { name: "Utfärda 3 fakturor" }).click();
    await treasurer.getByRole("button", { name: "Ja, utfärda 3 fakturor" }).click();
    await screenshot(treasurer, "delivery-issued");
    await expectText(treasurer.locator("main"), "3 fakturor är utfärdade och numrerade.");

    const delivery = treasurer.getByTestId("run-delivery");
    await expectText(delivery.getByTestId("delivery-email"), "E-post 1 0 0 1");
    await hydrated(treasurer);
    await delivery.getByRole("link", { name: "Skicka ut 3 fakturor" }).click();
    const confirm = treasurer.getByTestId("confirm-send");
    await expectText(confirm.getByRole("heading"), "Skicka ut 3 fakturor?");
    await expectText(confirm, "1 med peppol (e-faktura) (till utkorgen för vår Peppol-operatör)");
    await expectText(confirm, "1 med e-post");
    await expectText(confirm, "1 med utskrift (samlas i en PDF att skriva ut)");
    await expectText(confirm, "1 medlem med e-post saknar e-postadress för fakturor");
    await confirm.getByRole("button", { name: "Ja, skicka" }).click();

    await expectUrl(treasurer, /\?sending=1$/);
    // The page polls while the run is being sent; when it is done the counts stand.
    await expectText(delivery.getByTestId("delivery-email"), "E-post 1 0 1 0");
    await expectText(delivery.getByTestId("delivery-print"), "Utskrift 1 1 0 0");
    await expectText(delivery.getByTestId("delivery-peppol"), "Peppol (e-faktura) 1 1 0 0");
    await expectText(delivery.getByRole("link", { name: /Utskrift: 1 faktura/ }), "Utskrift: 1 faktura (PDF)");
    await treasurer.setViewportSize({ width: 1280, height: 900 });
    await screenshot(treasurer, "delivery-run-1280");
    await treasurer.setViewportSize({ width: 390, height: 844 });
    expect(await treasurer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(treasurer, "delivery-run-390");
    await treasurer.setViewportSize({ width: 1280, height: 900 });

    const outbox = fs.readdirSync(path.join(ctx.server.dir, "outbox", "peppol"));
    expect(outbox).toEqual([expect.stringMatching(/^\d{7}\.xml$/)]);
    expect(fs.readFileSync(path.join(ctx.server.dir, "outbox", "peppol", outbox[0]), "utf8")).toContain(
      "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
    );
  });

  test("the invoice list shows what is not sent; the invoice page shows the log", async () => {
    await treasurer.goto(ctx.url("/invoices?unsent=1"));
    const rows = treasurer.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    expect(normalise(await rows.first().innerText())).toContain("Dals-Ed kommun");
    expect(normalise(await rows.first().innerText())).toContain("Misslyckades");

    await treasurer.goto(ctx.url("/invoices"));
    await treasurer.locator("tbody tr", { hasText: "Göteborg" }).getByRole("link").first().click();
    const log = treasurer.getByTestId("delivery-log");
    await expectText(log.getByTestId("delivery-row"), /Faktura Peppol \(e-faktura\) Skickad 0007:\d{10} .+\d{7}\.xml/);
    await expectText(log.getByTestId("delivery-row"), "Kim Kassör");
    await screenshot(treasurer, "delivery-log-1280");

    // Dals-Ed: the failure with its reason; with the address filled in, "Skicka ut fakturan" sends it.
    await treasurer.goto(ctx.url("/invoices"));
    await treasurer.locator("tbody tr", { hasText: "Dals-Ed" }).getByRole("link").first().click();
    await expectText(treasurer.getByTestId("delivery-log"), "Medlemmen har ingen e-postadress för fakturor");
    const sqlite = (await import("../../db/client")).connection().sqlite;
    sqlite
      .prepare("UPDATE members SET invoice_email = 'faktura@dals-ed.example.se' WHERE id = ?")
      .run(ctx.members.dalsEd);
    await hydrated(treasurer);
    await treasurer.getByRole("button", { name: "Skicka ut fakturan" }).click();
    await expectText(treasurer.locator("main"), "Fakturan är skickad till medlemmen.");
    await expect.poll(() => treasurer.getByTestId("delivery-row").count()).toBe(2);
    await expectText(treasurer.getByTestId("delivery-row").nth(1), /E-post Skickad faktura@dals-ed\.example\.se/);
    expect(fs.readdirSync(path.join(ctx.server.dir, "outbox", "email"))).toHaveLength(1);
    await treasurer.setViewportSize({ width: 390, height: 844 });
    expect(await treasurer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(treasurer, "delivery-log-390");
  });
});
